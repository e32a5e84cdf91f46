"""Who may see and handle a repair application, and how it is shown (shared by use cases)."""

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
)
from xinyong.repair import repository as repo
from xinyong.repair import rules
from xinyong.repair.models import RepairApplication, RepairStatus
from xinyong.repair.schemas import EvidenceRead, RepairRead
from xinyong.subjects.service import get_subject

HANDLER_ROLES = (Role.PROVIDER, Role.INSTITUTION)


class RepairClosed(Conflict):
    code = "repair_closed"


def working_days(session: Session) -> rules.WorkingDays:
    return lambda start, n: calendar.deadline(session, start=start, working_days=n)


def signed_in(actor: Actor) -> None:
    if actor.is_anonymous:
        raise NotAuthenticated("Log in to do this. 请先登录。")


def is_handler(actor: Actor, repair: RepairApplication) -> bool:
    """The record's provider decides; the credit office oversees and may decide too."""
    if actor.role is Role.CREDIT_OFFICE:
        return True
    return (
        actor.role in HANDLER_ROLES
        and actor.org_id is not None
        and repair.provider_org_id == actor.org_id
    )


def visible(actor: Actor, repair: RepairApplication) -> bool:
    if actor.role is Role.SUBJECT:
        return actor.subject_id is not None and repair.subject_id == actor.subject_id
    return is_handler(actor, repair)


def load(session: Session, actor: Actor, repair_id: int) -> RepairApplication:
    """The application, or 404 for anyone who may not see it (no existence leak)."""
    signed_in(actor)
    repair = repo.get(session, repair_id)
    if repair is None or not visible(actor, repair):
        raise NotFound(f"没有信用修复申请 {repair_id} / no repair application {repair_id}")
    return repair


def load_handled(session: Session, actor: Actor, repair_id: int) -> RepairApplication:
    repair = load(session, actor, repair_id)
    if not is_handler(actor, repair):
        raise PermissionDenied(
            "只有信息提供单位或信用主管部门可以决定信用修复 / only the record's provider or the "
            "credit office decides a repair"
        )
    if repair.status is not RepairStatus.RECEIVED:
        raise RepairClosed(
            f"信用修复申请 {repair.id} 已处理完毕 / repair application {repair.id} is decided"
        )
    return repair


def repair_read(session: Session, repair: RepairApplication, *, today: date) -> RepairRead:
    done = repair.status is not RepairStatus.RECEIVED
    try:
        left = None if done else calendar.working_days_left(session, today=today, due=repair.due_on)
    except CalendarNotCovered:
        left = None
    return RepairRead(
        id=repair.id,
        record_id=repair.record_id,
        item=repair.item_code,
        subject_id=repair.subject_id,
        subject_name=get_subject(session, repair.subject_id).name,
        provider_org_id=repair.provider_org_id,
        handler=repo.org_name(session, repair.provider_org_id),
        status=repair.status.value,
        applicant=repair.applicant_name,
        statement=repair.statement,
        evidence=[EvidenceRead.model_validate(e) for e in repair.evidence or []],
        commitment=repair.commitment_text,
        obligations_fulfilled=repair.obligations_fulfilled,
        obligations_proof=repair.obligations_proof,
        severity=repair.severity,
        rule_set=repair.rule_set,
        received_at=repair.received_at,
        received_on=rules.received_on(repair.received_at),
        due=repair.due_on,
        overdue=rules.is_overdue(repair.due_on, today=today, done=done),
        working_days_left=left,
        decision_reason=repair.decision_reason,
        decided_at=repair.decided_at,
        decided_by=repair.decided_by_name,
        notice_number=repair.notice_number,
        escalated_at=repair.escalated_at,
        late=repair.late,
    )
