"""Integration off the request path (issue 16 item 2): appends only sequence; the worker's
``audit_integrate`` job folds what waits into the tree, so that no entry waits longer than one
batch interval — shown on the scheduler's own, hand-moved clock — and concurrent appends,
integrations and pages of entries never wait on each other in a cycle."""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import FROZEN
from tests.integration.ops import test_scheduler
from xinyong.audit import repository as repo
from xinyong.audit import service as audit
from xinyong.audit.models import AuditCheckpoint, AuditEntry
from xinyong.audit.verify import verify_log
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.config import Settings
from xinyong.ops.jobs import all_jobs
from xinyong.ops.scheduler import Scheduler

ACTOR = Actor(role=Role.PROVIDER, user_id=5, display_name="李四", org_id=2, org_name="省税务局")
AUDITOR = Actor(role=Role.AUDITOR, user_id=6, display_name="审计员")
#: The scheduler tests' committed database and hand-moved clock.
real_db = test_scheduler.real_db
Ticking = test_scheduler.Ticking


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(var_dir=tmp_path / "var", now=FROZEN, audit_key_path=tmp_path / "k.pem")


def _append(sessions: sessionmaker[Session], n: int, at: datetime) -> None:
    with sessions() as s:
        events = [audit.AuditEvent("records:record:create", "record", i) for i in range(n)]
        audit.record_events(s, actor=ACTOR, at=at, events=events)
        s.commit()


def _sizes(sessions: sessionmaker[Session]) -> tuple[int, int]:
    """(entries in the log, entries in the tree)."""
    with sessions() as s:
        head = repo.read_head(s)
        return repo.sequenced_size(s), 0 if head is None else head.size


@pytest.mark.parametrize("poll_s", [1, 5])
def test_no_entry_waits_past_one_batch_interval(
    real_db: tuple[Engine, sessionmaker[Session]], settings: Settings, poll_s: int
) -> None:
    """A worker passing every ``poll_s`` seconds (the default pass is 5 s) over a minute of
    random appends: at every second, each entry appended an interval ago or earlier is in
    the tree, and appends themselves never integrated anything."""
    engine, sessions = real_db
    now = Ticking(FROZEN)
    worker = Scheduler(
        jobs=[j for j in all_jobs() if j.name == "audit_integrate"], engine=engine,
        sessions=sessions, settings=settings, platform_clock=Clock(FROZEN), owner="w", now=now,
    )  # fmt: skip
    worker.ensure()
    rng = random.Random(16)
    interval = int(audit.INTEGRATE_EVERY.total_seconds())
    appended: list[tuple[int, int]] = []  # (second, log size after the append)
    waited = 0
    for second in range(60):
        now.at = FROZEN + timedelta(seconds=second)
        if second % poll_s == 0:
            worker.run_pending()
        size, tree = _sizes(sessions)
        due = max((n for t, n in appended if t <= second - interval), default=0)
        assert tree >= due, f"at {second} s the tree holds {tree}, entries up to {due} are due"
        waited = max(waited, size - tree)
        n = rng.choice([0, 1, 1, 2, 3])
        if n:
            _append(sessions, n, now.at)
            appended.append((second, _sizes(sessions)[0]))
            assert _sizes(sessions)[1] == tree  # the append only sequenced
    assert waited > 0  # entries did wait for a batch: integration is off the append path
    with sessions() as s:
        assert verify_log(s, settings=settings, thorough=True).ok


def test_the_job_folds_a_backlog_batch_by_batch(
    real_db: tuple[Engine, sessionmaker[Session]],
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine, sessions = real_db
    _append(sessions, 2300, FROZEN)
    monkeypatch.setattr(audit, "BATCH_MAX", 700)
    calls: list[int] = []
    real = audit.integrate

    def counted(session: Session, **kw: object) -> audit.Integration:
        done = real(session, **kw)  # type: ignore[arg-type]
        calls.append(done.entries)
        return done

    monkeypatch.setattr(audit, "integrate", counted)
    worker = Scheduler(
        jobs=[j for j in all_jobs() if j.name == "audit_integrate"], engine=engine,
        sessions=sessions, settings=settings, platform_clock=Clock(FROZEN), owner="w",
        now=Ticking(FROZEN),
    )  # fmt: skip
    worker.ensure()
    (outcome,) = worker.run_pending()
    assert outcome.status == "ok", outcome.error
    assert calls == [700, 700, 700, 200]
    assert outcome.summary == "integrated 2300, tree size 2300, checkpoints at 1000, 2000"
    with sessions() as s:
        sizes = s.scalars(select(AuditCheckpoint.size).order_by(AuditCheckpoint.size)).all()
        assert sizes == [1000, 2000]


def test_appends_integrations_and_pages_run_together(
    real_db: tuple[Engine, sessionmaker[Session]], settings: Settings
) -> None:
    """Appenders, an integrator and an auditor paging entries (integrate, then append) at
    once: no deadlock, seqs dense, the tree consistent."""
    _engine, sessions = real_db
    stop = threading.Event()

    def appender(worker: int) -> None:
        for i in range(12):
            with sessions() as s:
                actor = Actor(role=Role.PROVIDER, user_id=worker, display_name=f"w{worker}")
                audit.record_event(
                    s, actor=actor, tag="records:record:create", at=FROZEN, object_id=i
                )
                s.commit()

    def integrator() -> None:
        while not stop.is_set():
            with sessions() as s:
                audit.integrate(s, settings=settings)
                s.commit()

    def auditor() -> None:
        for _ in range(6):
            with sessions() as s:
                page = audit.list_entries(s, actor=AUDITOR, after=-1, limit=1000, at=FROZEN)
                s.commit()
            assert [e.seq for e in page.entries] == list(range(len(page.entries)))

    with ThreadPoolExecutor(6) as pool:
        background = pool.submit(integrator)
        work = [pool.submit(appender, w) for w in range(3)] + [pool.submit(auditor)]
        for f in work:
            f.result(timeout=120)
        stop.set()
        background.result(timeout=60)
    with sessions() as s:
        audit.integrate(s, settings=settings)
        s.commit()
        n = s.scalar(select(func.count()).select_from(AuditEntry))
        assert n == 3 * 12 + 6
        assert repo.sequenced_size(s) == n
        result = verify_log(s, settings=settings, thorough=True)
        assert result.ok, result.problem
        assert result.entries == n
