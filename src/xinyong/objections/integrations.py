"""Where objections meet the violation register (GOV-1) and the inquiry log (INQ-2): one
function each, so that the coupling sits in one place."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.accounts.models import Organisation
from xinyong.core.actor import Actor, Role
from xinyong.inquiry.models import Inquiry, Outcome
from xinyong.violations.models import ViolationKind
from xinyong.violations.service import register_violation as _register


def unit_actor(session: Session, org_id: int | None) -> Actor:
    """The unit a missed deadline concerns, as the register records it (no single account
    is at fault when a unit lets a deadline pass)."""
    org = session.get(Organisation, org_id) if org_id is not None else None
    if org is None:
        return Actor(role=Role.CREDIT_OFFICE, username="credit_office", display_name="信用主管部门")
    return Actor(
        role=Role.PROVIDER,
        username=org.code,
        display_name=org.name,
        org_id=org.id,
        org_code=org.code,
        org_name=org.name,
    )


def register_violation(
    session: Session,
    *,
    kind: ViolationKind,
    at: datetime,
    actor: Actor,
    subject_id: int | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Enter a missed deadline (Art. 44 (5)) in the register, in the caller's transaction."""
    _register(
        session,
        kind=kind,
        at=at,
        actor=actor,
        subject_id=subject_id,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )


def recipient_org_ids(
    session: Session, *, record_id: int, subject_id: int, since: datetime
) -> set[int]:
    """Organisations whose answered inquiries since ``since`` returned ``record_id``."""
    rows = session.execute(
        select(Inquiry.org_id, Inquiry.record_ids).where(
            Inquiry.subject_id == subject_id,
            Inquiry.outcome == Outcome.ANSWERED,
            Inquiry.at >= since,
        )
    ).all()
    found: set[int] = set()
    for org_id, returned in rows:
        if org_id is not None and record_id in {int(r) for r in (returned or [])}:
            found.add(int(org_id))
    return found
