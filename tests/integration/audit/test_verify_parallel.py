"""Verification on several cores gives the sequential answer (PLT-2; DESIGN §5 ≥ 200 k/s).

The log is split into aligned perfect subtrees checked by forked processes; these tests shrink
the blocks to 16 entries so a log of a hundred entries spans seven of them, and compare every
answer — a clean log, an edited entry, a rewritten root, an entry inserted behind the head —
with the sequential pass's on the same committed database.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import FROZEN
from xinyong.audit import service as audit
from xinyong.audit import verify_parallel as parallel
from xinyong.audit.verify import VerifyResult, verify_log
from xinyong.core.actor import Actor, Role
from xinyong.core.config import Settings
from xinyong.db.base import Base
from xinyong.db.registry import load_all_models
from xinyong.db.session import make_engine, make_session_factory

ACTOR = Actor(role=Role.PROVIDER, user_id=5, display_name="李四", org_id=2, org_name="省税务局")
N = 100


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Blocks of 16 entries, two processes whatever threads the test process runs, and a
    count of the blocks the processes checked (the fast path ran, not the fallback alone)."""
    monkeypatch.setattr(parallel, "BLOCK_LEVEL", 4)
    monkeypatch.setattr(parallel, "BLOCK", 16)
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 32)
    monkeypatch.setattr(parallel, "usable_workers", lambda requested: 2)
    checked: list[int] = []
    real_run = parallel.run

    def counting_run(jobs: list[parallel.BlockJob], workers: int) -> Iterator[parallel.BlockResult]:
        for block in real_run(jobs, workers):
            checked.append(block.index)
            yield block

    monkeypatch.setattr(parallel, "run", counting_run)
    return checked


@pytest.fixture
def committed(
    fresh_db_url: str, tmp_path: Path
) -> Iterator[tuple[sessionmaker[Session], Settings]]:
    """A committed log of N entries with checkpoints at 40 and at N (workers read committed
    rows through their own connections)."""
    load_all_models()
    engine: Engine = make_engine(fresh_db_url)
    Base.metadata.create_all(engine)
    settings = Settings(var_dir=tmp_path / "var", audit_key_path=tmp_path / "audit.pem")
    factory = make_session_factory(engine)
    with factory() as s:
        for i in range(N):
            audit.record_event(
                s, actor=ACTOR, tag="records:record:create", at=FROZEN + timedelta(minutes=i),
                object_type="record", object_id=i, subject_id=i % 7,
                after={"status": "published", "i": i}, reason=f"理由 {i}", settings=settings,
            )  # fmt: skip
            if i + 1 == 40:
                audit.make_checkpoint(s, at=FROZEN, settings=settings)
        audit.make_checkpoint(s, at=FROZEN + timedelta(hours=3), settings=settings)
        s.commit()
    yield factory, settings
    engine.dispose()


def _both(factory: sessionmaker[Session], settings: Settings) -> tuple[VerifyResult, VerifyResult]:
    with factory() as s:
        one = verify_log(s, settings=settings)
    with factory() as s:
        many = verify_log(s, settings=settings, workers=2)
    return one, many


def _same(one: VerifyResult, many: VerifyResult) -> None:
    assert (many.ok, many.entries, many.root, many.checkpoints) == (
        one.ok, one.entries, one.root, one.checkpoints,
    )  # fmt: skip
    assert (many.first_bad_seq, many.code) == (one.first_bad_seq, one.code)


def _sql(factory: sessionmaker[Session], sql: str, **params: object) -> None:
    with factory() as s:
        s.execute(text(sql), params)
        s.commit()


def test_a_clean_log_verifies_on_several_processes(
    committed: tuple[sessionmaker[Session], Settings], small_blocks: list[int]
) -> None:
    factory, settings = committed
    one, many = _both(factory, settings)
    assert one.ok
    assert many.ok, many.problem
    _same(one, many)
    assert (many.entries, many.checkpoints) == (N, 2)
    assert small_blocks == list(range(7)), "every block was checked by the processes"


def test_an_edited_entry_is_named_as_the_sequential_pass_names_it(
    committed: tuple[sessionmaker[Session], Settings], small_blocks: list[int]
) -> None:
    factory, settings = committed
    _sql(factory, "UPDATE audit_entry SET reason = :r WHERE seq = 57", r="改过的理由")
    one, many = _both(factory, settings)
    assert (many.ok, many.first_bad_seq, many.code) == (False, 57, "edited")
    _same(one, many)


def test_a_rewritten_root_is_named_as_the_sequential_pass_names_it(
    committed: tuple[sessionmaker[Session], Settings], small_blocks: list[int]
) -> None:
    factory, settings = committed
    _sql(factory, "UPDATE audit_root SET root = :r WHERE size = 100", r=b"\x07" * 32)
    one, many = _both(factory, settings)
    assert not many.ok
    _same(one, many)


def test_an_entry_inserted_behind_the_head_is_found(
    committed: tuple[sessionmaker[Session], Settings], small_blocks: list[int]
) -> None:
    factory, settings = committed
    _sql(
        factory,
        "INSERT INTO audit_entry (seq, at, actor_name, actor_role, tag, leaf_hash) "
        "SELECT 100, at, actor_name, actor_role, tag, leaf_hash FROM audit_entry "
        "WHERE seq = 99",
    )
    one, many = _both(factory, settings)
    assert (many.ok, many.first_bad_seq) == (False, 100)
    _same(one, many)


def test_a_log_in_a_threaded_server_is_verified_in_process(
    committed: tuple[sessionmaker[Session], Settings],
) -> None:
    """A process running threads (the web server) never forks: one process, same answer."""
    import threading

    factory, settings = committed
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert parallel.usable_workers(None) == 1
    finally:
        stop.set()
        thread.join()
    one, many = _both(factory, settings)
    _same(one, many)
