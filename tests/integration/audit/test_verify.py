"""Tampering with the audit log by raw SQL is detected, naming the first bad entry (PLT-2)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.conftest import FROZEN
from xinyong.audit import merkle
from xinyong.audit import service as audit
from xinyong.audit.canonical import entry_bytes
from xinyong.audit.repository import stream_entries
from xinyong.audit.verify import verify_log
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.config import Settings
from xinyong.core.errors import Conflict

ACTOR = Actor(role=Role.PROVIDER, user_id=5, display_name="李四", org_id=2, org_name="省税务局")
N = 12


@pytest.fixture
def log(db: Session, clock: Clock, settings: Settings) -> Session:
    for i in range(N):
        audit.record_event(
            db,
            actor=ACTOR,
            tag="records:record:create",
            at=clock.now() + timedelta(minutes=i),
            object_type="record",
            object_id=i,
            subject_id=i % 3,
            before=None if i % 2 else {"status": "draft"},
            after={"status": "published", "i": i},
            reason=f"reason {i}",
        )
    audit.integrate(db, settings=settings)
    return db


@pytest.fixture
def waiting(log: Session, clock: Clock) -> Session:
    """The log with three more entries, sequenced but not yet integrated into the tree."""
    for i in range(N, N + 3):
        audit.record_event(
            log, actor=ACTOR, tag="records:record:create", at=clock.now(), object_id=i
        )
    return log


def _sql(db: Session, sql: str, **params: object) -> None:
    db.execute(text(sql), params)


def _verify(db: Session, settings: Settings, **kw: bool) -> tuple[int | None, str | None]:
    result = verify_log(db, settings=settings, **kw)
    assert result.ok == (result.code is None)
    return result.first_bad_seq, result.code


def test_an_untouched_log_verifies(log: Session, settings: Settings) -> None:
    audit.make_checkpoint(log, at=audit_now(), settings=settings)
    result = verify_log(log, settings=settings, thorough=True)
    assert result.ok, result.problem
    assert (result.entries, result.checkpoints) == (N, 1)
    assert result.root == merkle.root_from_leaves([bytes(r[15]) for r in stream_entries(log)])
    assert result.rate > 0


def test_empty_log_verifies(db: Session, settings: Settings) -> None:
    result = verify_log(db, settings=settings)
    assert result.ok
    assert result.entries == 0
    assert result.root == merkle.EMPTY_ROOT


def audit_now() -> datetime:
    return FROZEN


def test_an_edited_field_names_its_entry(log: Session, settings: Settings) -> None:
    _sql(log, "UPDATE audit_entry SET reason = 'nothing happened' WHERE seq = 7")
    assert _verify(log, settings) == (7, "edited")


def test_an_edited_snapshot_names_its_entry(log: Session, settings: Settings) -> None:
    _sql(log, "UPDATE audit_entry SET after = :a WHERE seq = 4", a='{"i":4,"status":"withdrawn"}')
    assert _verify(log, settings) == (4, "edited")


def test_an_edited_actor_name_names_its_entry(log: Session, settings: Settings) -> None:
    _sql(log, "UPDATE audit_entry SET actor_name = '王五' WHERE seq = 2")
    assert _verify(log, settings) == (2, "edited")


def test_an_emptied_required_field_is_reported(log: Session, settings: Settings) -> None:
    _sql(log, "UPDATE audit_entry SET before = '' WHERE seq = 3")
    assert _verify(log, settings) == (3, "edited")


def test_a_deleted_entry_is_missing(log: Session, settings: Settings) -> None:
    _sql(log, "DELETE FROM audit_entry WHERE seq = 5")
    assert _verify(log, settings) == (5, "missing")


def test_deleting_the_last_entries_is_truncation(log: Session, settings: Settings) -> None:
    _sql(log, "DELETE FROM audit_entry WHERE seq >= 10")
    assert _verify(log, settings) == (10, "truncated")


def test_truncation_behind_a_rewound_head_is_caught_by_a_checkpoint(
    log: Session, settings: Settings
) -> None:
    audit.make_checkpoint(log, at=audit_now(), settings=settings)
    rows = list(stream_entries(log))
    _sql(log, "DELETE FROM audit_entry WHERE seq >= 10")
    _sql(log, "UPDATE audit_head SET size = 10, root = :r", r=bytes(rows[9][16]))
    seq, code = _verify(log, settings)
    assert (seq, code) == (10, "truncated")


def test_a_fake_row_is_caught(log: Session, settings: Settings) -> None:
    row = list(stream_entries(log))[-1]
    _sql(
        log,
        "INSERT INTO audit_entry (seq, at, actor_name, actor_role, tag, leaf_hash) "
        "SELECT 12, at, '赵六', 'credit_office', 'records:record:delete', leaf_hash "
        "FROM audit_entry WHERE seq = 11",
    )
    assert row[0] == 11
    assert _verify(log, settings) == (12, "edited")


def test_a_well_forged_fake_row_is_caught_by_the_head(log: Session, settings: Settings) -> None:
    rows = list(stream_entries(log))
    frontier: list[bytes] = []
    for i, r in enumerate(rows):
        merkle.frontier_append(frontier, i, bytes(r[15]))
    fake = (N, *rows[-1][1:15])
    leaf = merkle.leaf_hash(entry_bytes(*fake))
    merkle.frontier_append(frontier, N, leaf)
    _sql(
        log,
        "INSERT INTO audit_entry (seq, at, actor_id, actor_name, actor_role, org_id, org_name,"
        " request_id, tag, object_type, object_id, subject_id, before, after, reason,"
        " leaf_hash) SELECT :seq, at, actor_id, actor_name, actor_role, org_id, org_name,"
        " request_id, tag, object_type, object_id, subject_id, before, after, reason, :leaf"
        " FROM audit_entry WHERE seq = 11",
        seq=N,
        leaf=leaf,
    )
    _sql(log, "INSERT INTO audit_root (size, root) VALUES (:n, :r)", n=N + 1,
         r=merkle.frontier_root(frontier))  # fmt: skip
    assert _verify(log, settings) == (N, "inserted")


def test_swapped_contents_are_caught(log: Session, settings: Settings) -> None:
    cols = "at, object_id, subject_id, before, after, reason, leaf_hash"
    _sql(log, f"CREATE TEMPORARY TABLE t AS SELECT seq, {cols} FROM audit_entry")
    sets = ", ".join(f"{c} = (SELECT {c} FROM t WHERE t.seq = :other)" for c in cols.split(", "))
    _sql(log, f"UPDATE audit_entry SET {sets} WHERE seq = :seq", seq=3, other=8)
    _sql(log, f"UPDATE audit_entry SET {sets} WHERE seq = :seq", seq=8, other=3)
    _sql(log, "DROP TABLE t")
    assert _verify(log, settings) == (3, "edited")


def _rewrite(db: Session, seq: int, *, roots: bool, head: bool) -> None:
    """An attacker who edits entry ``seq`` and recomputes its leaf (and optionally every later
    root and the head) — everything but the signed checkpoints."""
    _sql(db, "UPDATE audit_entry SET reason = 'rewritten' WHERE seq = :s", s=seq)
    rows = list(stream_entries(db))
    frontier: list[bytes] = []
    for i, r in enumerate(rows):
        leaf = merkle.leaf_hash(entry_bytes(*r[:15]))
        merkle.frontier_append(frontier, i, leaf)
        if i == seq:
            _sql(db, "UPDATE audit_entry SET leaf_hash = :l WHERE seq = :s", l=leaf, s=i)
        if roots and i >= seq:
            root = merkle.frontier_root(frontier)
            _sql(db, "UPDATE audit_root SET root = :r WHERE size = :n", r=root, n=i + 1)
    if head:
        _sql(db, "UPDATE audit_head SET root = :r", r=merkle.frontier_root(frontier))


def test_a_rewritten_leaf_breaks_the_stored_roots(log: Session, settings: Settings) -> None:
    _rewrite(log, 4, roots=False, head=False)
    assert _verify(log, settings) == (4, "root_mismatch")
    assert _verify(log, settings, thorough=True) == (4, "root_mismatch")


def test_a_consistent_rewrite_is_caught_by_the_signed_checkpoint(
    log: Session, settings: Settings
) -> None:
    audit.make_checkpoint(log, at=audit_now(), settings=settings)
    _rewrite(log, 4, roots=True, head=True)
    result = verify_log(log, settings=settings)
    assert (result.first_bad_seq, result.code) == (0, "checkpoint_mismatch")
    assert "size 12" in (result.problem or "")


def test_a_consistent_rewrite_without_checkpoint_is_undetectable_by_design(
    log: Session, settings: Settings
) -> None:
    # Why checkpoints exist: without one, a full rewrite leaves a self-consistent log.
    _rewrite(log, 4, roots=True, head=True)
    assert verify_log(log, settings=settings).ok


def test_an_altered_checkpoint_signature_is_caught(log: Session, settings: Settings) -> None:
    audit.make_checkpoint(log, at=audit_now(), settings=settings)
    _sql(log, "UPDATE audit_checkpoint SET size = 11")
    assert _verify(log, settings) == (None, "checkpoint_signature")


def test_checkpoints_need_the_key_file(log: Session, settings: Settings) -> None:
    audit.make_checkpoint(log, at=audit_now(), settings=settings)
    settings.resolved_audit_key_path().unlink()
    assert _verify(log, settings) == (None, "key_missing")


def test_a_tampered_intermediate_root_is_found_by_a_thorough_check(
    log: Session, settings: Settings
) -> None:
    _sql(log, "UPDATE audit_root SET root = :r WHERE size = 7", r=b"\x06" * 32)
    assert _verify(log, settings, thorough=True) == (6, "root_mismatch")


def test_a_deleted_stored_root_is_reported(log: Session, settings: Settings) -> None:
    _sql(log, "DELETE FROM audit_root WHERE size = 9")
    assert _verify(log, settings, thorough=True) == (8, "root_mismatch")
    _sql(log, "DELETE FROM audit_root WHERE size = 12")  # the tree head's size
    assert _verify(log, settings) == (8, "root_mismatch")


def test_entries_waiting_for_integration_verify(waiting: Session, settings: Settings) -> None:
    for thorough in (False, True):
        result = verify_log(waiting, settings=settings, thorough=thorough)
        assert result.ok, result.problem
        assert result.entries == N + 3
    assert result.root == merkle.root_from_leaves([bytes(r[15]) for r in stream_entries(waiting)])


def test_an_entry_waiting_for_integration_is_checked_as_well(
    waiting: Session, settings: Settings
) -> None:
    _sql(waiting, "UPDATE audit_entry SET object_id = '99' WHERE seq = :s", s=N + 1)
    assert _verify(waiting, settings) == (N + 1, "edited")
    assert _verify(waiting, settings, thorough=True) == (N + 1, "edited")


def test_a_waiting_entry_deleted_is_missing_and_blocks_integration(
    waiting: Session, settings: Settings
) -> None:
    _sql(waiting, "DELETE FROM audit_entry WHERE seq = :s", s=N + 1)
    assert _verify(waiting, settings) == (N + 1, "missing")
    with pytest.raises(Conflict, match=f"audit entry {N + 1} is missing"):
        audit.integrate(waiting, settings=settings)


def test_the_last_waiting_entries_deleted_is_truncation(
    waiting: Session, settings: Settings
) -> None:
    _sql(waiting, "DELETE FROM audit_entry WHERE seq >= :s", s=N + 1)
    assert _verify(waiting, settings) == (N + 1, "truncated")
