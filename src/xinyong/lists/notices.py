"""The written documents of a list procedure (Art. 26; PLT-4): prior notice, objection answer,
decision, service record, removal notice, and the red list notice to departments (Art. 22).

Each is issued through the documents context inside the calling use case (no commit), so a
notice exists exactly when its step does. The document kinds are owned by the documents
context; until it lists them, ``issue`` returns ``None`` and the step is kept without a
document number rather than failing the procedure.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.core.actor import Actor
from xinyong.documents.models import DocumentKind
from xinyong.documents.service import issue_document
from xinyong.lists import rules
from xinyong.lists.models import ListEntry, ListProcedure, RedListEntry, ServiceMethod

PRIOR_NOTICE = "list_prior_notice"
OBJECTION_ANSWER = "list_objection_answer"
DECISION = "list_decision"
SERVICE_RECORD = "list_service_record"
REMOVAL_NOTICE = "list_removal_notice"
RED_LIST_NOTICE = "red_list_notice"

#: Remedies against a listing decision: the statutory time limits of the Administrative
#: Reconsideration Law (Art. 20: 60 days) and the Administrative Litigation Law (Art. 46:
#: 6 months).
REMEDIES = (
    "如对本决定不服，可自收到本决定书之日起六十日内依法申请行政复议，或者自收到之日起六个月内"
    "依法提起行政诉讼。/ You may apply for administrative reconsideration within 60 days of "
    "receiving this decision, or bring an administrative lawsuit within 6 months."
)
REMOVAL = (
    "移出条件和程序：列入期限届满自动移出；期限内主动纠正失信行为、消除不良影响的，可向认定部门"
    "书面申请信用修复并提交证明材料，修复后提前移出（《条例》第三十六条）。/ Removal: at the end "
    "of the period; earlier, after credit repair — correct the conduct, remove its effects and "
    "apply in writing with proof to the deciding organ (Art. 36)."
)
SERVICE_METHODS = {
    ServiceMethod.PLATFORM: "平台电子送达 / through the platform inbox",
    ServiceMethod.IN_PERSON: "直接送达 / in person",
    ServiceMethod.POST: "邮寄送达 / by post",
    ServiceMethod.PUBLIC_NOTICE: "公告送达 / by public notice",
}


def kind_of(value: str) -> DocumentKind | None:
    try:
        return DocumentKind(value)
    except ValueError:
        return None


def issue(
    session: Session,
    *,
    kind: str,
    title: str,
    body: dict[str, Any],
    at: datetime,
    actor: Actor,
    object_type: str,
    object_id: int,
    subject_id: int | None = None,
    org_id: int | None = None,
    recipient_name: str | None = None,
) -> str | None:
    """Issue one document; its number, or ``None`` while its kind is not yet listed."""
    doc_kind = kind_of(kind)
    if doc_kind is None:
        return None
    doc = issue_document(
        session,
        kind=doc_kind,
        title=title,
        body=body,
        at=at,
        recipient_subject_id=subject_id,
        recipient_org_id=org_id,
        recipient_name=recipient_name,
        object_type=object_type,
        object_id=object_id,
        actor=actor,
    )
    return doc.number


def _ground(p: ListProcedure) -> str:
    zh, en = rules.GROUND_TEXTS[p.ground]
    return f"{zh} / {en}"


def prior_notice_body(p: ListProcedure, *, statement_due_on: date) -> dict[str, Any]:
    """Art. 26 ¶1: reasons, basis, and the rights the subject enjoys."""
    return {
        "paragraphs": [
            "本机关拟将你（单位）列入严重失信主体名单。根据《贵州省社会信用条例》第二十六条、第二十九条，"
            "现将拟列入的事实、理由、依据及你依法享有的权利告知如下。/ We intend to put you on the "
            "serious dishonesty list. Under Art. 26 and 29 we inform you of the facts, reasons, "
            "basis and your rights.",
            f"你有权进行陈述和申辩，并可提出异议；请于 {statement_due_on.isoformat()} 前通过平台"
            f"“我的名单”页面或书面提出。逾期未提出的，视为放弃。/ You may state and defend "
            f"yourself and object, until {statement_due_on.isoformat()}, on the platform (My "
            f"lists) or in writing; after that date the organ decides on what it has.",
        ],
        "facts": [
            ["事实 Facts", p.facts],
            ["列入事由 Ground", _ground(p)],
            ["依据 Legal basis", p.legal_basis],
            ["提议机关 Proposing organ", p.proposing_org_name],
            ["陈述申辩期限 Statement period ends", statement_due_on.isoformat()],
        ],
    }


def objection_answer_body(p: ListProcedure, *, outcome: str, answer: str) -> dict[str, Any]:
    result = (
        "异议成立，终止列入程序 / upheld: the procedure is dropped"
        if outcome == "upheld"
        else ("异议不成立 / rejected")
    )
    return {
        "paragraphs": [
            "你对拟列入严重失信主体名单提出的异议，本机关已核实，结果如下（《条例》第二十六条）。/ "
            "We verified your objection to the intended listing (Art. 26); the result follows.",
        ],
        "facts": [["核实结果 Result", result], ["答复 Answer", answer]],
    }


def decision_body(p: ListProcedure, *, months: int, representative: str | None) -> dict[str, Any]:
    """Art. 26 ¶2: reasons, basis, disciplinary measures, removal, remedies; Art. 27."""
    organ = p.deciding_org_name or ""
    if p.deciding_org_uscc:
        organ = f"{organ}（统一社会信用代码 {p.deciding_org_uscc}）"
    facts = [
        ["认定机关 Deciding organ (Art. 25, 26)", organ],
        ["认定事实和理由 Reasons", p.decision_reasons or p.facts],
        ["列入事由 Ground", _ground(p)],
        ["依据 Legal basis", p.legal_basis],
        ["失信惩戒措施提示 Disciplinary measures", p.measures or ""],
        ["列入期限 Period", f"{months} 个月，自公示之日起计算 / {months} months from publication"],
        ["移出条件和程序 Removal", REMOVAL],
        ["救济途径 Remedies", REMEDIES],
    ]
    if representative:
        facts.insert(4, ["法定代表人（负责人）Legal representative (Art. 27)", representative])
    return {
        "paragraphs": [
            "经审查，本机关决定将你（单位）列入严重失信主体名单，并通过省社会信用信息共享平台向社会"
            "公示。/ Having examined the matter, we decide to put you on the serious dishonesty "
            "list and to publish the entry through the provincial platform.",
        ],
        "facts": facts,
        "issuer": p.deciding_org_name or "贵州省社会信用工作主管部门",
    }


def service_body(p: ListProcedure, *, served_on: date, note: str) -> dict[str, Any]:
    method = SERVICE_METHODS[p.service_method] if p.service_method else ""
    return {
        "paragraphs": ["认定决定书已依法送达。/ The listing decision has been served."],
        "facts": [
            ["决定书文号 Decision No.", p.decision_number or f"LIST-{p.id}"],
            ["送达方式 Method", method],
            ["送达日期 Served on", served_on.isoformat()],
            ["备注 Note", note],
        ],
    }


def removal_body(entry: ListEntry, *, reason: str, on: date) -> dict[str, Any]:
    return {
        "paragraphs": [
            "你（单位）的严重失信主体名单条目已提前移出，平台不再公示（《条例》第三十六条）。"
            "/ Your "
            "serious dishonesty list entry has been removed early and is no longer published "
            "(Art. 36).",
        ],
        "facts": [
            ["移出日期 Removed on", on.isoformat()],
            ["原列入期限 Original period", f"{entry.period_start_on} — {entry.period_end_on}"],
            ["理由 Reason", reason],
        ],
    }


def red_list_body(entry: RedListEntry, *, subject_name: str, subject_code: str) -> dict[str, Any]:
    """Art. 22: the typical trustworthy subject, pushed to departments for joint incentives."""
    return {
        "paragraphs": [
            "根据《条例》第二十二条，现将守信激励对象推送贵单位，"
            "请在本系统、本领域落实联合激励措施。/ "
            "Under Art. 22 this typical trustworthy subject is pushed to your unit: apply the "
            "joint incentive measures in your field.",
        ],
        "facts": [
            ["主体 Subject", f"{subject_name}（{subject_code}）"],
            ["荣誉 Title", entry.title],
            ["认定依据 Basis", entry.basis],
            ["认定理由 Reason", entry.reason],
            ["认定部门 Adopted by", entry.adopted_by_name],
            ["认定日期 Adopted on", entry.adopted_on.isoformat()],
            ["有效期至 Valid until", entry.valid_until.isoformat() if entry.valid_until else "—"],
        ],
    }
