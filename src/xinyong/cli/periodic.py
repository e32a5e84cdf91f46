"""The worker's scheduler, run in-process beside ``xinyong serve`` (``make run``: one process
does everything) and by ``xinyong worker``.

Both run the same jobs through the same database-held leases (``xinyong.ops.scheduler``), so a
``serve`` with its in-process scheduler and any number of ``xinyong worker`` processes never
run a job twice.
"""

from __future__ import annotations

import logging
import threading

from xinyong.core.clock import Clock
from xinyong.core.config import Settings
from xinyong.db.session import make_engine, make_session_factory, start_checkpointer
from xinyong.ops.jobs import all_jobs
from xinyong.ops.scheduler import Outcome, Scheduler

log = logging.getLogger("xinyong.periodic")

#: Seconds between passes over the jobs.
PASS_SECONDS = 5.0


def build(settings: Settings, stop: threading.Event | None = None) -> Scheduler:
    engine = make_engine(settings.resolved_database_url(), **settings.engine_options())
    start_checkpointer(engine)
    scheduler = Scheduler(
        jobs=all_jobs(),
        engine=engine,
        sessions=make_session_factory(engine),
        settings=settings,
        platform_clock=Clock(settings.now),
        on_outcome=report,
    )
    if stop is not None:
        scheduler.stop = stop
    return scheduler


def report(outcome: Outcome) -> None:
    fields = {"job": outcome.name, "status": outcome.status, "ms": outcome.duration_ms}
    if outcome.status == "ok":
        log.info(f"job {outcome.name}: {outcome.summary}", extra={"fields": fields})
    else:
        log.error(f"job {outcome.name} failed: {outcome.error}", extra={"fields": fields})


def run_once(settings: Settings) -> list[Outcome]:
    """One pass over the due jobs (``xinyong worker --once``)."""
    scheduler = build(settings)
    try:
        scheduler.ensure()
        return scheduler.run_pending()
    finally:
        scheduler.engine.dispose()


def start(settings: Settings, stop: threading.Event) -> threading.Thread:
    """Run the scheduler on a daemon thread until ``stop`` (``xinyong serve``)."""
    scheduler = build(settings, stop)

    def loop() -> None:
        try:
            scheduler.loop(PASS_SECONDS)
        except Exception:  # keep serving; the periodic work is logged as failing
            log.exception("periodic work stopped")
        finally:
            scheduler.engine.dispose()

    thread = threading.Thread(target=loop, name="xinyong-periodic", daemon=True)
    thread.start()
    return thread
