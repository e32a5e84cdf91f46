"""Appending to the Merkle log on a real database: dense seqs, stored tree, proofs, checkpoints."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinyong.audit import merkle, signing
from xinyong.audit import service as audit
from xinyong.audit.canonical import entry_bytes, iso_utc
from xinyong.audit.models import AuditCheckpoint, AuditEntry, AuditNode, AuditRoot
from xinyong.audit.verify import verify_log
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.config import Settings
from xinyong.core.context import reset_request_id, set_request_id
from xinyong.core.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied

PROVIDER = Actor(
    role=Role.PROVIDER,
    user_id=11,
    username="p",
    display_name="张三",
    org_id=3,
    org_name="省市场监管局",
)
AUDITOR = Actor(role=Role.AUDITOR, user_id=12, username="a", display_name="审计员")
SYSADMIN = Actor(role=Role.SYSADMIN, user_id=13, username="s", display_name="管理员")
PUBLIC = Actor(role=Role.PUBLIC)


def _fill(db: Session, clock: Clock, n: int) -> list[AuditEntry]:
    return [
        audit.record_event(
            db,
            actor=PROVIDER,
            tag="records:record:create",
            at=clock.now() + timedelta(seconds=i),
            object_type="record",
            object_id=i,
            subject_id=100 + i,
            after={"fields": {"CF_WSH": f"黔市监罚〔2026〕{i}号"}, "n": i},
        )
        for i in range(n)
    ]


def _b64(s: str) -> bytes:
    return base64.b64decode(s)


def test_entries_copy_the_actor_and_request(db: Session, clock: Clock) -> None:
    token = set_request_id("req-42")
    try:
        e = audit.record_event(
            db,
            actor=PROVIDER,
            tag="records:record:amend",
            at=clock.now(),
            object_type="record",
            object_id=9,
            before={"v": 1},
            after={"v": 2, "on": clock.today()},
            reason="更正笔误",
        )
    finally:
        reset_request_id(token)
    assert (e.seq, e.actor_name, e.org_name, e.actor_role) == (
        0,
        "张三",
        "省市场监管局",
        "provider",
    )
    assert e.request_id == "req-42"
    assert e.object_id == "9"
    assert e.after == {"v": 2, "on": "2026-09-30"}
    db.expire_all()
    stored = db.get(AuditEntry, 0)
    assert stored is not None
    assert stored.after == {"v": 2, "on": "2026-09-30"}
    assert stored.at == clock.now()


def _roots(db: Session) -> dict[int, bytes]:
    return {r.size: r.root for r in db.scalars(select(AuditRoot))}


def test_seqs_are_dense_and_the_tree_is_stored(db: Session, clock: Clock) -> None:
    entries = _fill(db, clock, 13)
    assert [e.seq for e in entries] == list(range(13))
    # Appending only sequenced them: the tree is built by integration, in one batch.
    assert db.scalar(select(func.count()).select_from(AuditNode)) == 0
    assert _roots(db) == {}
    assert audit.integrate(db).entries == 13
    leaves = [e.leaf_hash for e in entries]
    roots = _roots(db)
    for e in entries:
        assert roots[e.seq + 1] == merkle.root_from_leaves(leaves[: e.seq + 1])
    # Interior nodes (level >= 1) are stored as they complete: 6 + 3 + 1 for 13 leaves.
    assert db.scalar(select(func.count()).select_from(AuditNode)) == 10
    assert audit.integrate(db).entries == 0  # nothing waits


def test_leaf_hash_covers_the_canonical_bytes(db: Session, clock: Clock) -> None:
    (e,) = _fill(db, clock, 1)
    data = entry_bytes(
        e.seq, iso_utc(e.at), e.actor_id, e.actor_name, e.actor_role, e.org_id, e.org_name,
        e.request_id, e.tag, e.object_type, e.object_id, e.subject_id, None,
        '{"fields":{"CF_WSH":"黔市监罚〔2026〕0号"},"n":0}', e.reason,
    )  # fmt: skip
    assert e.leaf_hash == merkle.leaf_hash(data)


def test_bad_tags_and_naive_instants_are_refused(db: Session, clock: Clock) -> None:
    with pytest.raises(ValueError):
        audit.record_event(db, actor=PROVIDER, tag="create", at=clock.now())
    with pytest.raises(ValueError, match=r"not in audit\.tags\.AuditTag"):  # issue 13 item 5
        audit.record_event(db, actor=PROVIDER, tag="records:record:erase", at=clock.now())
    with pytest.raises(ValueError):
        audit.record_event(db, actor=PROVIDER, tag="a:b:c", at=clock.now().replace(tzinfo=None))


def test_inclusion_and_consistency_proofs_verify(db: Session, clock: Clock) -> None:
    _fill(db, clock, 21)
    # The proofs integrate what waits first: the stored roots are the tree's.
    p = audit.inclusion_proof(db, actor=AUDITOR, seq=3)
    assert p.size == 21
    roots = _roots(db)
    for seq, size in [(0, 1), (5, 21), (20, 21), (7, 8), (12, 13)]:
        p = audit.inclusion_proof(db, actor=AUDITOR, seq=seq, size=size)
        assert _b64(p.root) == roots[size]
        assert merkle.verify_inclusion(
            seq, size, _b64(p.leaf_hash), [_b64(x) for x in p.proof], _b64(p.root)
        )
    c = audit.consistency_proof(db, actor=AUDITOR, first=6, second=21)
    assert _b64(c.first_root) == roots[6]
    assert merkle.verify_consistency(
        6, 21, _b64(c.first_root), _b64(c.second_root), [_b64(x) for x in c.proof]
    )
    with pytest.raises(InvalidInput):
        audit.inclusion_proof(db, actor=AUDITOR, seq=21)
    with pytest.raises(InvalidInput):
        audit.consistency_proof(db, actor=AUDITOR, first=3, second=22)
    with pytest.raises(PermissionDenied):
        audit.inclusion_proof(db, actor=SYSADMIN, seq=0)


def test_checkpoints_are_signed_and_reused(db: Session, clock: Clock, settings: Settings) -> None:
    _fill(db, clock, 3)
    with pytest.raises(NotFound):
        audit.get_checkpoint(db, settings=settings)  # none signed yet
    read = audit.take_checkpoint(db, actor=AUDITOR, at=clock.now(), settings=settings)
    assert read.size == 3
    key_path = settings.resolved_audit_key_path()
    assert key_path.stat().st_mode & 0o777 == 0o600
    public = signing.load_or_create_private_key(key_path).public_key()
    assert read.public_key == base64.b64encode(signing.public_bytes(public)).decode()
    assert read.body == f"xinyong\n3\n{read.root}\n2026-09-30T02:00:00.000000Z\n"
    assert signing.verify(public, read.body.encode(), _b64(read.signature))
    again = audit.take_checkpoint(db, actor=AUDITOR, at=clock.now(), settings=settings)
    assert again == read  # the log did not grow: no new checkpoint
    assert db.scalar(select(func.count()).select_from(AuditCheckpoint)) == 1
    # Anyone reads the latest one (it reveals a size and a hash only).
    assert audit.get_checkpoint(db, settings=settings) == read
    with pytest.raises(PermissionDenied):
        audit.take_checkpoint(db, actor=SYSADMIN, at=clock.now(), settings=settings)
    with pytest.raises(NotAuthenticated):
        audit.take_checkpoint(db, actor=PUBLIC, at=clock.now(), settings=settings)


def test_a_checkpoint_every_thousand_entries(db: Session, clock: Clock, settings: Settings) -> None:
    events = [audit.AuditEvent("records:record:create", "record", i) for i in range(2500)]
    seqs = audit.record_events(db, actor=PROVIDER, at=clock.now(), events=events, settings=settings)
    assert seqs == list(range(2500))
    assert audit.integrate(db, settings=settings, limit=1500).checkpoints == (1000,)
    assert audit.integrate(db, settings=settings).checkpoints == (2000,)
    sizes = db.scalars(select(AuditCheckpoint.size).order_by(AuditCheckpoint.size)).all()
    assert sizes == [1000, 2000]
    result = verify_log(db, settings=settings)
    assert result.ok, result.problem
    assert (result.entries, result.checkpoints) == (2500, 2)


def test_reading_entries_is_itself_audited(db: Session, clock: Clock) -> None:
    _fill(db, clock, 5)
    page = audit.list_entries(db, actor=AUDITOR, after=-1, limit=3, at=clock.now())
    assert [e.seq for e in page.entries] == [0, 1, 2]
    assert page.next == 2
    rest = audit.list_entries(db, actor=AUDITOR, after=2, limit=10, at=clock.now())
    assert [e.seq for e in rest.entries] == [3, 4, 5]  # 5 is the first read, recorded
    assert rest.next is None
    assert rest.entries[-1].tag == "audit:entry:read"
    assert rest.entries[-1].actor_name == "审计员"
    with pytest.raises(InvalidInput):
        audit.list_entries(db, actor=AUDITOR, after=-1, limit=0, at=clock.now())
    with pytest.raises(PermissionDenied):
        audit.list_entries(db, actor=SYSADMIN, after=-1, limit=3, at=clock.now())


def test_the_periodic_checkpoint_every_ten_minutes_when_the_log_grew(
    db: Session, clock: Clock, settings: Settings
) -> None:
    t = clock.now()
    assert audit.checkpoint_if_due(db, at=t, settings=settings) is None  # empty log
    _fill(db, clock, 3)
    first = audit.checkpoint_if_due(db, at=t, settings=settings)
    assert first is not None
    assert first.size == 3
    _fill(db, clock, 2)
    assert audit.checkpoint_if_due(db, at=t + timedelta(minutes=9), settings=settings) is None
    second = audit.checkpoint_if_due(db, at=t + timedelta(minutes=10), settings=settings)
    assert second is not None
    assert second.size > 3
    # Nothing new: no checkpoint, however long it has been.
    assert audit.checkpoint_if_due(db, at=t + timedelta(hours=5), settings=settings) is None


def test_an_audited_insert_writes_the_row_its_entry_and_the_write_after_it(
    db: Session, clock: Clock, settings: Settings
) -> None:
    """``record_insert`` (the inquiry log's path): on PostgreSQL the row and the sequencing are
    one statement and the entry and the following write another; the first one also creates
    the sequencer on a log that has none yet."""
    from xinyong.inquiry import purposes
    from xinyong.inquiry.models import Inquiry, InquiryChannel, InquiryDayCount
    from xinyong.inquiry.repository import INSERT_INQUIRY

    at = clock.now()
    ids = []
    for n in range(3):
        row = {
            "at": at + timedelta(seconds=n), "user_id": 11, "user_name": "张三", "org_id": 3,
            "org_code": "G1", "org_name": "省市场监管局", "request_id": None, "address": None,
            "subject_id": None, "subject_code": f"91520100MA6DKX{n:03d}A", "purpose": "licensing",
            "channel": InquiryChannel.GOVERNMENT, "outcome": "answered", "refusal_code": None,
            "refusal_reason": None, "items": [], "record_ids": [], "consent_id": None,
            "identity_check": None,
        }  # fmt: skip
        counted = purposes.counting(db, user_id=11, channel=InquiryChannel.GOVERNMENT, at=at)
        ids.append(
            audit.record_insert(
                db, actor=PROVIDER, at=row["at"], insert=INSERT_INQUIRY, values=row,
                event=lambda i, n=n: audit.AuditEvent(
                    "inquiry:inquiry:answer", "inquiry", i, after={"n": n}
                ),
                then=counted,
            )
        )  # fmt: skip
    entries = db.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
    assert [(e.seq, e.object_id, e.after) for e in entries] == [
        (n, str(ids[n]), {"n": n}) for n in range(3)
    ]
    assert db.scalars(select(Inquiry.subject_code).order_by(Inquiry.id)).all() == [
        f"91520100MA6DKX{n:03d}A" for n in range(3)
    ]
    assert db.scalar(select(InquiryDayCount.answered).where(InquiryDayCount.user_id == 11)) == 3
    audit.integrate(db)
    assert verify_log(db, settings=settings).ok
