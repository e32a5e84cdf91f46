"""Credit repair use cases (Art. 36; RGT-5, GOV-1, PLT-4).

A subject applies to repair one of its own negative records, with a statement, proof, its
public credit commitment and its declaration that the obligations are fulfilled. What the
platform can know for certain is checked at once (``rules.repair_eligible``): the item can be
repaired by law, the class's minimum publicity period is reached, obligations declared
fulfilled, a commitment made where the class needs one. An ineligible application is answered
422 ``repair_not_eligible`` with every reason (and the day the minimum is reached) and nothing
is written — the API contract makes it a refused request, not an application, and the audit
log records writes. An eligible one is routed to the record's provider (the credit office for
self-declared records), due on the rule set's handling period (5 working days after receipt,
data in ``repair/data/repair_rules.json``), and the handler gets a written notice.

The provider (or the credit office) decides (``decisions.decide_repair``); a repaired record
is no longer served on publicity, government sharing or authorized inquiry, but stays in the
subject's own view and the audit: the decision puts a ``repaired`` mark (``xinyong.marks``)
that the disclosure policy reads.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from xinyong.core.actor import Actor, Role
from xinyong.core.clock import local_date
from xinyong.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RuleViolation
from xinyong.documents.models import DocumentKind
from xinyong.documents.service import issue_document
from xinyong.handling.access import listing_scope, routed_to
from xinyong.handling.outcomes import audit_case
from xinyong.records.models import Record, RecordStatus
from xinyong.repair import reference, rules
from xinyong.repair import repository as repo
from xinyong.repair.access import RepairClosed, load, repair_read, signed_in, working_days
from xinyong.repair.decisions import decide_repair, escalate_overdue
from xinyong.repair.evidence import EvidenceItem, check_total, parse_evidence
from xinyong.repair.integrations import document_kind
from xinyong.repair.models import RepairApplication, RepairEvidence, RepairStatus
from xinyong.repair.schemas import EligibilityRead, ReasonRead, RepairList, RepairRead
from xinyong.repair.schemas import reasons_details as _details
from xinyong.subjects.service import get_subject

__all__ = [
    "RepairClosed",
    "RepairNotEligible",
    "apply_for_repair",
    "decide_repair",
    "escalate_overdue",
    "evidence_file",
    "get_repair",
    "list_repairs",
    "repair_eligibility",
    "repaired_record_ids",
]


class RepairNotEligible(RuleViolation, code="repair_not_eligible"):
    """The record may not be repaired (yet): its kind, its minimum period, or the subject's
    obligations (Art. 36; RGT-6); the details say which."""


class RepairOpen(Conflict, code="repair_open"):
    """An application to repair the record is already being decided."""


class AlreadyRepaired(Conflict, code="already_repaired"):
    """The record was repaired already."""


def repaired_record_ids(session: Session, record_ids: Collection[int]) -> set[int]:
    """Of ``record_ids``, those whose credit repair was granted (Art. 36; RGT-5): they are no
    longer served on publicity, government sharing or authorized inquiry — only to their
    subject and the audit. Channels read the ``repaired`` mark the decision puts."""
    if not record_ids:
        return set()
    return repo.repaired(session, record_ids)


def _own_record(session: Session, actor: Actor, record_id: int) -> Record:
    """A subject repairs its own records only (404 for any other: no existence leak)."""
    signed_in(actor)
    if actor.role is not Role.SUBJECT:
        raise PermissionDenied(
            "只有信用主体本人可以申请信用修复 / only the credit subject applies for credit repair"
        )
    record = repo.record(session, record_id)
    if record is None or actor.subject_id is None or record.subject_id != actor.subject_id:
        raise NotFound(f"没有记录 {record_id} / no record {record_id}")
    return record


def _facts(session: Session, record: Record) -> tuple[rules.ItemFacts, rules.RecordFacts]:
    version = repo.item_version(session, record)
    item = rules.ItemFacts(
        code=record.item_code,
        # An item the catalogue no longer knows cannot be shown to be repairable.
        repairable=bool(version.repairable) if version is not None else False,
        polarity=record.polarity,
        default_severity=version.default_severity.value
        if version is not None and version.default_severity is not None
        else None,
        repair_note=version.repair_note if version is not None else "",
    )
    facts = rules.RecordFacts(
        severity=record.severity.value if record.severity is not None else None,
        decided_on=record.decided_on,
        withdrawn=record.status is RecordStatus.WITHDRAWN,
    )
    return item, facts


def _eligibility(
    session: Session, record: Record, *, at: datetime, obligations: bool, commitment: bool
) -> tuple[rules.Eligibility, rules.ItemFacts]:
    item, facts = _facts(session, record)
    sets = reference.repair_rule_sets()
    # Eligibility follows the measures in force on the decision date (Order 58 / Order 36).
    rule_set = rules.rule_set_on(facts.decided_on or local_date(at), sets)
    result = rules.repair_eligible(
        item,
        facts,
        rule_set=rule_set,
        at=at,
        obligations_fulfilled=obligations,
        commitment_made=commitment,
    )
    return result, item


def _reasons(result: rules.Eligibility) -> list[ReasonRead]:
    return [
        ReasonRead(code=r.code, message=r.message, earliest_on=r.earliest_on)
        for r in result.reasons
    ]


def repair_eligibility(
    session: Session, *, actor: Actor, record_id: int, at: datetime
) -> EligibilityRead:
    """Whether the subject's record may be repaired now, assuming the obligations fulfilled
    and the commitment made (which the applicant supplies): what the application page shows."""
    record = _own_record(session, actor, record_id)
    result, item = _eligibility(session, record, at=at, obligations=True, commitment=True)
    open_one = repo.open_on_record(session, record.id)
    return EligibilityRead(
        record_id=record.id,
        item=record.item_code,
        repairable=item.repairable,
        eligible=result.ok and open_one is None and not repaired_record_ids(session, [record.id]),
        severity=result.severity,
        rule_set=result.rule_set,
        earliest_on=result.earliest_on,
        commitment_required=result.commitment_required,
        reasons=_reasons(result),
        standard_commitment=reference.standard_commitment(),
        open_repair_id=open_one.id if open_one is not None else None,
        repaired=bool(repaired_record_ids(session, [record.id])),
    )


def _evidence(evidence: Sequence[Any] | None) -> list[EvidenceItem]:
    entries = list(evidence or [])
    if entries and all(isinstance(e, EvidenceItem) for e in entries):
        items: list[EvidenceItem] = entries
        check_total(items)
        return items
    return parse_evidence(entries)


def _refuse_if_taken(session: Session, record: Record) -> None:
    if repaired_record_ids(session, [record.id]):
        raise AlreadyRepaired(
            f"记录 {record.id} 已完成信用修复 / record {record.id} is already repaired"
        )
    other = repo.open_on_record(session, record.id)
    if other is not None:
        raise RepairOpen(
            f"该记录已有正在处理的信用修复申请 {other.id} / repair application {other.id} on "
            "this record is being handled",
            details=[{"field": "record_id", "reason": "repair open", "repair_id": other.id}],
        )


def apply_for_repair(
    session: Session,
    *,
    actor: Actor,
    record_id: int,
    statement: str,
    evidence: Sequence[Any] | None,
    commitment: str | None,
    obligations_fulfilled: bool,
    at: datetime,
    obligations_proof: str | None = None,
) -> RepairRead:
    """Apply for credit repair of an own record (Art. 36). ``commitment``: ``None`` takes the
    standard commitment (filing signs it); ``""`` means none made. Ineligible → 422
    ``repair_not_eligible`` naming every reason; nothing is written then."""
    record = _own_record(session, actor, record_id)
    statement = statement.strip()
    if not statement:
        raise InvalidInput(
            "请说明申请修复的理由和纠正失信行为的情况 / state why the record should be repaired "
            "and how the conduct was corrected",
            details=[{"field": "statement", "reason": "required"}],
        )
    _refuse_if_taken(session, record)
    items = _evidence(evidence)
    text = reference.standard_commitment() if commitment is None else commitment.strip()
    result, _ = _eligibility(
        session, record, at=at, obligations=obligations_fulfilled, commitment=bool(text)
    )
    if not result.ok:
        reasons = _reasons(result)
        raise RepairNotEligible("；".join(r.message for r in reasons), details=_details(reasons))
    received = rules.received_on(at)
    # The handling period follows the measures in force on the day of receipt.
    procedure = rules.rule_set_on(received, reference.repair_rule_sets())
    repair = RepairApplication(
        **routed_to(record),
        item_code=record.item_code,
        applicant_id=actor.user_id,
        applicant_name=actor.display_name,
        statement=statement,
        evidence=[],
        commitment_text=text or None,
        obligations_fulfilled=obligations_fulfilled,
        obligations_proof=(obligations_proof or "").strip() or None,
        severity=result.severity,
        rule_set=result.rule_set,
        received_at=at,
        due_on=rules.repair_due(
            received, days=procedure.decision_working_days, calendar=working_days(session)
        ),
        status=RepairStatus.RECEIVED,
    )
    try:
        with session.begin_nested():
            session.add(repair)
            session.flush()
    except IntegrityError:
        # Another application on this record got in first (the partial unique index).
        _refuse_if_taken(session, record)
        raise
    repair.evidence = _store_evidence(session, repair.id, items)
    session.flush()
    _notify_handler(session, repair, at)
    audit_case(
        session, repair, "repair", actor=actor, tag="repair:application:file", at=at,
        after={
            "record_id": record.id,
            "due_on": repair.due_on.isoformat(),
            "rule_set": repair.rule_set,
            "severity": repair.severity,
            "routed_to": repair.provider_org_id,
            "evidence": [e["sha256"] or e["name"] for e in repair.evidence],
            "commitment": bool(repair.commitment_text),
        },
        reason=statement,
    )  # fmt: skip
    session.flush()
    return repair_read(session, repair, today=received)


def _store_evidence(
    session: Session, repair_id: int, items: list[EvidenceItem]
) -> list[dict[str, Any]]:
    kept = []
    for item in items:
        file_id = None
        if item.content is not None:
            row = RepairEvidence(
                repair_id=repair_id,
                name=item.name,
                content_type=item.content_type or "application/octet-stream",
                sha256=item.sha256 or "",
                size=len(item.content),
                content=item.content,
            )
            session.add(row)
            session.flush()
            file_id = row.id
        kept.append(item.metadata(file_id))
    return kept


def _notify_handler(session: Session, repair: RepairApplication, at: datetime) -> None:
    subject = get_subject(session, repair.subject_id)
    issue_document(
        session,
        kind=document_kind("REPAIR_NOTICE", DocumentKind.OBJECTION_NOTICE),
        title="信用修复申请受理通知",
        body={
            "paragraphs": [
                f"信用主体{subject.name}申请修复信用记录 #{repair.record_id}"
                f"（{repair.item_code}），请于 {repair.due_on.isoformat()} 前核查并作出"
                "是否修复的决定，书面告知申请人"
                "（《贵州省社会信用条例》第三十六条）。",
                f"{subject.name} applied to repair record #{repair.record_id}; decide by "
                f"{repair.due_on.isoformat()} and notify the applicant in writing (Art. 36).",
            ],
            "facts": [
                ["申请编号 Application", f"#{repair.id}"],
                ["失信程度 Class", repair.severity],
                ["适用办法 Rule set", repair.rule_set],
                ["受理日期 Received", rules.received_on(repair.received_at).isoformat()],
                ["处理期限 Due", repair.due_on.isoformat()],
            ],
        },
        at=at,
        recipient_org_id=repair.provider_org_id,
        recipient_office=repair.provider_org_id is None,
        recipient_name=repo.org_name(session, repair.provider_org_id),
        object_type="repair",
        object_id=repair.id,
    )


def get_repair(session: Session, *, actor: Actor, repair_id: int, at: datetime) -> RepairRead:
    """One application: its subject, its handler, the credit office (404 for anyone else)."""
    return repair_read(session, load(session, actor, repair_id), today=local_date(at))


def list_repairs(
    session: Session, *, actor: Actor, at: datetime, status: str | None = None
) -> RepairList:
    """A subject: its own; a provider: those routed to it; the credit office: all — by due
    date, undecided first. A read: "overdue" is computed from the due date as asked; the
    escalation itself (GOV-1 register entry, notice) is the job ``xinyong objections
    escalate``."""
    today = local_date(at)
    what = ("信用修复申请", "repair applications")
    scope, wanted = listing_scope(actor, status, RepairStatus, what=what)
    return RepairList(
        items=[
            repair_read(session, r, today=today)
            for r in repo.listing(session, scope=scope, status=wanted)
        ]
    )


def evidence_file(
    session: Session, *, actor: Actor, repair_id: int, file_id: int
) -> RepairEvidence:
    """An uploaded proof file, to whoever may see the application."""
    repair = load(session, actor, repair_id)
    found = repo.evidence_file(session, repair_id=repair.id, file_id=file_id)
    if found is None:
        raise NotFound(f"没有证明材料 {file_id} / no evidence file {file_id}")
    return found


def repairable_records(session: Session, *, actor: Actor, at: datetime) -> list[EligibilityRead]:
    """The subject's active negative records, each with whether it may be repaired now."""
    signed_in(actor)
    if actor.role is not Role.SUBJECT or actor.subject_id is None:
        raise PermissionDenied("只有信用主体本人可以申请信用修复 / only the credit subject applies")
    return [
        repair_eligibility(session, actor=actor, record_id=r.id, at=at)
        for r in repo.negative_records(session, actor.subject_id)
    ]
