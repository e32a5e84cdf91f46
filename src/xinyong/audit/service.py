"""Audit use cases (PLT-2): append to the Merkle log, sign checkpoints, serve proofs.

Reads through the API: reading *entries* is itself audited (``audit:entry:read``), because the
entries hold non-public information; checkpoints and proofs are not, as they reveal hashes only
(and auditing them would move the tree they describe).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from xinyong.audit import merkle, signing, witness
from xinyong.audit import repository as repo
from xinyong.audit.canonical import entry_bytes, iso_utc, json_text
from xinyong.audit.models import AuditCheckpoint, AuditEntry
from xinyong.audit.schemas import (
    CheckpointRead,
    ConsistencyProofRead,
    EntryPage,
    EntryRead,
    InclusionProofRead,
    b64,
)
from xinyong.audit.tags import AuditTag
from xinyong.core.actor import Actor
from xinyong.core.config import Settings
from xinyong.core.context import current_request_id
from xinyong.core.errors import Conflict, InvalidInput, NotFound
from xinyong.core.permissions import require

#: A checkpoint is signed whenever the log reaches a multiple of this size…
CHECKPOINT_EVERY = 1000
#: …and by the periodic work when the log grew and the latest checkpoint is this old.
CHECKPOINT_INTERVAL = timedelta(minutes=10)
MAX_PAGE = 1000
_KNOWN_TAGS = frozenset(t.value for t in AuditTag)
_TAG = re.compile(r"^[a-z0-9_.-]+:[a-z0-9_.-]+:[a-z0-9_.-]+$")


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One event of a batch (:func:`record_events`); the fields of :func:`record_event`."""

    tag: str
    object_type: str | None = None
    object_id: str | int | None = None
    subject_id: int | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    reason: str | None = None


def record_event(
    session: Session,
    *,
    actor: Actor,
    tag: str,
    at: datetime,
    object_type: str | None = None,
    object_id: str | int | None = None,
    subject_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
    settings: Settings | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction (the caller commits).

    ``tag`` is ``context:object:action``. ``settings`` locate the checkpoint key when this
    append completes a multiple of :data:`CHECKPOINT_EVERY` (default: the environment's).
    """
    event = AuditEvent(str(tag), object_type, object_id, subject_id, before, after, reason)
    row = _append(session, actor=actor, at=at, events=[event], settings=settings)[0]
    entry = AuditEntry(**row)
    session.add(entry)
    session.flush()
    # The row holds canonical text; callers see the snapshots as JSON values.
    set_committed_value(entry, "before", _loads(row["before"]))
    set_committed_value(entry, "after", _loads(row["after"]))
    return entry


def record_events(
    session: Session,
    *,
    actor: Actor,
    at: datetime,
    events: Sequence[AuditEvent],
    settings: Settings | None = None,
) -> list[int]:
    """Append many entries under one lock with bulk inserts (bulk delivery); their seqs."""
    rows = _append(session, actor=actor, at=at, events=events, settings=settings)
    repo.insert_entries(session, rows)
    return [int(r["seq"]) for r in rows]


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _append(
    session: Session,
    *,
    actor: Actor,
    at: datetime,
    events: Sequence[AuditEvent],
    settings: Settings | None,
) -> list[dict[str, Any]]:
    at_iso = iso_utc(at)  # also refuses a naive instant before anything is written
    for ev in events:
        if not _TAG.match(ev.tag):
            raise ValueError(f"audit tag {ev.tag!r} is not context:object:action")
        if ev.tag not in _KNOWN_TAGS:
            raise ValueError(f"audit tag {ev.tag!r} is not in audit.tags.AuditTag")
    head = repo.lock_head(session)
    request_id = current_request_id()
    role = str(actor.role)
    rows: list[dict[str, Any]] = []
    nodes: list[tuple[merkle.Node, bytes]] = []
    due: list[tuple[int, bytes]] = []
    for ev in events:
        seq = head.size
        object_id = None if ev.object_id is None else str(ev.object_id)
        before, after = json_text(ev.before), json_text(ev.after)
        data = entry_bytes(
            seq, at_iso, actor.user_id, actor.display_name, role, actor.org_id, actor.org_name,
            request_id, ev.tag, ev.object_type, object_id, ev.subject_id, before, after,
            ev.reason,
        )  # fmt: skip
        leaf = merkle.leaf_hash(data)
        nodes.extend(merkle.frontier_append(head.frontier, seq, leaf))
        head.size += 1
        head.root = merkle.frontier_root(head.frontier)
        if head.size % CHECKPOINT_EVERY == 0:
            due.append((head.size, head.root))
        rows.append(
            {
                "seq": seq,
                "at": at,
                "actor_id": actor.user_id,
                "actor_name": actor.display_name,
                "actor_role": role,
                "org_id": actor.org_id,
                "org_name": actor.org_name,
                "request_id": request_id,
                "tag": ev.tag,
                "object_type": ev.object_type,
                "object_id": object_id,
                "subject_id": ev.subject_id,
                "before": before,
                "after": after,
                "reason": ev.reason,
                "leaf_hash": leaf,
                "root": head.root,
            }
        )
    repo.save_head(session, head)
    repo.insert_nodes(session, nodes)
    for size, root in due:
        _sign(session, size=size, root=root, at=at, settings=settings or Settings())
    return rows


def _sign(
    session: Session, *, size: int, root: bytes, at: datetime, settings: Settings
) -> AuditCheckpoint:
    key = signing.load_or_create_private_key(settings.resolved_audit_key_path())
    cp = AuditCheckpoint(
        size=size,
        root=root,
        signature=signing.sign(key, signing.checkpoint_body(size, root, at)),
        at=at,
        key_id=signing.key_id(key.public_key()),
    )
    session.add(cp)
    session.flush()
    # Also outside the database, once this transaction commits (witness.py).
    witness.after_commit(
        session, settings.resolved_audit_witness_dir(), _read(cp, key.public_key())
    )
    return cp


def make_checkpoint(session: Session, *, at: datetime, settings: Settings) -> AuditCheckpoint:
    """A checkpoint of the log as it stands (the latest one if the log has not grown since)."""
    head = repo.lock_head(session)
    latest = repo.latest_checkpoint(session)
    if latest is not None and latest.size == head.size:
        return latest
    return _sign(session, size=head.size, root=head.root, at=at, settings=settings)


def checkpoint_if_due(
    session: Session, *, at: datetime, settings: Settings, every: timedelta = CHECKPOINT_INTERVAL
) -> AuditCheckpoint | None:
    """The periodic checkpoint (every :data:`CHECKPOINT_INTERVAL`, besides every
    :data:`CHECKPOINT_EVERY` entries): signed when the log grew since the latest one and that
    one is at least ``every`` old. Flushes; the caller commits."""
    head = repo.read_head(session)
    if head is None or head.size == 0:
        return None
    latest = repo.latest_checkpoint(session)
    if latest is not None and (latest.size == head.size or at - latest.at < every):
        return None
    return make_checkpoint(session, at=at, settings=settings)


def _read(cp: AuditCheckpoint, key: Ed25519PublicKey) -> CheckpointRead:
    return CheckpointRead(
        origin=signing.ORIGIN,
        size=cp.size,
        root=b64(cp.root),
        signature=b64(cp.signature),
        at=cp.at,
        key_id=cp.key_id,
        public_key=b64(signing.public_bytes(key)),
        body=signing.checkpoint_body(cp.size, cp.root, cp.at).decode(),
    )


def checkpoint_read(cp: AuditCheckpoint, settings: Settings) -> CheckpointRead:
    key = signing.load_or_create_private_key(settings.resolved_audit_key_path()).public_key()
    return _read(cp, key)


def get_checkpoint(session: Session, *, settings: Settings) -> CheckpointRead:
    """``GET /audit/checkpoint``, for anyone: the latest signed tree head. It reveals a size
    and a hash only, and lets anyone keep a copy the database cannot reach."""
    latest = latest_checkpoint_read(session, settings=settings)
    if latest is None:
        raise no_checkpoint()
    return latest


def latest_checkpoint_read(session: Session, *, settings: Settings) -> CheckpointRead | None:
    """The answer of ``GET /audit/checkpoint``, or ``None`` before the first checkpoint (what
    the publication store copies for the public server)."""
    latest = repo.latest_checkpoint(session)
    return None if latest is None else checkpoint_read(latest, settings)


def no_checkpoint() -> NotFound:
    return NotFound("尚未签署检查点 / no checkpoint has been signed yet", code="no_checkpoint")


def take_checkpoint(
    session: Session, *, actor: Actor, at: datetime, settings: Settings
) -> CheckpointRead:
    """``POST /audit/checkpoint`` (auditors): sign a checkpoint of the log as it stands now."""
    require(actor, "audit:read")
    cp = make_checkpoint(session, at=at, settings=settings)
    read = checkpoint_read(cp, settings)
    session.flush()
    return read


def list_entries(
    session: Session, *, actor: Actor, after: int, limit: int, at: datetime
) -> EntryPage:
    """A page of entries after seq ``after``; the read is itself recorded."""
    require(actor, "audit:read")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit 须在 1 到 {MAX_PAGE} 之间 / limit must be 1..{MAX_PAGE}")
    entries = repo.entries_page(session, after=after, limit=limit)
    page = EntryPage(
        entries=[
            EntryRead.model_validate(
                {**_columns(e), "leaf_hash": b64(e.leaf_hash), "root": b64(e.root)}
            )
            for e in entries
        ],
        next=entries[-1].seq if len(entries) == limit else None,
    )
    record_event(
        session,
        actor=actor,
        tag="audit:entry:read",
        at=at,
        object_type="audit_entry",
        after={"after": after, "limit": limit, "returned": len(entries)},
    )
    session.flush()
    return page


def _columns(e: AuditEntry) -> dict[str, Any]:
    return {k: getattr(e, k) for k in EntryRead.model_fields if k not in ("leaf_hash", "root")}


def _size(session: Session) -> int:
    head = repo.read_head(session)
    return 0 if head is None else head.size


def _nodes(session: Session, wanted: set[merkle.Node]) -> dict[merkle.Node, bytes]:
    found = repo.get_nodes(session, wanted)
    if len(found) != len(wanted):
        raise Conflict("审计日志缺少节点，请运行 xinyong audit verify / audit log nodes missing")
    return found


def inclusion_proof(
    session: Session, *, actor: Actor, seq: int, size: int | None = None
) -> InclusionProofRead:
    """Proof that entry ``seq`` is in the tree of ``size`` entries (default: the whole log)."""
    require(actor, "audit:read")
    total = _size(session)
    size = total if size is None else size
    if not 0 <= seq < size <= total:
        raise InvalidInput(
            f"需要 0 ≤ seq < size ≤ {total} / need 0 <= seq < size <= {total} (the log size)"
        )
    plan = merkle.inclusion_plan(seq, size)
    top = merkle.range_nodes(0, size)
    found = _nodes(session, merkle.plan_nodes(plan) | set(top) | {(0, seq)})
    return InclusionProofRead(
        seq=seq,
        size=size,
        leaf_hash=b64(found[(0, seq)]),
        root=b64(merkle.fold(top, found)),
        proof=[b64(h) for h in merkle.assemble(plan, found)],
    )


def consistency_proof(
    session: Session, *, actor: Actor, first: int, second: int
) -> ConsistencyProofRead:
    """Proof that the tree of ``second`` entries extends the tree of ``first`` entries."""
    require(actor, "audit:read")
    total = _size(session)
    if not 0 <= first <= second <= total:
        raise InvalidInput(
            f"需要 0 ≤ first ≤ second ≤ {total} / need 0 <= first <= second <= {total}"
        )
    plan = merkle.consistency_plan(first, second)
    top1, top2 = merkle.range_nodes(0, first), merkle.range_nodes(0, second)
    found = _nodes(session, merkle.plan_nodes(plan) | set(top1) | set(top2))
    return ConsistencyProofRead(
        first=first,
        second=second,
        first_root=b64(merkle.fold(top1, found)),
        second_root=b64(merkle.fold(top2, found)),
        proof=[b64(h) for h in merkle.assemble(plan, found)],
    )
