"""The auditor's desk (PLT-1, PLT-2, DESIGN §6): the audit log searched by tag, actor, role and
dates; the signed checkpoints; and a verification run on demand ("verify now"), the same check
as ``xinyong audit verify`` (the log against itself, its checkpoints, the witness directory and
every row bound to an entry). Reads only the auditor may make; nothing here commits.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from xinyong.audit import repository as repo
from xinyong.audit import witness
from xinyong.audit.binding import verify_bindings
from xinyong.audit.models import AuditEntry
from xinyong.audit.schemas import CheckpointRead
from xinyong.audit.service import checkpoint_read, record_event
from xinyong.audit.verify import verify_log
from xinyong.core.actor import Actor
from xinyong.core.clock import PLATFORM_ZONE
from xinyong.core.config import Settings
from xinyong.core.permissions import require

MAX_PER_PAGE = 200


@dataclass(frozen=True, slots=True)
class EntryFilter:
    """What the auditor looks for; empty fields do not filter."""

    tag: str = ""
    actor: str = ""
    role: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True, slots=True)
class EntryRow:
    seq: int
    at: datetime
    actor_name: str
    actor_role: str
    org_name: str | None
    tag: str
    object_type: str | None
    object_id: str | None
    reason: str | None
    request_id: str | None


class VerificationRead(BaseModel):
    """``POST /audit/verification``: the result of a verification run."""

    ok: bool
    entries: int
    root: str
    checkpoints: int
    witnessed: int
    rows_bound: int
    seconds: float
    first_bad_seq: int | None
    code: str | None
    problem: str | None
    warning: str | None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=PLATFORM_ZONE)


def _where(stmt: Select[Any], f: EntryFilter) -> Select[Any]:
    if f.tag:
        stmt = stmt.where(AuditEntry.tag.startswith(f.tag, autoescape=True))
    if f.actor:
        stmt = stmt.where(AuditEntry.actor_name.contains(f.actor, autoescape=True))
    if f.role:
        stmt = stmt.where(AuditEntry.actor_role == f.role)
    if f.object_id:
        stmt = stmt.where(AuditEntry.object_id == f.object_id)
    if f.date_from:
        stmt = stmt.where(AuditEntry.at >= _day_start(f.date_from))
    if f.date_to:
        stmt = stmt.where(AuditEntry.at < _day_start(f.date_to + timedelta(days=1)))
    return stmt


def search_entries(
    session: Session, *, actor: Actor, f: EntryFilter, page: int, per_page: int, newest: bool
) -> tuple[list[EntryRow], int]:
    """One page of the entries matching ``f`` (newest first unless ``newest`` is False), and
    how many match."""
    require(actor, "audit:read")
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    total = int(session.scalar(_where(select(func.count(AuditEntry.seq)), f)) or 0)
    order = AuditEntry.seq.desc() if newest else AuditEntry.seq.asc()
    stmt = _where(select(AuditEntry), f).order_by(order)
    stmt = stmt.offset((max(page, 1) - 1) * per_page).limit(per_page)
    rows = [
        EntryRow(
            e.seq,
            e.at,
            e.actor_name,
            e.actor_role,
            e.org_name,
            e.tag,
            e.object_type,
            e.object_id,
            e.reason,
            e.request_id,
        )
        for e in session.scalars(stmt)
    ]
    return rows, total


def entry_detail(session: Session, *, actor: Actor, seq: int) -> dict[str, Any] | None:
    """One entry whole (before and after included), or ``None``."""
    require(actor, "audit:read")
    e = session.get(AuditEntry, seq)
    if e is None:
        return None
    return {
        "seq": e.seq,
        "at": e.at,
        "actor_name": e.actor_name,
        "actor_role": e.actor_role,
        "org_name": e.org_name,
        "request_id": e.request_id,
        "tag": e.tag,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "subject_id": e.subject_id,
        "before": e.before,
        "after": e.after,
        "reason": e.reason,
        "leaf_hash": base64.b64encode(e.leaf_hash).decode(),
    }


def checkpoints(session: Session, *, actor: Actor, settings: Settings) -> Sequence[CheckpointRead]:
    """Every signed checkpoint, the newest first."""
    require(actor, "audit:read")
    return [checkpoint_read(cp, settings) for cp in reversed(repo.all_checkpoints(session))]


def log_size(session: Session) -> int:
    """Entries in the log (integrated into the tree or waiting for the next batch)."""
    return repo.sequenced_size(session)


def verify_now(
    session: Session, *, actor: Actor, settings: Settings, at: datetime
) -> VerificationRead:
    """Run the whole verification, as ``xinyong audit verify`` does, and record that it ran and
    what it found (the caller commits)."""
    require(actor, "audit:read")
    try:
        trusted = witness.load(settings.resolved_audit_witness_dir())
    except witness.WitnessError:
        trusted = []
    result = verify_log(session, settings=settings, trusted=trusted)
    bound = verify_bindings(session) if result.ok else None
    failed = bound is not None and not bound.ok
    read = VerificationRead(
        ok=result.ok and not failed,
        entries=result.entries,
        root=base64.b64encode(result.root).decode(),
        checkpoints=result.checkpoints,
        witnessed=result.witnessed,
        rows_bound=bound.rows if bound is not None else 0,
        seconds=round(result.seconds, 3),
        first_bad_seq=result.first_bad_seq,
        code=bound.code if failed and bound else result.code,
        problem=bound.problem if failed and bound else result.problem,
        warning=result.warning,
    )
    record_event(
        session,
        actor=actor,
        tag="audit:log:verify",
        at=at,
        object_type="audit_log",
        after=read.model_dump(include={"ok", "entries", "checkpoints", "witnessed", "code"}),
    )
    return read
