"""A file's next chunk is checked in a helper process (``records.importing.checking``): the
answer is the one the import gives without it, and whatever happens to the helper, the import
still gives that answer. On SQLite and PostgreSQL."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from bench.import_rate import HEADER, penalty_row
from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.core.actor import Actor
from xinyong.core.clock import Clock
from xinyong.records.importing import checking
from xinyong.records.importing.bulk import import_file
from xinyong.records.models import Record, RecordVersion

pytestmark = pytest.mark.skipif(
    "fork" not in __import__("multiprocessing").get_all_start_methods(),
    reason="the helper process is forked",
)


def _file(tmp_path: Path, rows: int) -> Path:
    """``rows`` penalty rows, every seventh and the third with a fault of its own kind (the
    third in the part of the first chunk this process checks, the others in the helper's)."""
    lines = [",".join(HEADER)]
    for n in range(1, rows + 1):
        row = penalty_row(n)
        if n % 7 == 0 or n == 3:
            row[12] = "2026-02-30"  # a date that does not exist
        if n % 11 == 0:
            row[11] = "-3"  # a negative fine
        lines.append(",".join(row))
    path = tmp_path / "p.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(db: Session, actor: Actor, path: Path, clock: Clock, *, helper: bool) -> Any:
    with path.open("rb") as fh:
        result = import_file(
            db, actor=actor, item_code="admin_penalty", stream=fh, filename=path.name,
            at=clock.now(), chunk_size=20, helper=helper, report_limit=None,
        )  # fmt: skip
    stored = db.execute(
        select(Record.source_key, Record.severity, Record.decided_on, RecordVersion.content_hash)
        .join(RecordVersion, RecordVersion.record_id == Record.id)
        .where(Record.batch_id == result.batch_id)
        .order_by(Record.id)
    ).all()
    problems = [(p.line, p.field, p.reason) for p in result.rejected]
    return result.rows, result.accepted, problems, [tuple(r) for r in stored]


def _both(
    db: Session, one: Actor, other: Actor, clock: Clock, path: Path
) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """The same file delivered by two providers (the import commits each chunk, so the two
    cannot be rolled back to the same start): without the helper, then with it."""
    return _run(db, one, path, clock, helper=False), _run(db, other, path, clock, helper=True)


def test_the_helper_gives_the_answer_of_this_process(
    db: Session, provider: Actor, other_provider: Actor, clock: Clock, tmp_path: Path
) -> None:
    without, with_helper = _both(db, other_provider, provider, clock, _file(tmp_path, 130))
    rows, accepted, problems, stored = with_helper
    assert rows == 130
    faulty = {n + 1 for n in range(1, 131) if n % 7 == 0 or n % 11 == 0 or n == 3}
    assert {line for line, _, _ in problems} == faulty
    assert accepted == 130 - len(faulty) == len(stored)
    assert with_helper == without


#: Where :func:`_noted` writes the process that checked each chunk (set by the test).
_PIDS: list[Path] = []
_REAL_CHECK = checking._check_in_helper


def _noted(chunk: checking.Chunk) -> checking.Checked:
    """The helper's check, noting the process it ran in (module level: pickled by name)."""
    with _PIDS[0].open("a") as fh:
        fh.write(f"{os.getpid()}\n")
    return _REAL_CHECK(chunk)


def test_the_next_chunk_is_checked_in_another_process(
    db: Session, provider: Actor, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = tmp_path / "pids"
    _PIDS[:] = [seen]
    monkeypatch.setattr(checking, "_check_in_helper", _noted)
    _run(db, provider, _file(tmp_path, 100), clock, helper=True)
    pids = seen.read_text().split()
    assert len(pids) == 5  # most of chunk 1 (this process checks its start), chunks 2 to 5
    assert str(os.getpid()) not in pids
    assert len(set(pids)) == 1


def _dies(chunk: checking.Chunk) -> checking.Checked:
    os._exit(3)


def _fails(chunk: checking.Chunk) -> checking.Checked:
    raise RuntimeError("a check that fails only in the helper")


def _stuck(chunk: checking.Chunk) -> checking.Checked:
    time.sleep(3)  # longer than the wait the test allows (the helper then ends on its own)
    return _REAL_CHECK(chunk)


def _no_fork(method: str | None = None) -> Any:
    raise ValueError(f"cannot find context for {method!r}")


@pytest.mark.parametrize(
    ("target", "name", "fault"),
    [
        (checking, "_check_in_helper", _dies),
        (checking, "_check_in_helper", _fails),
        (checking.multiprocessing, "get_context", _no_fork),
        (checking, "_check_in_helper", _stuck),
    ],
    ids=["helper dies", "helper fails", "no fork", "helper stuck"],
)
def test_whatever_befalls_the_helper_the_answer_is_the_same(
    db: Session,
    provider: Actor,
    other_provider: Actor,
    clock: Clock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    target: Any,
    name: str,
    fault: Any,
) -> None:
    monkeypatch.setattr(target, name, fault)
    monkeypatch.setattr(checking, "HELPER_WAIT_S", 0.5)
    without, with_helper = _both(db, other_provider, provider, clock, _file(tmp_path, 130))
    assert with_helper == without
