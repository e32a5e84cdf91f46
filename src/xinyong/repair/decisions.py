"""Deciding repair applications and escalating overdue ones (Art. 36, 44 (5); RGT-5, GOV-1,
PLT-4)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from xinyong.audit.service import record_event
from xinyong.core.actor import SYSTEM, Actor
from xinyong.core.clock import local_date
from xinyong.core.errors import InvalidInput
from xinyong.documents.models import DocumentKind
from xinyong.documents.service import issue_document
from xinyong.feed.service import ChangeSpec, emit_changes
from xinyong.marks.service import MarkKind, put_mark
from xinyong.measures.lifting import lift_measures_grounded_on
from xinyong.records.models import Record
from xinyong.repair import integrations, rules
from xinyong.repair import repository as repo
from xinyong.repair.access import load_handled, repair_read
from xinyong.repair.models import RepairApplication, RepairStatus
from xinyong.repair.schemas import RepairRead
from xinyong.subjects.service import get_subject

OUTCOME_ZH = {RepairStatus.REPAIRED: "予以修复", RepairStatus.REFUSED: "不予修复"}


def decide_repair(
    session: Session,
    *,
    actor: Actor,
    repair_id: int,
    outcome: str,
    reason: str,
    at: datetime,
) -> RepairRead:
    """Decide (Art. 36), by the record's provider or the credit office, with reasons either
    way; a numbered written notice goes to the subject's inbox. ``repaired``: the record stops
    being served on every channel but the subject's own and the audit (the record and its
    versions stay), recent recipients are told, connected systems see a ``repaired`` change,
    and the subject's list entries that end early on repair are ended (lists hook). A decision
    after the due date enters the violation register. One transaction."""
    repair = load_handled(session, actor, repair_id)
    try:
        result = RepairStatus(outcome)
    except ValueError:
        result = RepairStatus.RECEIVED
    if result is RepairStatus.RECEIVED:
        raise InvalidInput(
            f"处理结果须为 repaired 或 refused / outcome must be repaired or refused, not "
            f"{outcome!r}",
            details=[{"field": "outcome", "reason": "repaired | refused"}],
        )
    reason = reason.strip()
    if not reason:
        raise InvalidInput(
            "请说明决定理由 / state the reasons for the decision",
            details=[{"field": "reason", "reason": "required"}],
        )
    record = repo.record(session, repair.record_id)
    assert record is not None  # records are never deleted
    before = {"status": repair.status.value, "due_on": repair.due_on.isoformat()}
    late = rules.decided_late(repair.due_on, decided=at)
    repair.status = result
    repair.decision_reason = reason
    repair.decided_at = at
    repair.decided_by_id = actor.user_id
    repair.decided_by_name = actor.display_name
    repair.late = late
    repair.notice_number = _decision_notice(session, repair, at)
    if late and repair.escalated_at is None:
        # An escalated one is on the register already, since the day it became overdue.
        integrations.register_late_repair(
            session,
            at=at,
            actor=actor,
            subject_id=repair.subject_id,
            repair_id=repair.id,
            detail={
                "event": "decided_late",
                "due_on": repair.due_on.isoformat(),
                "decided_on": local_date(at).isoformat(),
            },
        )
    session.flush()
    entry = record_event(
        session,
        actor=actor,
        tag="repair:application:decide",
        at=at,
        object_type="repair",
        object_id=repair.id,
        subject_id=repair.subject_id,
        before=before,
        after={
            "status": result.value,
            "record_id": repair.record_id,
            "notice": repair.notice_number,
            "late": late,
        },
        reason=reason,
    )
    if result is RepairStatus.REPAIRED:
        _repaired(session, repair, record, actor=actor, audit_seq=entry.seq, at=at)
    session.flush()
    return repair_read(session, repair, today=local_date(at))


def _repaired(
    session: Session,
    repair: RepairApplication,
    record: Record,
    *,
    actor: Actor,
    audit_seq: int,
    at: datetime,
) -> None:
    why = f"信用修复（申请 #{repair.id}，决定书 {repair.notice_number}）：{repair.decision_reason}"
    # From now on only the subject and the audit are served the record (Art. 36; RGT-5).
    put_mark(
        session,
        record_id=record.id,
        subject_id=record.subject_id,
        kind=MarkKind.REPAIRED,
        source_type="repair",
        source_id=repair.id,
        at=at,
    )
    integrations.tell_recent_recipients(session, record_id=record.id, at=at, reason=why)
    integrations.end_list_entries_after_repair(
        session, actor=actor, subject_id=repair.subject_id, record_id=record.id, at=at,
        reason=why,
    )  # fmt: skip
    lift_measures_grounded_on(
        session, subject_id=repair.subject_id, record_id=record.id, reason=why, at=at, actor=actor
    )  # Art. 36: the measures resting on the record go with it
    # Connected systems that mirror records learn that this one is no longer served (COL-4).
    emit_changes(
        session,
        audit_seq=audit_seq,
        at=at,
        changes=[
            ChangeSpec(
                record.id,
                record.subject_id,
                record.item_code,
                record.current_version,
                "repaired",
                record.provider_org_id,
            )
        ],
    )


def _decision_notice(session: Session, repair: RepairApplication, at: datetime) -> str:
    subject = get_subject(session, repair.subject_id)
    handler = repo.org_name(session, repair.provider_org_id)
    outcome = OUTCOME_ZH[repair.status]
    effect = (
        "该信息自即日起不再公示、共享和提供查询，仅本人查询及审计可见。"
        if repair.status is RepairStatus.REPAIRED
        else "该信息继续按规定公示、共享。"
    )
    doc = issue_document(
        session,
        kind=integrations.document_kind("REPAIR_DECISION", DocumentKind.OBJECTION_DECISION),
        title="信用修复决定书",
        body={
            "paragraphs": [
                f"你（单位）于 {rules.received_on(repair.received_at).isoformat()} 申请修复信用"
                f"记录 #{repair.record_id}（{repair.item_code}），经审核，决定{outcome}。{effect}",
                f"Your application to repair record #{repair.record_id} was decided: "
                f"{repair.status.value}.",
                "如对决定有异议，可依法申请行政复议或者提起行政诉讼。",
            ],
            "facts": [
                ["申请编号 Application", f"#{repair.id}"],
                ["决定 Outcome", f"{outcome} {repair.status.value}"],
                ["理由 Reasons", repair.decision_reason or ""],
                ["适用办法 Rule set", repair.rule_set],
                ["决定单位 Decided by", handler],
            ],
            "issuer": handler,
        },
        at=at,
        recipient_subject_id=repair.subject_id,
        recipient_name=subject.name,
        object_type="repair",
        object_id=repair.id,
    )
    return doc.number


def escalate_overdue(session: Session, *, at: datetime) -> int:
    """Escalate every undecided application past its due date to the credit office: flag it,
    enter it in the violation register, put a notice in the credit office's inbox. Idempotent
    (each application escalates once); commits only when something escalated."""
    overdue = repo.overdue_unescalated(session, today=local_date(at))
    for repair in overdue:
        repair.escalated_at = at
        handler = repo.org_name(session, repair.provider_org_id)
        integrations.register_late_repair(
            session,
            at=at,
            actor=integrations.unit_actor(session, repair.provider_org_id),
            subject_id=repair.subject_id,
            repair_id=repair.id,
            detail={
                "event": "overdue",
                "handler": handler,
                "due_on": repair.due_on.isoformat(),
                "record_id": repair.record_id,
            },
        )
        issue_document(
            session,
            kind=integrations.document_kind("REPAIR_ESCALATION", DocumentKind.ESCALATION_NOTICE),
            title="信用修复申请超期未处理通知",
            body={
                "paragraphs": [
                    f"{handler}未在期限（{repair.due_on.isoformat()}）内决定信用修复申请 "
                    f"#{repair.id}（记录 #{repair.record_id}），现提请信用主管部门督办"
                    "（《贵州省社会信用条例》第三十六条、第四十四条）。",
                    f"Repair application #{repair.id} was not decided by "
                    f"{repair.due_on.isoformat()} and is escalated to the credit office.",
                ],
                "facts": [
                    ["申请编号 Application", f"#{repair.id}"],
                    ["处理单位 Handler", handler],
                    ["处理期限 Due", repair.due_on.isoformat()],
                ],
            },
            at=at,
            recipient_office=True,
            recipient_name="信用主管部门",
            object_type="repair",
            object_id=repair.id,
        )
        record_event(
            session,
            actor=SYSTEM,
            tag="repair:application:escalate",
            at=at,
            object_type="repair",
            object_id=repair.id,
            subject_id=repair.subject_id,
            after={"escalated": True, "due_on": repair.due_on.isoformat()},
            reason="overdue (Art. 36)",
        )
    if overdue:
        session.flush()
    return len(overdue)
