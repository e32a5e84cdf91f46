"""Deciding repair applications and escalating overdue ones (Art. 36, 44 (5); RGT-5, GOV-1,
PLT-4)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from xinyong.core.actor import Actor
from xinyong.core.clock import local_date
from xinyong.documents.models import DocumentKind
from xinyong.feed.service import ChangeSpec, emit_changes
from xinyong.handling.escalation import (
    Escalation,
    Notice,
    overdue_detail,
    overdue_notice,
    register_late,
)
from xinyong.handling.outcomes import audit_case, chosen, mark_record, notify_decision, reason_given
from xinyong.marks.service import MarkKind
from xinyong.measures.lifting import lift_measures_grounded_on
from xinyong.records.models import Record
from xinyong.repair import integrations, rules
from xinyong.repair import repository as repo
from xinyong.repair.access import load_handled, repair_read
from xinyong.repair.models import RepairApplication, RepairStatus
from xinyong.repair.schemas import RepairRead
from xinyong.violations.models import ViolationKind

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
    decided = [RepairStatus.REPAIRED, RepairStatus.REFUSED]
    result = chosen(RepairStatus, outcome, among=decided, name=("处理结果", "outcome"))
    reason = reason_given(reason, "请说明决定理由 / state the reasons for the decision")
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
    if late:
        register_late(session, repair, ESCALATION, actor=actor, at=at)
    session.flush()
    entry = audit_case(
        session, repair, "repair", actor=actor, tag="repair:application:decide", at=at,
        before=before,
        after={
            "status": result.value,
            "record_id": repair.record_id,
            "notice": repair.notice_number,
            "late": late,
        },
        reason=reason,
    )  # fmt: skip
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
    mark_record(session, record, MarkKind.REPAIRED, case="repair", case_id=repair.id, at=at)
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
    handler = repo.org_name(session, repair.provider_org_id)
    outcome = OUTCOME_ZH[repair.status]
    effect = (
        "该信息自即日起不再公示、共享和提供查询，仅本人查询及审计可见。"
        if repair.status is RepairStatus.REPAIRED
        else "该信息继续按规定公示、共享。"
    )
    kind = integrations.document_kind("REPAIR_DECISION", DocumentKind.OBJECTION_DECISION)
    return notify_decision(
        session, repair, "repair", kind=kind, title="信用修复决定书", at=at, issuer=handler,
        paragraphs=[
            f"你（单位）于 {rules.received_on(repair.received_at).isoformat()} 申请修复信用"
            f"记录 #{repair.record_id}（{repair.item_code}），经审核，决定{outcome}。{effect}",
            f"Your application to repair record #{repair.record_id} was decided: "
            f"{repair.status.value}.",
            "如对决定有异议，可依法申请行政复议或者提起行政诉讼。",
        ],
        facts=[
            ["申请编号 Application", f"#{repair.id}"],
            ["决定 Outcome", f"{outcome} {repair.status.value}"],
            ["理由 Reasons", repair.decision_reason or ""],
            ["适用办法 Rule set", repair.rule_set],
            ["决定单位 Decided by", handler],
        ],
    )  # fmt: skip


def _escalation_notice(repair: RepairApplication, handler: str) -> Notice:
    due, kind = repair.due_on.isoformat(), ESCALATION_KIND
    zh = f"{handler}未在期限（{due}）内决定信用修复申请 #{repair.id}（记录 #{repair.record_id}），"
    en = (
        f"Repair application #{repair.id} was not decided by {due} and is escalated to the "
        "credit office."
    )
    law = "现提请信用主管部门督办（《贵州省社会信用条例》第三十六条、第四十四条）。"
    return overdue_notice(kind, "信用修复申请超期未处理通知", number="申请编号 Application",
                          paragraphs=[zh + law, en], case=repair, handler=handler)  # fmt: skip


ESCALATION_KIND = integrations.document_kind("REPAIR_ESCALATION", DocumentKind.ESCALATION_NOTICE)
#: A repair application undecided past its due date (Art. 36, 44 (5); GOV-1).
ESCALATION = Escalation(ViolationKind.LATE_REPAIR, "repair", "repair:application:escalate",
                        "overdue (Art. 36)", overdue_detail, _escalation_notice,
                        repo.overdue_unescalated)  # fmt: skip


#: ``xinyong objections escalate``: flag, register, notify the credit office, audit.
escalate_overdue = ESCALATION.run
