"""The credit-repair notice served with the decision (信用修复告知书, "两书同达"; Art. 36; RGT-5).

When a provider delivers a negative record whose item can be repaired, the platform issues a
notice to the record's subject: the record, its class, its publicity period, the earliest day
repair may be applied for under the rule set in force on the decision date (the same
``rules.repair_eligible`` the application is judged by), what to submit and where. The notice
lands in the subject's inbox (``documents``); the provider downloads it to serve with its own
decision. The pass reads the change feed (``feed.consumers``), so deliveries by API, file or
CLI import are all noticed, once each, by whoever runs the pass first (the delivering request
or the worker). Flushes, never commits.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.core.actor import Actor, Role
from xinyong.core.clock import local_date
from xinyong.core.errors import NotAuthenticated, NotFound
from xinyong.disclosure.models import RecordWindow
from xinyong.documents.models import Document, DocumentKind
from xinyong.documents.service import documents_about, issue_document
from xinyong.feed.consumers import take_changes
from xinyong.feed.models import ChangeKind
from xinyong.records.models import Record, RecordStatus
from xinyong.repair import reference, rules
from xinyong.repair import repository as repo
from xinyong.subjects.service import get_subject

CONSUMER = "repair_notices"
OBJECT_TYPE = "record_repair_notice"
TITLE = "信用修复告知书 Credit repair notice"
WHERE = (
    "登录贵州省社会信用信息共享平台，在“我的信用”中对该记录点击“申请信用修复”（接口 POST "
    "/api/v1/repairs），由信息提供单位受理 / sign in to the platform, open “My credit” and "
    "press “Apply for repair” on this record (API POST /api/v1/repairs); the providing "
    "department handles it"
)


def _window_ends_on(session: Session, record_id: int) -> date | None:
    stmt = select(RecordWindow.window_ends_on).where(RecordWindow.record_id == record_id)
    return session.scalar(stmt)


def _body(
    session: Session, record: Record, eligibility: rules.Eligibility, rule_set: rules.RuleSet
) -> dict[str, Any]:
    item = repo.item_version(session, record)
    name = item.name if item is not None else record.item_code
    klass = rules.CLASS_ZH.get(eligibility.severity, eligibility.severity)
    ends = _window_ends_on(session, record.id)
    earliest = eligibility.earliest_on
    submit = "书面申请、已履行法定义务和纠正失信行为的证明（如缴款凭证、整改材料）" + (
        "、公开信用承诺书" if eligibility.commitment_required else ""
    )
    submit_en = "a written application, proof that the obligations are fulfilled" + (
        ", a public credit commitment" if eligibility.commitment_required else ""
    )
    return {
        "record_id": record.id,
        "repairable_from": earliest.isoformat() if earliest else None,
        "rule_set": rule_set.code,
        "paragraphs": [
            "您的下列失信信息已归集到平台。依据《贵州省社会信用条例》第三十六条和"
            f"《{rule_set.title_zh}》，纠正失信行为、履行法定义务后，可自下述日期起申请信用修复。",
            "The negative record below is now held on the platform. Under Article 36 and the "
            "repair measures in force, you may apply for credit repair from the date below once "
            "you have corrected the conduct and fulfilled your obligations.",
        ],
        "facts": [
            ["记录 Record", f"{name} #{record.id}"],
            ["决定文书号 Decision no.", record.document_no or ""],
            ["决定日期 Decided on", record.decided_on.isoformat() if record.decided_on else ""],
            ["失信等级 Class", f"{klass} {eligibility.severity}"],
            ["公示期限 Publicity until", ends.isoformat() if ends else "—"],
            ["最早可申请修复日期 Earliest repair date", earliest.isoformat() if earliest else "—"],
            ["适用规定 Rule set", rule_set.title_zh],
            ["提交材料 What to submit", f"{submit} / {submit_en}"],
            ["申请渠道 Where", WHERE],
            ["信息提供单位 Provider", repo.org_name(session, record.provider_org_id)],
        ],
    }


def issue_repair_notice(session: Session, *, record: Record, at: datetime) -> Document | None:
    """The notice of a repairable negative record, once; ``None`` for any other record."""
    if record.polarity != "negative" or record.status is not RecordStatus.ACTIVE:
        return None
    version = repo.item_version(session, record)
    if version is None or not version.repairable:
        return None
    if documents_about(session, object_type=OBJECT_TYPE, object_id=record.id):
        return None
    sets = reference.repair_rule_sets()
    rule_set = rules.rule_set_on(record.decided_on or local_date(at), sets)
    item = rules.ItemFacts(
        code=record.item_code,
        repairable=True,
        polarity=record.polarity,
        default_severity=version.default_severity.value if version.default_severity else None,
    )
    facts = rules.RecordFacts(
        severity=record.severity.value if record.severity else None,
        decided_on=record.decided_on,
    )
    eligibility = rules.repair_eligible(
        item, facts, rule_set=rule_set, at=at, obligations_fulfilled=True, commitment_made=True
    )
    subject = get_subject(session, record.subject_id)
    return issue_document(
        session,
        kind=DocumentKind.REPAIR_NOTICE,
        title=TITLE,
        body=_body(session, record, eligibility, rule_set),
        at=at,
        recipient_subject_id=record.subject_id,
        recipient_name=subject.name,
        object_type=OBJECT_TYPE,
        object_id=record.id,
    )


def issue_due_repair_notices(session: Session, *, at: datetime, limit: int = 1000) -> int:
    """One pass: the notices of the records delivered since the last pass. Returns how many
    were issued."""
    delivered = [
        c.record_id for c in take_changes(session, name=CONSUMER, limit=limit)
        if c.kind == ChangeKind.DELIVERED.value
    ]  # fmt: skip
    issued = 0
    for record_id in delivered:
        record = repo.record(session, record_id)
        if record is not None and issue_repair_notice(session, record=record, at=at):
            issued += 1
    return issued


def notice_of_record(session: Session, *, actor: Actor, record_id: int) -> Document:
    """The repair notice of a record, for its provider to serve with its decision (and the
    credit office); 404 for anyone else (no existence leak)."""
    record = repo.record(session, record_id)
    allowed = actor.role is Role.CREDIT_OFFICE or (
        actor.role in (Role.PROVIDER, Role.INSTITUTION)
        and record is not None
        and actor.org_id is not None
        and record.provider_org_id == actor.org_id
    )
    if actor.is_anonymous:
        raise NotAuthenticated("请先登录 / log in first")
    docs = documents_about(session, object_type=OBJECT_TYPE, object_id=record_id)
    if not allowed or not docs:
        raise NotFound(f"记录 {record_id} 没有信用修复告知书 / no repair notice for {record_id}")
    return docs[0]


def repairable_dates(session: Session, *, subject_id: int) -> dict[int, date]:
    """Record id → the earliest repair date its notice gave (the subject's record page)."""
    stmt = select(Document.body).where(
        Document.recipient_subject_id == subject_id, Document.object_type == OBJECT_TYPE
    )
    out: dict[int, date] = {}
    for body in session.scalars(stmt):
        if body.get("repairable_from"):
            out[int(body["record_id"])] = date.fromisoformat(body["repairable_from"])
    return out
