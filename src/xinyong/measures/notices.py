"""The written notice before a regulatory or disciplinary measure (Art. 28; MEA-3): the laws,
regulations and state provisions the measure rests on, and the content and provider of the
public credit information used. Served as a numbered document to the subject's inbox.
"""

from __future__ import annotations

from datetime import datetime
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


def notice_body(*, check: CreditCheck, measure: Measure, offered: dict[str, Any]) -> dict[str, Any]:
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
        *(used or ["信用等级 credit grade " + check.grade]),
        "你（单位）有权陈述和申辩（第二十九条），对信息有异议的可依第三十二条提出异议。"
        " You may make statements and a defence (Art. 29) and object to the information"
        " (Art. 32).",
    ]
    return {
        "paragraphs": paragraphs,
        "facts": [
            ["措施 / Measure", f"{measure.name}（{measure.code}）"],
            ["类别 / Kind", kind],
            ["依据 / Legal basis", measure.legal_basis],
            ["实施机关 / Organ", organ],
            ["办理事项 / Matter", matter],
            ["信用核查 / Check", str(check.id)],
            ["所用信息 / Information used", "；".join(used) or check.grade],
        ],
        "issuer": organ,
    }


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
    doc = issue_document(
        session, kind=NOTICE_KIND,
        title=f"实施{KIND_NAMES.get(row.kind.value, '')}告知书 / Notice of a measure",
        body=body, at=at, recipient_subject_id=subject.id, recipient_name=subject.name,
        object_type="applied_measure", object_id=row.id, actor=actor,
    )  # fmt: skip
    return doc.number
