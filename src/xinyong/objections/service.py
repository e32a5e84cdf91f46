"""Objection use cases (Art. 32; RGT-2, DIS-5, PLT-4, GOV-1).

A subject objects to a record of its own (or the service window files on its behalf); the
objection is routed to the record's provider (the credit office for self-declared records),
due on the 3rd working day after receipt, the 5th once another unit is asked to help verify.
From filing until the decision the record carries the "under objection" mark in every channel.
The decision is notified in writing (a numbered document in the subject's inbox); an upheld
objection corrects or withdraws the record through the records service. Overdue objections
escalate to the credit office and enter the violation register.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import ColumnElement
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from xinyong.core.actor import Actor, Role
from xinyong.core.clock import local_date
from xinyong.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RuleViolation
from xinyong.documents.models import DocumentKind
from xinyong.documents.service import issue_document
from xinyong.handling.access import listing_scope, routed_to
from xinyong.handling.outcomes import audit_case, mark_record, reason_given
from xinyong.marks.service import MarkKind, marked_record_ids
from xinyong.objections import repository as repo
from xinyong.objections import rules
from xinyong.objections.access import (
    AssistanceTooLate,
    ObjectionClosed,
    ObjectionOpen,
    filed,
    load,
    load_handled,
    objection_read,
    signed_in,
    working_days,
)
from xinyong.objections.decisions import decide_objection, escalate_overdue
from xinyong.objections.models import Objection, ObjectionStatus
from xinyong.objections.notices import org_name
from xinyong.objections.schemas import ObjectionList, ObjectionRead, OwnRecord
from xinyong.records.models import Record, RecordStatus
from xinyong.subjects.service import get_subject

__all__ = [
    "AssistanceTooLate",
    "ObjectionClosed",
    "ObjectionOpen",
    "decide_objection",
    "decided_late_clause",
    "escalate_overdue",
    "file_objection",
    "get_objection",
    "list_objections",
    "my_records",
    "open_clause",
    "overdue_clause",
    "request_assistance",
    "under_objection_record_ids",
]


def _subject_of_filing(actor: Actor, record: Record | None, record_id: int) -> Record:
    """A subject objects to its own records only; the credit office's service window files
    for any subject (the record's)."""
    if actor.role is Role.SUBJECT:
        if record is None or actor.subject_id is None or record.subject_id != actor.subject_id:
            raise NotFound(f"没有记录 {record_id} / no record {record_id}")
        return record
    if actor.role is Role.CREDIT_OFFICE:
        if record is None:
            raise NotFound(f"没有记录 {record_id} / no record {record_id}")
        return record
    raise PermissionDenied(
        "只有信用主体本人或服务窗口可以提出异议 / only the credit subject, or the service window "
        "on its behalf, files an objection"
    )


def file_objection(
    session: Session,
    *,
    actor: Actor,
    record_id: int,
    reason: str,
    at: datetime,
    idempotency_key: str | None = None,
    identity_check: str | None = None,
) -> tuple[ObjectionRead, bool]:
    """File an objection (Art. 32); returns it and whether it is new. The same objection filed
    again while open (a double click, a retried request) is the same objection."""
    signed_in(actor)
    record = _subject_of_filing(actor, repo.record(session, record_id), record_id)
    reason = reason_given(reason, "请说明异议理由 / state the reason for the objection")
    on_behalf = actor.role is not Role.SUBJECT
    check = (identity_check or "").strip() or None
    if on_behalf and check is None:
        raise InvalidInput(
            "代为提出异议须记录身份核验方式 / record how the subject's identity was checked",
            details=[{"field": "identity_check", "reason": "required on behalf of a subject"}],
        )
    if record.status is RecordStatus.WITHDRAWN:
        raise RuleViolation(
            f"记录 {record_id} 已撤回，不再提供 / record {record_id} is withdrawn",
            code="record_withdrawn",
        )
    today = local_date(at)
    digest = rules.reason_hash(reason)
    existing = _existing(session, record, digest, idempotency_key)
    if existing is not None:
        return objection_read(session, existing, today=today), False
    other = repo.open_on_record(session, record_id=record.id, subject_id=record.subject_id)
    if other is not None:
        raise ObjectionOpen(
            f"该记录已有正在处理的异议 {other.id} / objection {other.id} on this record is "
            "being handled",
            details=[{"field": "record_id", "reason": "objection open", "objection_id": other.id}],
        )
    objection = Objection(
        **routed_to(record),
        **filed(
            session, actor, on_behalf=on_behalf, identity_check=check, reason=reason,
            reason_hash=digest, at=at, idempotency_key=idempotency_key,
        ),
    )  # fmt: skip
    try:
        with session.begin_nested():
            session.add(objection)
            session.flush()
    except IntegrityError:
        # Two identical filings raced past the lookup: the constraint let one in.
        raced = _existing(session, record, digest, idempotency_key)
        if raced is None:
            raise
        return objection_read(session, raced, today=today), False
    _notify_handler(session, objection, record, at)
    # The "under objection" mark holds in every channel from filing to decision (DIS-5).
    mark_record(
        session, record, MarkKind.UNDER_OBJECTION, case="objection", case_id=objection.id, at=at
    )
    audit_case(
        session, objection, "objection", actor=actor, tag="objections:objection:file", at=at,
        after={
            "record_id": record.id,
            "due_on": objection.due_on.isoformat(),
            "on_behalf": on_behalf,
            "routed_to": objection.provider_org_id,
        },
        reason=reason,
    )  # fmt: skip
    session.flush()
    return objection_read(session, objection, today=today), True


def _existing(session: Session, record: Record, digest: str, key: str | None) -> Objection | None:
    if key is not None:
        found = repo.by_idempotency_key(session, subject_id=record.subject_id, key=key)
        if found is not None:
            if found.record_id != record.id or found.reason_hash != digest:
                raise Conflict(
                    "该幂等键已用于另一项异议 / this idempotency key was used for another "
                    "objection",
                    code="idempotency_key_reused",
                )
            return found
    return repo.same_filing(
        session, record_id=record.id, subject_id=record.subject_id, reason_hash=digest
    )


def _notify_handler(session: Session, objection: Objection, record: Record, at: datetime) -> None:
    subject = get_subject(session, objection.subject_id)
    office = objection.provider_org_id is None
    issue_document(
        session,
        kind=DocumentKind.OBJECTION_NOTICE,
        title="信用信息异议受理通知",
        body={
            "paragraphs": [
                f"信用主体{subject.name}对信用记录 #{record.id}（{record.item_code}）提出异议，"
                f"请于 {objection.due_on.isoformat()} 前核查处理并书面告知（《贵州省社会信用条例》"
                "第三十二条）。处理期间该信息已作异议标注。",
                f"An objection to record #{record.id} was filed; decide it by "
                f"{objection.due_on.isoformat()} (Art. 32). The record is marked meanwhile.",
            ],
            "facts": [
                ["异议编号 Objection", f"#{objection.id}"],
                ["异议理由 Reason", objection.reason],
                ["受理时间 Received", rules.received_on(objection.received_at).isoformat()],
                ["处理期限 Due", objection.due_on.isoformat()],
            ],
        },
        at=at,
        recipient_org_id=objection.provider_org_id,
        recipient_office=office,
        recipient_name=org_name(session, objection.provider_org_id),
        object_type="objection",
        object_id=objection.id,
    )


def request_assistance(
    session: Session, *, actor: Actor, objection_id: int, at: datetime, assisting_unit: str = ""
) -> ObjectionRead:
    """Another unit must help verify (Art. 32): due moves to the 5th working day after
    receipt (not after the request). Only within the first 3 working days after receipt: later,
    the request is refused and the objection stays due on its 3rd working day."""
    objection = load_handled(session, actor, objection_id)
    if objection.status is ObjectionStatus.ASSISTANCE:
        return objection_read(session, objection, today=local_date(at))
    # While received, ``due_on`` is the stored 3rd working day after receipt.
    if not rules.assistance_open(today=local_date(at), due_without_assistance=objection.due_on):
        raise AssistanceTooLate(
            f"协助核查须在受理后三个工作日内（{objection.due_on.isoformat()} 前）提出；"
            "异议仍应于该日处理（第三十二条）/ assistance may be requested only within the first "
            f"3 working days after receipt (by {objection.due_on.isoformat()}); the objection "
            "stays due then (Art. 32)",
            details=[{"field": "assistance", "reason": "after the 3rd working day",
                      "due": objection.due_on.isoformat()}],
        )  # fmt: skip
    before = {"status": objection.status.value, "due_on": objection.due_on.isoformat()}
    received = rules.received_on(objection.received_at)
    objection.due_on = rules.objection_due(
        received, assistance=True, calendar=working_days(session)
    )
    objection.status = ObjectionStatus.ASSISTANCE
    objection.assistance_requested_at = at
    objection.assisting_unit = assisting_unit.strip() or None
    session.flush()
    audit_case(
        session, objection, "objection", actor=actor, tag="objections:objection:assistance", at=at,
        before=before,
        after={"status": objection.status.value, "due_on": objection.due_on.isoformat()},
        reason=objection.assisting_unit,
    )  # fmt: skip
    session.flush()
    return objection_read(session, objection, today=local_date(at))


def under_objection_record_ids(session: Session, record_ids: Collection[int]) -> set[int]:
    """Of ``record_ids``, those carrying the "under objection" mark (Art. 32; DIS-5)."""
    return marked_record_ids(session, record_ids, MarkKind.UNDER_OBJECTION)


def get_objection(
    session: Session, *, actor: Actor, objection_id: int, at: datetime
) -> ObjectionRead:
    """One objection: its subject, its handler, the credit office (404 for anyone else)."""
    objection = load(session, actor, objection_id)
    return objection_read(session, objection, today=local_date(at))


def list_objections(
    session: Session, *, actor: Actor, at: datetime, status: str | None = None
) -> ObjectionList:
    """A provider: objections routed to it, by due date; the credit office: all; a subject:
    its own. A read: "overdue" is computed from the due date as asked; the escalation itself
    (register entry, notice) is the job ``xinyong objections escalate``."""
    scope, wanted = listing_scope(actor, status, ObjectionStatus, what=("异议", "objections"))
    rows = repo.listing(session, scope=scope, status=wanted)
    return ObjectionList(items=[objection_read(session, o, today=local_date(at)) for o in rows])


def my_records(session: Session, *, actor: Actor) -> list[OwnRecord]:
    """The records held on the subject an account acts for: what it may object to."""
    signed_in(actor)
    if actor.role is not Role.SUBJECT or actor.subject_id is None:
        return []
    rows = repo.records_of_subject(session, actor.subject_id)
    marked = repo.under_objection(session, [r.id for r in rows])
    return [
        OwnRecord(
            id=r.id,
            item=r.item_code,
            document_no=r.document_no,
            decided_on=r.decided_on,
            status=r.status.value,
            version=r.current_version,
            under_objection=r.id in marked,
        )
        for r in rows
    ]


def open_clause() -> ColumnElement[bool]:
    """SQL condition on ``Objection``: still being handled (for read models, e.g. the
    credit office's dashboard)."""
    return repo.open_clause()


def overdue_clause(today: date) -> ColumnElement[bool]:
    """SQL condition on ``Objection``: undecided past its due date on ``today`` (Art. 32; the
    SQL form of ``rules.is_overdue``)."""
    return repo.overdue_clause(today)


def decided_late_clause() -> ColumnElement[bool]:
    """SQL condition on ``Objection``: decided after its due date (Art. 32, 44 (5); the SQL
    form of ``rules.decided_late``)."""
    return repo.decided_late_clause()
