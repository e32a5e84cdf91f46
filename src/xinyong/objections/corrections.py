"""The providers' own-correction clocks (Art. 33, 34; RGT-3, RGT-4).

Art. 33: a provider that finds an error in what it delivered corrects it within 3 working days
of finding it. Art. 34: when a judgment, ruling or penalty decision is revoked or changed, the
provider notifies the credit office in writing and the record is amended within 3 working days
of that notice, linked to the revoking document. Each clock is a ``correction_duty``; the
amendment made under it cites it; a late one enters the violation register (GOV-1).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.core.actor import Actor, Role
from xinyong.core.clock import local_date
from xinyong.core.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from xinyong.core.permissions import require
from xinyong.documents.models import DocumentKind
from xinyong.documents.service import issue_document
from xinyong.handling.escalation import Escalation, register_late
from xinyong.handling.outcomes import audit_case, reason_given
from xinyong.handling.reads import as_stored
from xinyong.objections import repository as repo
from xinyong.objections import rules
from xinyong.objections.access import working_days
from xinyong.objections.models import CorrectionDuty, CorrectionKind
from xinyong.objections.notices import apply_correction, notify_recipients_of_correction, org_name
from xinyong.objections.schemas import CorrectionRead
from xinyong.records.models import Record
from xinyong.violations.models import ViolationKind


def _own_record(session: Session, actor: Actor, record_id: int) -> Record:
    if actor.is_anonymous:
        raise NotAuthenticated("Log in to do this. 请先登录。")
    record = repo.record(session, record_id)
    mine = (
        record is not None
        and actor.role in (Role.PROVIDER, Role.INSTITUTION)
        and actor.org_id is not None
        and record.provider_org_id == actor.org_id
    )
    if record is None or not (mine or actor.role is Role.CREDIT_OFFICE):
        raise NotFound(f"没有记录 {record_id} / no record {record_id}")
    return record


def correction_read(duty: CorrectionDuty, *, today: date) -> CorrectionRead:
    done = duty.fulfilled_at is not None
    return CorrectionRead(
        **as_stored(duty, _DUTY_COLUMNS), kind=duty.kind.value, due=duty.due_on,
        overdue=rules.is_overdue(duty.due_on, today=today, done=done),
    )  # fmt: skip


#: A correction duty's columns read as stored.
_DUTY_COLUMNS = ("id", "record_id", "subject_id", "provider_org_id", "started_on", "description",
                 "revoking_document_no", "notice_number", "fulfilled_at", "amendment_version",
                 "late")  # fmt: skip


def _start(
    session: Session,
    *,
    actor: Actor,
    kind: CorrectionKind,
    record_id: int,
    description: str,
    started_on: date | None,
    at: datetime,
    revoking_document_no: str | None = None,
) -> CorrectionDuty:
    record = _own_record(session, actor, record_id)
    description = description.strip()
    if not description:
        raise InvalidInput(
            "请说明错误或变更内容 / describe the error or the change",
            details=[{"field": "description", "reason": "required"}],
        )
    started = started_on or local_date(at)
    if started > local_date(at):
        raise InvalidInput(
            "日期不能晚于今天 / the date cannot be in the future",
            details=[{"field": "started_on", "reason": "after today"}],
        )
    duty = CorrectionDuty(
        kind=kind,
        record_id=record.id,
        subject_id=record.subject_id,
        provider_org_id=record.provider_org_id,
        started_on=started,
        due_on=rules.correction_due(started, calendar=working_days(session)),
        description=description,
        revoking_document_no=revoking_document_no,
        created_at=at,
        created_by_name=actor.display_name,
    )
    session.add(duty)
    session.flush()
    return duty


def record_discovered_error(
    session: Session,
    *,
    actor: Actor,
    record_id: int,
    description: str,
    at: datetime,
    discovered_on: date | None = None,
) -> CorrectionRead:
    """Art. 33: the provider notes that it found an error in its own record, and when; the
    correction is due 3 working days later."""
    duty = _start(
        session, actor=actor, kind=CorrectionKind.DISCOVERED_ERROR, record_id=record_id,
        description=description, started_on=discovered_on, at=at,
    )  # fmt: skip
    return _started(
        session, duty, actor=actor, action="discover", at=at,
        after={"record_id": record_id, "due_on": duty.due_on.isoformat()},
    )  # fmt: skip


def _started(
    session: Session,
    duty: CorrectionDuty,
    *,
    actor: Actor,
    action: str,
    at: datetime,
    after: dict[str, Any],
) -> CorrectionRead:
    """Audit the duty just started (``objections:correction:{action}``, its description as
    the reason); the duty as read today."""
    audit_case(
        session, duty, "correction_duty", actor=actor, tag=f"objections:correction:{action}",
        at=at, after=after, reason=duty.description,
    )  # fmt: skip
    session.flush()
    return correction_read(duty, today=local_date(at))


def record_revocation_notice(
    session: Session,
    *,
    actor: Actor,
    record_id: int,
    document_no: str,
    description: str,
    at: datetime,
    received_on: date | None = None,
) -> CorrectionRead:
    """Art. 34: the provider's written notice that the decision behind a record was revoked or
    changed (``document_no`` — the revoking document). A numbered notice goes to the credit
    office; the amendment is due 3 working days after it was received."""
    document_no = document_no.strip()
    if not document_no:
        raise InvalidInput(
            "请给出撤销或变更文书的文号 / give the number of the revoking document",
            details=[{"field": "revoking_document_no", "reason": "required"}],
        )
    duty = _start(
        session, actor=actor, kind=CorrectionKind.REVOCATION, record_id=record_id,
        description=description, started_on=received_on, at=at,
        revoking_document_no=document_no,
    )  # fmt: skip
    provider = org_name(session, duty.provider_org_id)
    doc = issue_document(
        session,
        kind=DocumentKind.REVOCATION_NOTICE,
        title="信用信息所依据文书撤销（变更）书面通知",
        body={
            "paragraphs": [
                f"{provider}告知：信用记录 #{record_id} 所依据的文书已被依法撤销或变更"
                f"（文号 {document_no}），请于 {duty.due_on.isoformat()} 前作出相应修改"
                "（《贵州省社会信用条例》第三十四条）。",
                f"The decision behind record #{record_id} was revoked or changed by "
                f"{document_no}; amend the record by {duty.due_on.isoformat()} (Art. 34).",
            ],
            "facts": [
                ["记录 Record", f"#{record_id}"],
                ["撤销/变更文书 Revoking document", document_no],
                ["说明 Description", duty.description],
                ["修改期限 Due", duty.due_on.isoformat()],
            ],
            "issuer": provider,
        },
        at=at,
        actor=actor,
        recipient_office=True,
        recipient_name="信用主管部门",
        object_type="correction_duty",
        object_id=duty.id,
    )
    duty.notice_number = doc.number
    session.flush()
    return _started(
        session, duty, actor=actor, action="revocation_notice", at=at,
        after={"record_id": record_id, "document_no": document_no, "notice": doc.number},
    )  # fmt: skip


def fulfil_correction(
    session: Session,
    *,
    actor: Actor,
    duty_id: int,
    reason: str,
    at: datetime,
    fields: dict[str, Any] | None = None,
    action: str | None = None,
) -> CorrectionRead:
    """Make the correction a duty calls for: amend (``fields``) or withdraw the record, the
    version citing the duty (and the revoking document). Late → violation register."""
    duty = repo.duty(session, duty_id)
    if duty is None:
        raise NotFound(f"没有更正事项 {duty_id} / no correction {duty_id}")
    record = _own_record(session, actor, duty.record_id)
    if duty.fulfilled_at is not None:
        raise Conflict(f"更正事项 {duty_id} 已完成 / correction {duty_id} is done", code="done")
    reason = reason_given(reason, "请说明更正原因 / state the reason")
    late = rules.decided_late(duty.due_on, decided=at)
    duty.fulfilled_at = at
    duty.fulfilled_by_name = actor.display_name
    duty.late = late
    duty.amendment_version = record.current_version + 1
    if late:
        register_late(session, duty, ESCALATION, actor=actor, at=at, event="corrected")
    article = "第三十三条" if duty.kind is CorrectionKind.DISCOVERED_ERROR else "第三十四条"
    basis = f"更正事项 #{duty.id}（《贵州省社会信用条例》{article}）"
    if duty.revoking_document_no:
        basis += f"；撤销/变更文书 {duty.revoking_document_no}"
    if duty.notice_number:
        basis += f"；书面通知 {duty.notice_number}"
    session.flush()
    audit_case(
        session, duty, "correction_duty", actor=actor, tag="objections:correction:fulfil", at=at,
        after={"version": duty.amendment_version, "late": late},
        reason=reason,
    )  # fmt: skip
    notify_recipients_of_correction(session, record_id=record.id, at=at, reason=reason)
    apply_correction(
        session, actor=actor, record=record, fields=fields, action=action, reason=reason,
        basis=basis, at=at,
    )  # fmt: skip
    return correction_read(duty, today=local_date(at))


def list_corrections(session: Session, *, actor: Actor, at: datetime) -> list[CorrectionRead]:
    """A provider's running and done corrections, by due date; the credit office: all."""
    require(actor, "corrections:read")
    everything = actor.role is Role.CREDIT_OFFICE
    if not everything and actor.org_id is None:
        return []
    today = local_date(at)
    rows = repo.duties(session, provider_org_id=actor.org_id, everything=everything)
    return [correction_read(d, today=today) for d in rows]


def _overdue_detail(duty: CorrectionDuty, _handler: str) -> dict[str, object]:
    return {"event": "overdue", "kind": duty.kind.value, "due_on": duty.due_on.isoformat(),
            "record_id": duty.record_id}  # fmt: skip


#: A provider correction not made in time (Art. 33, 34, 44 (5)): the register, no notice.
ESCALATION = Escalation(ViolationKind.LATE_CORRECTION, "correction_duty",
                        "objections:correction:escalate", "overdue (Art. 33, 34)",
                        _overdue_detail, None, repo.overdue_duties)  # fmt: skip


#: Overdue corrections enter the violation register once (flag ``escalated_at``).
escalate_overdue_corrections = ESCALATION.run
