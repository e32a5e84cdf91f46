"""The written notice before a regulatory or disciplinary measure (Art. 28; MEA-3): the laws,
regulations and state provisions the measure rests on, and the content and provider of the
public credit information used, and — for a disciplinary measure — the subject's right to state
and defend by a working-day deadline (Art. 29 para. 2). Served as a numbered document to the
subject's inbox; the decision that follows, and the lifting of a measure whose ground fell
(Art. 36, to the organ that applied it), are numbered documents too.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.core.actor import Actor
from xinyong.documents.models import DocumentKind
from xinyong.documents.service import issue_document
from xinyong.measures.models import AppliedMeasure, CreditCheck, Measure
from xinyong.subjects.models import Subject

KIND_NAMES = {"incentive": "激励措施", "regulatory": "信用监管措施", "disciplinary": "失信惩戒措施"}
MATTER_NAMES = {
    "licensing": "行政许可",
    "inspection": "监督检查",
    "public_resource_trading": "公共资源交易",
    "financial_support": "财政资金支持",
    "commendation": "表彰奖励",
    "public_service": "公共服务",
    "personnel": "人员招录任用",
}
#: Until the documents context lists this kind, the notice is kept on the applied measure only.
NOTICE_KIND: DocumentKind | None = getattr(DocumentKind, "MEASURE_NOTICE", None)


def _used(check: CreditCheck, offered: dict[str, Any]) -> list[dict[str, Any]]:
    """The information the measure rests on: what triggered it; for a grade-triggered measure,
    what the grade rests on."""
    record_ids = set(offered.get("record_ids") or [])
    entry_ids = set(offered.get("list_entry_ids") or [])
    if not record_ids and not entry_ids:
        for reason in check.grade_reasons:
            record_ids.update(reason.get("record_ids") or [])
            entry_ids.update(reason.get("list_entry_ids") or [])
    return [
        i
        for i in check.information
        if i.get("record_id") in record_ids or i.get("list_entry_id") in entry_ids
    ]


def _describe(info: dict[str, Any]) -> str:
    if "list_entry_id" in info:
        return f"名单条目 list entry {info['list_entry_id']}（{info['kind']}）"
    parts = [info.get("item_name") or info.get("item") or ""]
    if info.get("document_no"):
        parts.append(f"文号 {info['document_no']}")
    if info.get("decided_on"):
        parts.append(f"决定日期 {info['decided_on']}")
    provider = info.get("provider") or "—"
    return f"{'，'.join(parts)}；信息提供单位 provider：{provider}"


def _right_to_defend(due: date | None) -> str:
    if due is None:
        return (
            "你（单位）有权陈述和申辩（第二十九条），对信息有异议的可依第三十二条提出异议。"
            " You may make statements and a defence (Art. 29) and object to the information"
            " (Art. 32)."
        )
    return (
        f"本措施尚未实施。你（单位）有权在 {due.isoformat()}（含）前通过平台陈述和申辩"
        "（第二十九条第二款）；期限届满或陈述申辩经答复后，本机关再作决定。对信息有异议的可依"
        "第三十二条提出异议。 The measure is not yet applied. You may state your case and"
        f" defend yourself on the platform until {due.isoformat()} inclusive (Art. 29 para. 2);"
        " the organ decides after that day or after answering your statement. You may object"
        " to the information (Art. 32)."
    )


def notice_body(
    *, check: CreditCheck, measure: Measure, offered: dict[str, Any], defence_due_on: date | None
) -> dict[str, Any]:
    kind = KIND_NAMES.get(measure.kind.value, measure.kind.value)
    matter = MATTER_NAMES.get(check.matter, check.matter)
    used = [_describe(i) for i in _used(check, offered)]
    organ = check.org_name or "—"
    paragraphs = [
        f"根据《贵州省社会信用条例》第二十八条，{organ}在办理“{matter}”事项时，拟对你（单位）"
        f"实施以下{kind}：{measure.name}。",
        f"Under Article 28 of the Regulations on Social Credit of Guizhou Province, {organ} "
        f"will apply the following {measure.kind.value} measure in a {check.matter} matter: "
        f"{measure.name_en or measure.name}.",
        f"措施所依据的法律、法规和国家有关规定 / laws relied on：{measure.legal_basis}",
        "所依据的公共信用信息及其提供单位 / information used and its providers：",
        *(used or ["信用等级 credit grade " + (check.grade or "unrated")]),
        _right_to_defend(defence_due_on),
    ]
    facts = [
        ["措施 / Measure", f"{measure.name}（{measure.code}）"],
        ["类别 / Kind", kind],
        ["依据 / Legal basis", measure.legal_basis],
        ["实施机关 / Organ", organ],
        ["办理事项 / Matter", matter],
        ["信用核查 / Check", str(check.id)],
        ["所用信息 / Information used", "；".join(used) or (check.grade or "unrated")],
    ]
    if defence_due_on is not None:
        facts.append(["陈述申辩期限 / Defence until", defence_due_on.isoformat()])
    return {"paragraphs": paragraphs, "facts": facts, "issuer": organ}


def issue(
    session: Session,
    *,
    actor: Actor,
    row: AppliedMeasure,
    subject: Subject,
    body: dict[str, Any],
    at: datetime,
) -> str | None:
    """Serve the notice to the subject's inbox; its number, or ``None`` while the documents
    context has no measure-notice kind."""
    if NOTICE_KIND is None:
        return None
    title = f"实施{KIND_NAMES.get(row.kind.value, '')}告知书 / Notice of a measure"
    return _serve(session, actor=actor, row=row, title=title, body=body, at=at, to=subject)


def _serve(
    session: Session,
    *,
    actor: Actor,
    row: AppliedMeasure,
    title: str,
    body: dict[str, Any],
    at: datetime,
    to: Subject | None = None,
) -> str:
    """Issue a document about the applied measure to the subject ``to``, or else to the organ
    that applied it; its number."""
    assert NOTICE_KIND is not None
    doc = issue_document(
        session,
        kind=NOTICE_KIND,
        title=title,
        body=body,
        at=at,
        recipient_subject_id=to.id if to else None,
        recipient_org_id=None if to else row.org_id,
        recipient_name=to.name if to else row.org_name,
        object_type="applied_measure",
        object_id=row.id,
        actor=actor,
    )
    return doc.number


def issue_decision(
    session: Session, *, actor: Actor, row: AppliedMeasure, subject: Subject, at: datetime
) -> str | None:
    """The decision on a notified disciplinary measure, to the subject (Art. 29 para. 2)."""
    if NOTICE_KIND is None:
        return None
    applied = row.status.value == "applied"
    outcome = "决定实施 / applied" if applied else "决定不予实施 / withdrawn"
    organ = row.org_name or "—"
    paragraphs = [
        f"{organ}对拟实施的{KIND_NAMES.get(row.kind.value, '')}“{row.measure_name}”"
        f"作出决定：{outcome}。"
        f" {organ} has decided on the notified measure {row.measure_code}: {outcome}.",
        f"理由 / Reasons：{row.decision_reason or ''}",
    ]
    if row.statement:
        paragraphs.append(f"你（单位）的陈述和申辩 / Your statement：{row.statement}")
        paragraphs.append(f"答复 / Answer：{row.statement_answer or ''}")
    facts = [
        ["措施 / Measure", f"{row.measure_name}（{row.measure_code}）"],
        ["告知书 / Notice", row.notice_number or "—"],
        ["决定 / Decision", outcome],
    ]
    if applied and row.ends_on is not None:
        facts.append(["实施至 / In force until", row.ends_on.isoformat()])
    title = f"{KIND_NAMES.get(row.kind.value, '')}实施决定书 / Decision on a measure"
    body = {"paragraphs": paragraphs, "facts": facts, "issuer": organ}
    return _serve(session, actor=actor, row=row, title=title, body=body, at=at, to=subject)


def issue_lifted(
    session: Session, *, actor: Actor, row: AppliedMeasure, reason: str, at: datetime
) -> str | None:
    """Tell the organ that applied a measure that it is lifted with its ground (Art. 36)."""
    if NOTICE_KIND is None or row.org_id is None:
        return None
    paragraphs = [
        f"根据《贵州省社会信用条例》第三十六条，你单位对信用主体实施的“{row.measure_name}”"
        f"（核查 {row.check_id}）所依据的信息已修复、更正或移出名单，该措施自即日起解除。"
        f" Under Art. 36, the measure {row.measure_code} your organ applied after check"
        f" {row.check_id} is lifted: the information it rested on was repaired, corrected or"
        " removed from the list.",
        f"原因 / Reason：{reason}",
    ]
    facts = [
        ["措施 / Measure", f"{row.measure_name}（{row.measure_code}）"],
        ["告知书 / Notice", row.notice_number or "—"],
        ["解除时间 / Lifted at", at.isoformat()],
    ]
    body = {"paragraphs": paragraphs, "facts": facts, "issuer": "信用信息共享平台 / platform"}
    title = "解除信用措施通知 / Notice that a measure is lifted"
    return _serve(session, actor=actor, row=row, title=title, body=body, at=at)


def issue_statement(session: Session, *, actor: Actor, row: AppliedMeasure, at: datetime) -> None:
    """Tell the organ that the subject has stated its case against a notified measure: it is
    to answer before deciding (Art. 29 para. 2)."""
    if NOTICE_KIND is None or row.org_id is None:
        return
    paragraphs = [
        f"信用主体对拟实施的“{row.measure_name}”（核查 {row.check_id}，告知书"
        f" {row.notice_number or '—'}）提出陈述和申辩，请答复后再作决定（第二十九条第二款）。"
        f" The subject has stated its case against the notified measure {row.measure_code}"
        f" (check {row.check_id}); answer it before deciding (Art. 29 para. 2).",
        f"陈述和申辩 / Statement：{row.statement or ''}",
    ]
    body = {
        "paragraphs": paragraphs,
        "facts": [["措施 / Measure", row.measure_code]],
        "issuer": "信用信息共享平台 / platform",
    }
    title = "信用主体陈述申辩 / A statement and defence"
    _serve(session, actor=actor, row=row, title=title, body=body, at=at)
