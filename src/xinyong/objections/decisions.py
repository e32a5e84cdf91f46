"""Deciding objections and escalating overdue ones (Art. 32, 44 (5); RGT-2, GOV-1, PLT-4)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.core.actor import Actor
from xinyong.core.clock import local_date
from xinyong.core.errors import InvalidInput, NotFound
from xinyong.documents.models import DocumentKind
from xinyong.handling.escalation import (
    Escalation,
    Notice,
    overdue_detail,
    overdue_notice,
    register_late,
)
from xinyong.handling.outcomes import audit_case, chosen, notify_decision, reason_given
from xinyong.marks.service import end_marks
from xinyong.measures.lifting import lift_measures_grounded_on
from xinyong.objections import repository as repo
from xinyong.objections import rules
from xinyong.objections.access import load_handled, objection_read
from xinyong.objections.models import Objection, ObjectionOutcome, ObjectionStatus
from xinyong.objections.notices import apply_correction, notify_recipients_of_correction, org_name
from xinyong.objections.schemas import ObjectionRead
from xinyong.violations.models import ViolationKind

OUTCOME_ZH = {ObjectionOutcome.UPHELD: "异议成立", ObjectionOutcome.REJECTED: "异议不成立"}
#: What an upheld objection without a record sets in motion (Art. 32, 33).
UPHELD_WITHOUT_RECORD = {
    "omission": "提供单位补充报送遗漏的信息（第三十三条）/ the provider delivers the missing "
    "information (Art. 33)",
    "handling": "停止并纠正所异议的采集、公开或使用 / the collection, disclosure or use objected "
    "to is stopped and corrected",
}


def decide_objection(
    session: Session,
    *,
    actor: Actor,
    objection_id: int,
    outcome: str,
    reason: str,
    at: datetime,
    fields: dict[str, Any] | None = None,
    action: str | None = None,
) -> ObjectionRead:
    """Decide (Art. 32). Upheld: the record is amended (``fields``) or withdrawn through the
    records service, its version citing the objection and the decision notice, and recent
    recipients are told. Rejected: the reasons. Either way a numbered written notice goes to
    the subject's inbox. All of it is one transaction."""
    objection = load_handled(session, actor, objection_id)
    result = chosen(
        ObjectionOutcome, outcome, among=list(ObjectionOutcome), name=("处理结果", "outcome")
    )
    reason = reason_given(reason, "请说明处理理由 / state the reasons for the decision")
    record = None if objection.record_id is None else repo.record(session, objection.record_id)
    if objection.record_id is not None and record is None:  # pragma: no cover - never deleted
        raise NotFound(f"没有记录 {objection.record_id} / no record {objection.record_id}")
    if record is None and (fields or action):
        raise InvalidInput(
            "遗漏或处理方式异议没有可更正的记录 / an omission or handling objection has no record "
            "to amend or withdraw",
            details=[{"field": "fields" if fields else "action", "reason": "no record"}],
        )
    before = {"status": objection.status.value, "due_on": objection.due_on.isoformat()}
    late = rules.decided_late(objection.due_on, decided=at)
    objection.status = ObjectionStatus.DECIDED
    end_marks(session, source_type="objection", source_id=objection.id, at=at, reason="decided")
    objection.outcome = result
    objection.decision_reason = reason
    objection.decided_at = at
    objection.decided_by_id = actor.user_id
    objection.decided_by_name = actor.display_name
    correcting = result is ObjectionOutcome.UPHELD and record is not None
    if correcting:
        assert record is not None
        withdraw = action == "withdraw" or (action is None and not fields)
        objection.amendment_version = record.current_version + 1
        change = "撤回 withdrawn" if withdraw else f"更正为第 {record.current_version + 1} 版"
    elif record is None:
        upheld = result is ObjectionOutcome.UPHELD
        change = UPHELD_WITHOUT_RECORD[objection.kind.value] if upheld else "维持现状 no change"
    else:
        change = "维持原记录 record unchanged"
    notice = _decision_notice(session, objection, change, at)
    objection.notice_number = notice
    if late:
        register_late(session, objection, ESCALATION, actor=actor, at=at)
    session.flush()
    audit_case(
        session, objection, "objection", actor=actor, tag="objections:objection:decide", at=at,
        before=before,
        after={"status": "decided", "outcome": result.value, "notice": notice, "late": late},
        reason=reason,
    )  # fmt: skip
    if not correcting or record is None:
        session.flush()
        return objection_read(session, objection, today=local_date(at))
    why = f"异议成立（异议 #{objection.id}，决定书 {notice}）：{reason}"
    notify_recipients_of_correction(session, record_id=record.id, at=at, reason=why)
    lift_measures_grounded_on(
        session,
        subject_id=objection.subject_id,
        record_id=record.id,
        reason=why,
        at=at,
        actor=actor,
    )  # Art. 36: the measures resting on the record go with it
    # Last: the records service commits, taking the decision, notices and audit with it.
    apply_correction(
        session,
        actor=actor,
        record=record,
        fields=fields,
        action=action,
        reason=why,
        basis=f"异议处理决定书 {notice}（《贵州省社会信用条例》第三十二条）",
        at=at,
    )
    return objection_read(session, objection, today=local_date(at))


def _decision_notice(session: Session, objection: Objection, change: str, at: datetime) -> str:
    assert objection.outcome is not None
    what_zh, what_en = rules.objection_matter(
        kind=objection.kind.value, record_id=objection.record_id, item=objection.item_code,
        channel=objection.channel,
    )  # fmt: skip
    handler = org_name(session, objection.provider_org_id)
    return notify_decision(
        session, objection, "objection", kind=DocumentKind.OBJECTION_DECISION,
        title="信用信息异议处理结果告知书", at=at, issuer=handler,
        paragraphs=[
            f"你（单位）于 {rules.received_on(objection.received_at).isoformat()} 对{what_zh}"
            f"提出的异议，经核查，{OUTCOME_ZH[objection.outcome]}。",
            f"Your objection to {what_en} was {objection.outcome.value}.",
            "如对处理结果有异议，可依法申请行政复议或者提起行政诉讼。",
        ],
        facts=[
            ["异议编号 Objection", f"#{objection.id}"],
            ["异议理由 Reason given", objection.reason],
            ["处理结果 Outcome", f"{OUTCOME_ZH[objection.outcome]} {objection.outcome.value}"],
            ["处理理由 Reasons", objection.decision_reason or ""],
            ["记录处理 Record", change],
            ["处理单位 Decided by", handler],
        ],
    )  # fmt: skip


def _matter_zh(objection: Objection) -> str:
    return rules.objection_matter(
        kind=objection.kind.value, record_id=objection.record_id, item=objection.item_code,
        channel=objection.channel,
    )[0]  # fmt: skip


def _escalation_notice(objection: Objection, handler: str) -> Notice:
    due, matter = objection.due_on.isoformat(), _matter_zh(objection)
    zh = f"{handler}未在期限（{due}）内处理异议 #{objection.id}（{matter}），"
    law = "现提请信用主管部门督办（《贵州省社会信用条例》第三十二条、第四十四条）。"
    en = f"Objection #{objection.id} was not decided by {due} and is escalated to the credit office"
    return overdue_notice(DocumentKind.ESCALATION_NOTICE, "信用信息异议超期未处理通知",
                          number="异议编号 Objection", paragraphs=[zh + law, en + "."],
                          case=objection, handler=handler)  # fmt: skip


#: An objection undecided past its due date (Art. 32, 44 (5)).
ESCALATION = Escalation(ViolationKind.LATE_OBJECTION, "objection", "objections:objection:escalate",
                        "overdue (Art. 32)", overdue_detail, _escalation_notice,
                        repo.overdue_unescalated)  # fmt: skip


#: ``xinyong objections escalate``: flag, register, notify the credit office, audit.
escalate_overdue = ESCALATION.run
