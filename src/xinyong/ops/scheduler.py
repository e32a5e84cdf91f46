"""Run the periodic jobs: claim a due job's lease in the database, run it, record the outcome.

Any number of processes may run :class:`Scheduler` at once (``xinyong worker`` several times,
beside ``xinyong serve``): a job runs in one of them at a time, because the claim is a short
transaction that reads the job's row ``FOR UPDATE SKIP LOCKED`` (PostgreSQL: a worker that
finds the row locked moves on at once) or under SQLite's write lock, and only the process whose
lease it then writes runs the job. A lease that outlives its worker (killed mid-job) runs out
after the job's ``lease`` and the next worker takes the job over.

Time: jobs are handed the platform clock's instant (``XINYONG_NOW`` freezes it in a training
environment, and a frozen platform then escalates and checkpoints as of that instant). The
schedule itself — when a job is due, when a lease runs out — follows the running clock even
then: a frozen clock would otherwise never let an interval pass.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from xinyong.core.clock import Clock
from xinyong.core.config import Settings
from xinyong.db.session import make_session_factory
from xinyong.db.uow import use_case
from xinyong.ops.models import JobState
from xinyong.ops.schedule import Schedule

log = logging.getLogger("xinyong.worker")

#: Longest wait before a failed job is tried again (then its schedule takes over).
MAX_RETRY = timedelta(hours=1)
FIRST_RETRY = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class JobContext:
    """What a job is handed: the core database, the platform instant, the settings."""

    engine: Engine
    sessions: sessionmaker[Session]
    at: datetime
    settings: Settings


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    title: str
    schedule: Schedule
    run: Callable[[JobContext], str]
    #: How long a claim holds before another worker may take the job over.
    lease: timedelta = timedelta(minutes=15)


@dataclass(slots=True)
class Outcome:
    name: str
    status: str  # "ok" | "failed"
    summary: str
    duration_ms: int
    error: str | None = None


def retry_delay(consecutive_failures: int) -> timedelta:
    """30 s, 1 min, 2 min, … up to an hour."""
    delay: timedelta = FIRST_RETRY * (2 ** max(0, consecutive_failures - 1))
    return min(delay, MAX_RETRY)


def default_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def ensure_jobs(session: Session, jobs: Sequence[Job], *, at: datetime) -> None:
    """Insert the row of each job not yet known (due at once); concurrent workers may race."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for job in jobs:
        stmt = insert(JobState).values(
            name=job.name, next_run_at=at, runs=0, failures=0, consecutive_failures=0
        )
        session.execute(stmt.on_conflict_do_nothing(index_elements=["name"]))


@dataclass
class Scheduler:
    jobs: Sequence[Job]
    engine: Engine
    sessions: sessionmaker[Session]
    settings: Settings
    platform_clock: Clock
    owner: str = field(default_factory=default_owner)
    stop: threading.Event = field(default_factory=threading.Event)
    #: The running clock of the schedule (see the module's note).
    now: Callable[[], datetime] = field(default_factory=lambda: Clock().now)
    #: Called after each job (metrics).
    on_outcome: Callable[[Outcome], None] | None = None

    def ensure(self) -> None:
        with use_case(self.sessions) as uow:
            session = uow.session
            ensure_jobs(session, self.jobs, at=self.now())

    def claim(self, job: Job) -> bool:
        """Take the lease of ``job`` if it is due and nobody holds it."""
        now = self.now()
        with use_case(self.sessions) as uow:
            session = uow.session
            row = session.scalars(
                select(JobState).where(JobState.name == job.name).with_for_update(skip_locked=True)
            ).first()
            if (
                row is None
                or row.next_run_at > now
                or (row.lease_until is not None and row.lease_until > now)
            ):
                session.rollback()
                return False
            row.lease_owner, row.lease_until = self.owner, now + job.lease
            row.last_started_at = now
            return True

    def run_job(self, job: Job) -> Outcome:
        """Run ``job`` (already claimed) and record how it went."""
        started = time.perf_counter()
        ctx = JobContext(
            engine=self.engine,
            sessions=self.sessions,
            at=self.platform_clock.now(),
            settings=self.settings,
        )
        try:
            summary = job.run(ctx)
            outcome = Outcome(job.name, "ok", summary[:500], _ms(started))
        except Exception as exc:
            log.exception("job failed", extra={"fields": {"job": job.name}})
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            outcome = Outcome(job.name, "failed", "", _ms(started), error=detail[:4000])
        self._finish(job, outcome)
        if self.on_outcome is not None:
            self.on_outcome(outcome)
        return outcome

    def _finish(self, job: Job, outcome: Outcome) -> None:
        end = self.now()
        with use_case(self.sessions) as uow:
            session = uow.session
            row = session.get(JobState, job.name, with_for_update=True)
            if row is None:  # the table was emptied under us: nothing to record on
                return
            row.lease_owner = row.lease_until = None
            row.last_finished_at = end
            row.last_status = outcome.status
            row.last_duration_ms = outcome.duration_ms
            row.last_owner = self.owner
            row.runs += 1
            next_run = job.schedule.next_after(end)
            if outcome.status == "ok":
                row.last_summary, row.last_error = outcome.summary, None
                row.consecutive_failures = 0
            else:
                row.last_error = outcome.error
                row.failures += 1
                row.consecutive_failures += 1
                next_run = min(next_run, end + retry_delay(row.consecutive_failures))
            row.next_run_at = next_run

    def due_names(self) -> set[str]:
        """The jobs due and free now, read without taking any lock (on SQLite a claim takes
        the write lock, so the scheduler claims only what this read says is due)."""
        now = self.now()
        reader = make_session_factory(self.engine, writes=False)
        with reader() as session:
            rows = session.execute(
                select(JobState.name, JobState.next_run_at, JobState.lease_until)
            ).all()
        return {
            name
            for name, next_run, lease in rows
            if next_run <= now and (lease is None or lease <= now)
        }

    def run_pending(self) -> list[Outcome]:
        """One pass: every due job this process can claim, one after another; stops between
        jobs once :attr:`stop` is set (the job under way finishes first)."""
        done: list[Outcome] = []
        due = self.due_names()
        for job in self.jobs:
            if self.stop.is_set():
                break
            if job.name not in due:
                continue
            try:
                claimed = self.claim(job)
            except Exception:  # database away for a moment: the next pass tries again
                log.exception("claim failed", extra={"fields": {"job": job.name}})
                continue
            if claimed:
                done.append(self.run_job(job))
        return done

    def loop(self, poll_seconds: float = 5.0) -> None:
        """Run until :attr:`stop` is set."""
        self.ensure()
        while not self.stop.is_set():
            try:
                self.run_pending()
            except Exception:
                log.exception("worker pass failed")
            self.stop.wait(poll_seconds)


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


def job_states(session: Session) -> list[JobState]:
    return list(session.scalars(select(JobState).order_by(JobState.name)))
