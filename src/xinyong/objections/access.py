"""Who may see and handle an objection, and how it is shown (shared by the use cases)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, RuleViolation
from xinyong.handling.access import CaseKind, is_handler, signed_in, visible, working_days
from xinyong.handling.reads import as_stored, case_fields
from xinyong.objections import rules
from xinyong.objections.models import Objection, ObjectionStatus
from xinyong.objections.schemas import ObjectionRead

__all__ = ["is_handler", "signed_in", "visible", "working_days"]


class ObjectionClosed(Conflict, code="objection_closed"): ...


class ObjectionOpen(Conflict, code="objection_open"): ...


class AssistanceTooLate(RuleViolation, code="assistance_too_late"):
    """Assistance asked for after the first 3 working days (Art. 32)."""


#: Who may see an objection, and who handles it while undecided (Art. 32).
OBJECTIONS = CaseKind(
    Objection, "没有异议 {id} / no objection {id}",
    "只有信息提供单位或信用主管部门可以处理异议 / only the record's provider or the credit office "
    "handles an objection", lambda o: o.status is not ObjectionStatus.DECIDED,
    lambda o: ObjectionClosed(f"异议 {o.id} 已处理完毕 / objection {o.id} is decided"),
)  # fmt: skip
load, load_handled = OBJECTIONS.load, OBJECTIONS.load_handled


def objection_read(session: Session, objection: Objection, *, today: date) -> ObjectionRead:
    decided = objection.status is ObjectionStatus.DECIDED
    return ObjectionRead(
        **case_fields(session, objection, today=today, done=decided),
        **as_stored(objection, _OWN_COLUMNS),
        kind=objection.kind.value,
        outcome=objection.outcome.value if objection.outcome else None,
        filed_by=objection.filed_by_name,
    )


#: An objection's own columns, read as stored.
_OWN_COLUMNS = ("channel", "reason", "on_behalf", "assistance_requested_at", "assisting_unit",
                "amendment_version")  # fmt: skip


def filed(
    session: Session,
    actor: Actor,
    *,
    on_behalf: bool,
    identity_check: str | None,
    reason: str,
    reason_hash: str,
    at: datetime,
    idempotency_key: str | None,
) -> dict[str, Any]:
    """The columns of an objection as it is filed (Art. 32): who filed it and for whom, why,
    when it arrived and when its answer is due."""
    return {
        "filed_by_id": actor.user_id,
        "filed_by_name": actor.display_name,
        "on_behalf": on_behalf,
        "identity_check": identity_check,
        "reason": reason,
        "reason_hash": reason_hash,
        "received_at": at,
        "due_on": rules.objection_due(
            rules.received_on(at), assistance=False, calendar=working_days(session)
        ),
        "status": ObjectionStatus.RECEIVED,
        "idempotency_key": idempotency_key,
    }
