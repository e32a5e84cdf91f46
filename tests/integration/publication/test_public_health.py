"""Readiness of the public server (issue 15 item 6), from the store alone: not ready before a
first publication, ready once one has found the store current, not ready again when no
publication has looked for longer than the bound — a quiet store that the worker keeps
checking stays ready."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from tests.integration.publication.test_publish import _core_factory
from xinyong.core.clock import Clock
from xinyong.core.config import Settings
from xinyong.publication.health import StoreCollector, store_readiness
from xinyong.publication.publish import publish


def test_the_store_is_ready_while_publications_keep_finding_it_current(
    core: Session, public_factory: sessionmaker[Session], clock: Clock
) -> None:
    settings = Settings(ready_max_publication_lag_s=600)
    at = clock.now()
    before = store_readiness(public_factory, settings, at)
    assert not before.ready
    assert before.checks["publication"]["status"] == "failed"

    publish(_core_factory(core), public_factory, clock)
    ready = store_readiness(public_factory, settings, at + timedelta(minutes=5))
    assert ready.ready, ready.checks
    assert ready.checks["store"]["status"] == "ok"

    # Nothing changes for an hour, but the worker publishes (finds nothing to do) each minute.
    later = Clock(at + timedelta(hours=1))
    assert publish(_core_factory(core), public_factory, later).units == []
    assert store_readiness(public_factory, settings, later.now()).ready

    # No publication at all for longer than the bound: the publisher has stalled.
    stalled = store_readiness(public_factory, settings, later.now() + timedelta(seconds=601))
    assert not stalled.ready
    assert stalled.checks["publication"]["status"] == "failed"


def test_metrics_report_the_age_and_the_audit_position(
    core: Session, public_factory: sessionmaker[Session], clock: Clock
) -> None:
    summary = publish(_core_factory(core), public_factory, clock)
    then = clock.now() + timedelta(seconds=42)
    families = {m.name: m for m in StoreCollector(public_factory, lambda: then).collect()}
    assert families["xinyong_publication_age_seconds"].samples[0].value == 42
    assert families["xinyong_publication_audit_seq"].samples[0].value == summary.audit_seq
