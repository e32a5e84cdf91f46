"""The worker's scheduler on a real, committed database (both backends): each due job runs
once, its outcome and next run are recorded, failures back off, and schedulers running at once
never run a job twice."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import FROZEN
from xinyong.core.clock import Clock
from xinyong.core.config import Settings
from xinyong.db.base import Base
from xinyong.db.registry import load_all_models
from xinyong.db.session import make_engine, make_session_factory
from xinyong.ops.jobs import all_jobs
from xinyong.ops.models import JobState
from xinyong.ops.schedule import Schedule
from xinyong.ops.scheduler import Job, JobContext, Scheduler


@pytest.fixture
def real_db(fresh_db_url: str) -> Iterator[tuple[Engine, sessionmaker[Session]]]:
    load_all_models()
    engine = make_engine(fresh_db_url)
    Base.metadata.create_all(engine)
    yield engine, make_session_factory(engine)
    engine.dispose()


class Ticking:
    """A running clock the test moves by hand."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def scheduler(
    db: tuple[Engine, sessionmaker[Session]], jobs: list[Job], now: Ticking, tmp: Path, owner: str
) -> Scheduler:
    engine, sessions = db
    settings = Settings(var_dir=tmp / "var", now=FROZEN, audit_key_path=tmp / "keys" / "audit.pem")
    return Scheduler(
        jobs=jobs, engine=engine, sessions=sessions, settings=settings,
        platform_clock=Clock(FROZEN), owner=owner, now=now,
    )  # fmt: skip


def state(db: tuple[Engine, sessionmaker[Session]], name: str) -> JobState:
    with db[1]() as s:
        row = s.get(JobState, name)
        assert row is not None
        return row


def test_each_shipped_job_runs_and_records_its_outcome(
    real_db: tuple[Engine, sessionmaker[Session]], tmp_path: Path
) -> None:
    now = Ticking(FROZEN)
    sched = scheduler(real_db, all_jobs(), now, tmp_path, "w1")
    sched.ensure()
    outcomes = sched.run_pending()
    assert {o.name for o in outcomes} >= {
        "audit_checkpoint", "webhooks", "escalations", "list_periods", "partitions",
    }  # fmt: skip
    assert all(o.status == "ok" for o in outcomes), [o.error for o in outcomes]
    row = state(real_db, "escalations")
    assert row.runs == 1
    assert row.last_status == "ok"
    assert row.next_run_at == FROZEN + timedelta(minutes=15)
    assert row.lease_owner is None
    assert "objections 0" in (row.last_summary or "")
    # Nothing is due a second later: nothing runs again.
    now.at = FROZEN + timedelta(seconds=1)
    assert sched.run_pending() == []
    # The daily job is due just after the next local midnight.
    assert state(real_db, "list_periods").next_run_at == datetime(
        2026, 10, 1, 0, 0, 5, tzinfo=FROZEN.tzinfo
    )


def test_a_failing_job_is_recorded_and_retried_after_a_backoff(
    real_db: tuple[Engine, sessionmaker[Session]], tmp_path: Path
) -> None:
    calls: list[datetime] = []

    def flaky(ctx: JobContext) -> str:
        calls.append(ctx.at)
        if len(calls) < 3:
            raise RuntimeError("the remote end hung up")
        return "done"

    job = Job("flaky", "Flaky", Schedule(every=timedelta(hours=6)), flaky)
    now = Ticking(FROZEN)
    sched = scheduler(real_db, [job], now, tmp_path, "w1")
    sched.ensure()
    assert sched.run_pending()[0].status == "failed"
    row = state(real_db, "flaky")
    assert (row.failures, row.consecutive_failures) == (1, 1)
    assert "the remote end hung up" in (row.last_error or "")
    assert row.next_run_at == FROZEN + timedelta(seconds=30)  # not six hours
    now.at += timedelta(seconds=30)
    assert sched.run_pending()[0].status == "failed"
    assert state(real_db, "flaky").next_run_at == now.at + timedelta(minutes=1)
    now.at += timedelta(minutes=1)
    assert sched.run_pending()[0].status == "ok"
    row = state(real_db, "flaky")
    assert (row.runs, row.failures, row.consecutive_failures) == (3, 2, 0)
    assert row.last_error is None
    assert row.next_run_at == now.at + timedelta(hours=6)


def test_a_job_held_by_another_worker_is_not_run_until_its_lease_runs_out(
    real_db: tuple[Engine, sessionmaker[Session]], tmp_path: Path
) -> None:
    ran: list[str] = []
    job = Job("once", "Once", Schedule(every=timedelta(hours=1)), lambda ctx: ran.append("x") or "")
    now = Ticking(FROZEN)
    a = scheduler(real_db, [job], now, tmp_path, "worker-a")
    b = scheduler(real_db, [job], now, tmp_path, "worker-b")
    a.ensure()
    assert a.claim(job)  # worker a claims, then dies before finishing
    assert not b.claim(job)
    assert b.run_pending() == []
    now.at += job.lease + timedelta(seconds=1)
    assert [o.name for o in b.run_pending()] == ["once"]
    assert state(real_db, "once").last_owner == "worker-b"


def test_schedulers_running_at_once_never_run_a_job_twice(
    real_db: tuple[Engine, sessionmaker[Session]], tmp_path: Path
) -> None:
    runs: list[str] = []
    lock = threading.Lock()

    def slow(name: str) -> Job:
        def run(ctx: JobContext) -> str:
            with lock:
                runs.append(name)
            threading.Event().wait(0.05)
            return "ok"

        return Job(name, name, Schedule(every=timedelta(hours=1)), run)

    jobs = [slow(f"job{i}") for i in range(6)]
    now = Ticking(FROZEN)
    workers = [scheduler(real_db, jobs, now, tmp_path, f"w{i}") for i in range(4)]
    workers[0].ensure()
    barrier = threading.Barrier(len(workers))

    def go(s: Scheduler) -> None:
        barrier.wait()
        s.run_pending()

    threads = [threading.Thread(target=go, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(runs) == sorted(j.name for j in jobs)
    with real_db[1]() as s:
        assert all(r.runs == 1 for r in s.scalars(select(JobState)))
