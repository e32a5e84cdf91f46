"""Readiness (``GET /readyz``) and the figures both it and ``/metrics`` read from the database.

The publication lag is pluggable: the publication store (issue 15 item 1) registers how far it
lags the core with :func:`register_publication_lag`; until one is registered the check is
reported as ``skipped`` and the metric is absent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from xinyong.audit.models import AuditCheckpoint, AuditSequence
from xinyong.core.config import Settings
from xinyong.db.migrate import alembic_config
from xinyong.feed.models import ChangeEvent, DeliveryStatus, WebhookDelivery

#: ``fn(settings, core_session, at) -> seconds the public store lags the core, or None``.
PublicationLag = Callable[[Settings, Session, datetime], float | None]
_publication_lag: list[PublicationLag] = []


def register_publication_lag(fn: PublicationLag) -> None:
    """Make ``/readyz`` and ``/metrics`` measure the publication lag with ``fn``."""
    _publication_lag[:] = [fn]


def publication_lag(settings: Settings, session: Session, at: datetime) -> float | None:
    if not _publication_lag:
        return None
    return _publication_lag[0](settings, session, at)


def migration_heads() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return set(script.get_heads())


def current_revisions(session: Session) -> set[str]:
    return set(MigrationContext.configure(session.connection()).get_current_heads())


@dataclass(slots=True)
class Readiness:
    ready: bool = True
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, name: str, ok: bool | None, **detail: Any) -> None:
        status = "skipped" if ok is None else ("ok" if ok else "failed")
        self.checks[name] = {"status": status, **detail}
        if ok is False:
            self.ready = False


def readiness(
    session_factory: Callable[[], Session], settings: Settings, at: datetime
) -> Readiness:
    """Database reachable, migrations at head, publication lag under its bound (read through
    a read-only session: on SQLite it never waits for the write lock)."""
    r = Readiness()
    with session_factory() as session:
        try:
            session.execute(text("SELECT 1"))
        except Exception as exc:
            r.add("database", False, error=type(exc).__name__)
            r.add("migrations", None)
            r.add("publication", None)
            return r
        r.add("database", True)
        heads, current = migration_heads(), current_revisions(session)
        r.add("migrations", current == heads, current=sorted(current), head=sorted(heads))
        bound = settings.ready_max_publication_lag_s
        lag = publication_lag(settings, session, at)
    if lag is None:
        r.add("publication", None, reason="no publication lag measure registered")
    else:
        r.add("publication", lag <= bound, lag_seconds=round(lag, 3), bound_seconds=bound)
    return r


@dataclass(frozen=True, slots=True)
class Figures:
    audit_size: int
    checkpoint_size: int | None
    checkpoint_age_s: float | None
    webhooks_due: int
    feed_lag_s: float
    publication_lag_s: float | None


def figures(session: Session, settings: Settings, at: datetime) -> Figures:
    """What ``/metrics`` reports of the database's state (cheap, indexed reads)."""
    size = session.scalar(select(AuditSequence.size).where(AuditSequence.id == 1)) or 0
    cp = session.execute(
        select(AuditCheckpoint.size, AuditCheckpoint.at)
        .order_by(AuditCheckpoint.size.desc())
        .limit(1)
    ).first()
    waiting = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)
    due = session.scalar(
        select(func.count())
        .select_from(WebhookDelivery)
        .where(WebhookDelivery.status.in_(waiting), WebhookDelivery.next_attempt_at <= at)
    )
    oldest = session.scalar(
        select(func.min(ChangeEvent.at))
        .join(WebhookDelivery, WebhookDelivery.change_id == ChangeEvent.id)
        .where(WebhookDelivery.status.in_(waiting))
    )
    return Figures(
        audit_size=int(size),
        checkpoint_size=None if cp is None else int(cp[0]),
        checkpoint_age_s=None if cp is None else max(0.0, (at - cp[1]).total_seconds()),
        webhooks_due=int(due or 0),
        feed_lag_s=0.0 if oldest is None else max(0.0, (at - oldest).total_seconds()),
        publication_lag_s=publication_lag(settings, session, at),
    )
