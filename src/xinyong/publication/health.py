"""Readiness and metrics of ``xinyong serve --public`` (issue 15 item 6), read from the
publication store alone: the public server holds no connection to the core, so it reports
what the store itself knows — reachable, of this schema version, and how old its last
publication is."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.core.config import Settings
from xinyong.ops.health import Readiness
from xinyong.publication.models import SCHEMA_VERSION, PubState
from xinyong.publication.store import STATE_ID


def _state(session: Session) -> PubState | None:
    return session.scalars(select(PubState).where(PubState.id == STATE_ID)).first()


def publication_age(state: PubState | None, at: datetime) -> float | None:
    """Seconds since a publication last found the store current (platform clock), or
    ``None`` if none ever did."""
    if state is None:
        return None
    seen = [t for t in (state.published_at, state.checked_at) if t is not None]
    if not seen:
        return None
    return max(0.0, (at - max(seen)).total_seconds())


def store_readiness(sessions: Callable[[], Session], settings: Settings, at: datetime) -> Readiness:
    """The store reachable, its schema this version's, its last publication younger than
    ``XINYONG_READY_MAX_PUBLICATION_LAG_S``."""
    r = Readiness()
    with sessions() as session:
        try:
            state = _state(session)
        except Exception as exc:
            r.add("store", False, error=type(exc).__name__)
            r.add("publication", None)
            return r
    if state is None:
        r.add("store", False, reason="never published")
        r.add("publication", None)
        return r
    r.add("store", state.schema_version == SCHEMA_VERSION, schema_version=state.schema_version)
    age = publication_age(state, at)
    bound = settings.ready_max_publication_lag_s
    if age is None:
        r.add("publication", False, reason="never published")
    else:
        r.add("publication", age <= bound, age_seconds=round(age, 3), bound_seconds=bound)
    return r


class StoreCollector(Collector):
    """The store's figures at each scrape: age of the last publication and the core audit
    sequence number it reflects."""

    def __init__(self, sessions: Callable[[], Session], now: Callable[[], datetime]) -> None:
        self.sessions, self.now = sessions, now

    def collect(self) -> Iterator[Metric]:
        with self.sessions() as session:
            state = _state(session)
        age = publication_age(state, self.now())
        if age is not None:
            yield GaugeMetricFamily(
                "xinyong_publication_age_seconds",
                "Seconds since a publication last found the store current.",
                age,
            )
        if state is not None:
            yield GaugeMetricFamily(
                "xinyong_publication_audit_seq",
                "The core audit sequence number the store is published up to.",
                state.audit_seq,
            )
