"""Audit use cases (PLT-2): append to the Merkle log, integrate it, sign checkpoints, serve
proofs.

Appending and integrating are two steps, as Trillian and Tessera sequence and integrate. An
append (:func:`record_event`, :func:`record_events`) runs in the caller's transaction and only
*sequences*: it takes the next seqs under the sequencer's lock — dense, in commit order — and
writes each entry with its leaf hash, two statements in all. :func:`integrate` folds every
entry sequenced since into the tree in one batch: the interior nodes it completes, the root at
each new size, the tree head, and the checkpoints that fell due every :data:`CHECKPOINT_EVERY`
entries. The worker runs it every :data:`INTEGRATE_EVERY` (``audit_integrate``), and every
checkpoint, proof and page of entries integrates first, so none of them answers for a tree
that could still change.

Reads through the API: reading *entries* is itself audited (``audit:entry:read``), because the
entries hold non-public information; checkpoints and proofs are not, as they reveal hashes only
(and auditing them would move the tree they describe).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import UpdateBase

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

#: A checkpoint is signed whenever the tree reaches a multiple of this size…
CHECKPOINT_EVERY = 1000
#: …and by the periodic work when the log grew and the latest checkpoint is this old.
CHECKPOINT_INTERVAL = timedelta(minutes=10)
#: The worker integrates this often: no entry waits longer (plus one worker pass) for the tree.
INTEGRATE_EVERY = timedelta(seconds=5)
#: Entries folded in by one integration transaction (the worker's job repeats until none wait).
BATCH_MAX = 50_000
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
    """Append one entry in the caller's transaction (the caller commits); the entry as written
    (not attached to the session). ``tag`` is ``context:object:action``. ``settings`` is
    accepted for callers written when appends signed checkpoints; integration signs them now.
    """
    event = AuditEvent(str(tag), object_type, object_id, subject_id, before, after, reason)
    return _record_one(session, actor, at, event)


class AuditedRow(Protocol):
    """A mapped row an entry is about: its table names the object type, its id the object."""

    @property
    def __tablename__(self) -> str: ...

    @property
    def id(self) -> int: ...


def record_row_event(
    session: Session,
    row: AuditedRow,
    *,
    actor: Actor,
    tag: str,
    at: datetime,
    subject_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
) -> AuditEntry:
    """:func:`record_event` about one row: ``object_type`` is its table's name (``record``,
    ``consent``) and ``object_id`` its id. Same transaction, same entry."""
    event = AuditEvent(str(tag), row.__tablename__, row.id, subject_id, before, after, reason)
    return _record_one(session, actor, at, event)


def _record_one(session: Session, actor: Actor, at: datetime, event: AuditEvent) -> AuditEntry:
    row = _append(session, actor=actor, at=at, events=[event])[0]
    repo.insert_entries(session, [row])
    # The row holds canonical text; callers see the snapshots as JSON values.
    return AuditEntry(**{**row, "before": _loads(row["before"]), "after": _loads(row["after"])})


def record_insert(
    session: Session,
    *,
    actor: Actor,
    at: datetime,
    insert: Insert,
    values: dict[str, Any],
    event: Callable[[int], AuditEvent],
    then: tuple[UpdateBase, dict[str, Any]] | None = None,
) -> int:
    """Insert one row and append the entry ``event(row id)`` about it, then run the write
    ``then`` (statement, binds) if given; the row's id. In the caller's transaction (never
    commits), holding the sequencer's lock from the insert on, as :func:`record_event` does.

    ``insert`` binds every value (``RETURNING id``). On PostgreSQL this is two statements where
    one by one it was four: the insert and the sequencing in one, the entry and ``then`` in
    the other (data-modifying ``WITH``s; a round trip and the driver's work per statement saved
    on the inquiry's path). SQLite runs them one by one."""
    row_id, first = repo.insert_and_sequence(session, insert, values, 1)
    row = _append(session, actor=actor, at=at, events=[event(row_id)], first=first)[0]
    if then is None:
        repo.insert_entries(session, [row])
    else:
        repo.insert_entry_with(session, row, *then)
    return row_id


def record_events(
    session: Session,
    *,
    actor: Actor,
    at: datetime,
    events: Sequence[AuditEvent],
    settings: Settings | None = None,
) -> list[int]:
    """Append many entries under one lock with one bulk insert (bulk delivery); their seqs."""
    rows = _append(session, actor=actor, at=at, events=events)
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
    first: int | None = None,
) -> list[dict[str, Any]]:
    """Sequence ``events``: take their seqs (holding the sequencer's lock to the end of the
    transaction) and build their rows with their leaf hashes. ``first``: the seqs were taken
    already (:func:`record_insert`), from that one on."""
    at_iso = iso_utc(at)  # also refuses a naive instant before anything is written
    for ev in events:
        if not _TAG.match(ev.tag):
            raise ValueError(f"audit tag {ev.tag!r} is not context:object:action")
        if ev.tag not in _KNOWN_TAGS:
            raise ValueError(f"audit tag {ev.tag!r} is not in audit.tags.AuditTag")
    if first is None:
        first = repo.sequence(session, len(events))
    request_id = current_request_id()
    role = str(actor.role)
    rows: list[dict[str, Any]] = []
    for seq, ev in enumerate(events, start=first):
        object_id = None if ev.object_id is None else str(ev.object_id)
        before, after = json_text(ev.before), json_text(ev.after)
        data = entry_bytes(
            seq, at_iso, actor.user_id, actor.display_name, role, actor.org_id, actor.org_name,
            request_id, ev.tag, ev.object_type, object_id, ev.subject_id, before, after,
            ev.reason,
        )  # fmt: skip
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
                "leaf_hash": merkle.leaf_hash(data),
            }
        )
    return rows


@dataclass(frozen=True, slots=True)
class Integration:
    """What one :func:`integrate` did."""

    #: Entries folded into the tree by this batch.
    entries: int
    #: The tree's size after it.
    size: int
    #: Sizes of the checkpoints it signed.
    checkpoints: tuple[int, ...] = ()
    #: Entries still waiting (more than one batch was pending).
    waiting: int = 0


def integrate(
    session: Session, *, settings: Settings | None = None, limit: int | None = None
) -> Integration:
    """Fold up to ``limit`` (default :data:`BATCH_MAX`) sequenced entries into the tree, in
    seq order, in the caller's transaction (flushes; the caller commits): the interior nodes
    they complete, the root at each new size, the head, and a checkpoint at each multiple of
    :data:`CHECKPOINT_EVERY` (dated with the instant of the entry that completes it). Takes
    the tree's lock only when entries wait; a gap in the seqs (an entry deleted before it
    was integrated) is refused."""
    head = repo.read_head(session)
    integrated = 0 if head is None else head.size
    if repo.sequenced_size(session) <= integrated:
        return Integration(0, integrated)
    head = repo.lock_tree(session)
    batch = BATCH_MAX if limit is None else limit
    pending = repo.pending_leaves(session, start=head.size, limit=batch)
    nodes: list[tuple[merkle.Node, bytes]] = []
    roots: list[tuple[int, bytes]] = []
    due: list[tuple[int, bytes, datetime]] = []
    frontier, size = head.frontier, head.size
    for seq, leaf, at in pending:
        if seq != size:
            raise Conflict(
                f"审计日志第 {size} 条缺失，无法并入树 / audit entry {size} is missing and "
                "cannot be integrated: run xinyong audit verify"
            )
        nodes.extend(merkle.frontier_append(frontier, size, leaf))
        size += 1
        roots.append((size, merkle.frontier_root(frontier)))
        if size % CHECKPOINT_EVERY == 0:
            due.append((size, roots[-1][1], at))
    if not roots:
        return Integration(0, head.size)
    repo.save_head(session, repo.Head(size, frontier, roots[-1][1]))
    repo.insert_nodes(session, nodes)
    repo.insert_roots(session, roots)
    if due:
        settings = settings or Settings()
        key = signing.load_or_create_private_key(settings.resolved_audit_key_path())
        for cp_size, root, at in due:
            _sign(session, key, size=cp_size, root=root, at=at, settings=settings)
    waiting = max(0, repo.sequenced_size(session) - size)
    return Integration(len(roots), size, tuple(d[0] for d in due), waiting)


def integrate_all(session: Session, *, settings: Settings | None = None) -> Integration:
    """:func:`integrate` until no entry waits (one transaction: for the CLI and tests; the
    worker commits batch by batch)."""
    total, last = 0, integrate(session, settings=settings)
    signed = list(last.checkpoints)
    total += last.entries
    while last.waiting:
        last = integrate(session, settings=settings)
        total += last.entries
        signed.extend(last.checkpoints)
    return Integration(total, last.size, tuple(signed))


def _sign(
    session: Session,
    key: Ed25519PrivateKey,
    *,
    size: int,
    root: bytes,
    at: datetime,
    settings: Settings,
) -> AuditCheckpoint:
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
    """A checkpoint of the log as it stands, integrated first (the latest one if the tree has
    not grown since)."""
    integrate(session, settings=settings)
    head = repo.lock_tree(session)
    latest = repo.latest_checkpoint(session)
    if latest is not None and latest.size == head.size:
        return latest
    key = signing.load_or_create_private_key(settings.resolved_audit_key_path())
    return _sign(session, key, size=head.size, root=head.root, at=at, settings=settings)


def checkpoint_if_due(
    session: Session, *, at: datetime, settings: Settings, every: timedelta = CHECKPOINT_INTERVAL
) -> AuditCheckpoint | None:
    """The periodic checkpoint (every :data:`CHECKPOINT_INTERVAL`, besides every
    :data:`CHECKPOINT_EVERY` entries): integrates, then signs when the tree grew since the
    latest checkpoint and that one is at least ``every`` old. Flushes; the caller commits."""
    head = integrate(session, settings=settings)
    if head.size == 0:
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
    """A page of entries after seq ``after``, integrated first so that each carries its root;
    the read is itself recorded."""
    require(actor, "audit:read")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit 须在 1 到 {MAX_PAGE} 之间 / limit must be 1..{MAX_PAGE}")
    # This use case integrates and then appends: the sequencer's lock first, as appends take
    # it before any integration does (no two transactions wait for each other).
    repo.lock_sequence(session)
    size = integrate(session).size
    entries = repo.entries_page(session, after=after, limit=limit, below=size)
    roots = repo.roots_at(session, (e.seq + 1 for e in entries))
    page = EntryPage(
        entries=[
            EntryRead.model_validate(
                {**_columns(e), "leaf_hash": b64(e.leaf_hash), "root": b64(roots[e.seq + 1])}
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
    return page


def _columns(e: AuditEntry) -> dict[str, Any]:
    return {k: getattr(e, k) for k in EntryRead.model_fields if k not in ("leaf_hash", "root")}


def _size(session: Session, settings: Settings | None) -> int:
    """The tree's size once every waiting entry (up to a batch) is integrated."""
    return integrate(session, settings=settings).size


def _nodes(session: Session, wanted: set[merkle.Node]) -> dict[merkle.Node, bytes]:
    found = repo.get_nodes(session, wanted)
    if len(found) != len(wanted):
        raise Conflict("审计日志缺少节点，请运行 xinyong audit verify / audit log nodes missing")
    return found


def inclusion_proof(
    session: Session,
    *,
    actor: Actor,
    seq: int,
    size: int | None = None,
    settings: Settings | None = None,
) -> InclusionProofRead:
    """Proof that entry ``seq`` is in the tree of ``size`` entries (default: the whole log,
    integrated first; ``settings`` locate the key of a checkpoint that integration signs)."""
    require(actor, "audit:read")
    total = _size(session, settings)
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
    session: Session,
    *,
    actor: Actor,
    first: int,
    second: int,
    settings: Settings | None = None,
) -> ConsistencyProofRead:
    """Proof that the tree of ``second`` entries extends the tree of ``first`` entries (the
    log integrated first)."""
    require(actor, "audit:read")
    total = _size(session, settings)
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
