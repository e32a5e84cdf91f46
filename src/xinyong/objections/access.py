"""Who may see and handle an objection, and how it is shown (shared by the use cases)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from xinyong.calendar import service as calendar
from xinyong.core.actor import Actor, Role
from xinyong.core.errors import (
    CalendarNotCovered,
    Conflict,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    RuleViolation,
)
from xinyong.objections import repository as repo
from xinyong.objections import rules
from xinyong.objections.models import Objection, ObjectionStatus
from xinyong.objections.schemas import ObjectionRead


class ObjectionClosed(Conflict):
    code = "objection_closed"


class ObjectionOpen(Conflict):
    code = "objection_open"


class AssistanceTooLate(RuleViolation):
    """Assistance asked for after the first 3 working days (Art. 32)."""

    code = "assistance_too_late"


def working_days(session: Session) -> rules.WorkingDays:
    return lambda start, n: calendar.deadline(session, start=start, working_days=n)


def is_handler(actor: Actor, objection: Objection) -> bool:
    """The record's provider, or the credit office (objections oversight, Art. 32)."""
    if actor.role is Role.CREDIT_OFFICE:
        return True
    return (
        actor.role in (Role.PROVIDER, Role.INSTITUTION)
        and actor.org_id is not None
        and objection.provider_org_id == actor.org_id
    )


def visible(actor: Actor, objection: Objection) -> bool:
    if actor.role is Role.SUBJECT:
        return actor.subject_id is not None and objection.subject_id == actor.subject_id
    return is_handler(actor, objection)


def signed_in(actor: Actor) -> None:
    if actor.is_anonymous:
        raise NotAuthenticated("Log in to do this. 请先登录。")


def load(session: Session, actor: Actor, objection_id: int) -> Objection:
    signed_in(actor)
    objection = repo.get(session, objection_id)
    if objection is None or not visible(actor, objection):
        raise NotFound(f"没有异议 {objection_id} / no objection {objection_id}")
    return objection


def load_handled(session: Session, actor: Actor, objection_id: int) -> Objection:
    objection = load(session, actor, objection_id)
    if not is_handler(actor, objection):
        raise PermissionDenied(
            "只有信息提供单位或信用主管部门可以处理异议 / only the record's provider or the "
            "credit office handles an objection"
        )
    if objection.status is ObjectionStatus.DECIDED:
        raise ObjectionClosed(
            f"异议 {objection.id} 已处理完毕 / objection {objection.id} is decided"
        )
    return objection


def objection_read(session: Session, objection: Objection, *, today: date) -> ObjectionRead:
    decided = objection.status is ObjectionStatus.DECIDED
    try:
        left = (
            None
            if decided
            else calendar.working_days_left(session, today=today, due=objection.due_on)
        )
    except CalendarNotCovered:
        left = None
    return ObjectionRead(
        id=objection.id,
        kind=objection.kind.value,
        record_id=objection.record_id,
        item=objection.item_code,
        channel=objection.channel,
        subject_id=objection.subject_id,
        provider_org_id=objection.provider_org_id,
        status=objection.status.value,
        outcome=objection.outcome.value if objection.outcome else None,
        reason=objection.reason,
        filed_by=objection.filed_by_name,
        on_behalf=objection.on_behalf,
        received_at=objection.received_at,
        received_on=rules.received_on(objection.received_at),
        due=objection.due_on,
        overdue=rules.is_overdue(objection.due_on, today=today, done=decided),
        working_days_left=left,
        assistance_requested_at=objection.assistance_requested_at,
        assisting_unit=objection.assisting_unit,
        decision_reason=objection.decision_reason,
        decided_at=objection.decided_at,
        decided_by=objection.decided_by_name,
        amendment_version=objection.amendment_version,
        notice_number=objection.notice_number,
        escalated_at=objection.escalated_at,
    )
