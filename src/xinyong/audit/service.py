"""Audit use cases. (Stub: appends entries; the Merkle log replaces this.)"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinyong.audit.models import AuditEntry
from xinyong.core.actor import Actor
from xinyong.core.context import current_request_id


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
) -> AuditEntry:
    """Append one entry in the caller's transaction (the caller commits)."""
    seq = session.scalar(select(func.coalesce(func.max(AuditEntry.seq) + 1, 0)))
    entry = AuditEntry(
        seq=seq,
        at=at,
        actor_id=actor.user_id,
        actor_name=actor.display_name,
        actor_role=str(actor.role),
        org_id=actor.org_id,
        org_name=actor.org_name,
        request_id=current_request_id(),
        tag=tag,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        subject_id=subject_id,
        before=before,
        after=after,
        reason=reason,
        leaf_hash=hashlib.sha256(json.dumps(tag).encode()).digest(),
    )
    session.add(entry)
    session.flush()
    return entry
