"""What a correction sets off, shared by objections and own corrections: the record changes
through the records service, and recent recipients get a correction notice.

Beyond the regulation, as credit bureaus do (US FCRA §1681i(d), GDPR Art. 19): an organisation
that received a record in an inquiry of the last 6 months learns that it was corrected.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy.orm import Session

from xinyong.core.actor import Actor
from xinyong.core.clock import PLATFORM_ZONE, local_date
from xinyong.core.errors import InvalidInput, NotFound
from xinyong.documents.models import DocumentKind
from xinyong.documents.service import issue_document
from xinyong.handling.access import org_name as handling_org_name
from xinyong.objections import integrations
from xinyong.objections import repository as repo
from xinyong.objections.rules import CORRECTION_NOTICE_MONTHS, months_before
from xinyong.records import service as records
from xinyong.records.models import Record
from xinyong.records.schemas import AmendmentCreate, WithdrawalCreate


def org_name(session: Session, org_id: int | None) -> str:
    return handling_org_name(session, org_id)


def notify_recipients_of_correction(
    session: Session, *, record_id: int, at: datetime, reason: str
) -> list[str]:
    """Send a correction notice to every organisation (other than the record's provider) whose
    inquiries of the last 6 months returned the record; the numbers of the notices. Runs in
    the caller's transaction (flushes, never commits): call it where the record is corrected,
    withdrawn or repaired."""
    record = repo.record(session, record_id)
    if record is None:
        raise NotFound(f"没有记录 {record_id} / no record {record_id}")
    since_day = months_before(local_date(at), CORRECTION_NOTICE_MONTHS)
    since = datetime.combine(since_day, time.min, tzinfo=PLATFORM_ZONE)
    orgs = integrations.recipient_org_ids(
        session, record_id=record_id, subject_id=record.subject_id, since=since
    )
    orgs.discard(record.provider_org_id or -1)
    numbers = []
    for org_id in sorted(orgs):
        doc = issue_document(
            session,
            kind=DocumentKind.CORRECTION_NOTICE,
            title="信用信息更正通知书",
            body={
                "paragraphs": [
                    f"贵单位近 {CORRECTION_NOTICE_MONTHS} 个月内查询获得的信用记录 #{record_id}"
                    f"（{record.item_code}）已被更正、撤回或修复。请以平台当前信息为准，"
                    "不再依据原信息作出决定。",
                    f"Record #{record_id}, which your organisation received in an inquiry "
                    f"in the last {CORRECTION_NOTICE_MONTHS} months, has been corrected, "
                    "withdrawn or repaired. Please rely on its current state only.",
                ],
                "facts": [
                    ["记录 Record", f"#{record_id} · {record.item_code}"],
                    ["现状态 Status", f"{record.status.value} · v{record.current_version}"],
                    ["原因 Reason", reason],
                ],
            },
            at=at,
            recipient_org_id=org_id,
            recipient_name=org_name(session, org_id),
            object_type="record",
            object_id=record_id,
        )
        numbers.append(doc.number)
    return numbers


def apply_correction(
    session: Session,
    *,
    actor: Actor,
    record: Record,
    fields: dict[str, Any] | None,
    action: str | None,
    reason: str,
    basis: str,
    at: datetime,
) -> int:
    """Amend (fields given) or withdraw the record through the records service; the version
    it made. The records service commits: the caller's pending changes (decision, notices,
    audit) go in the same transaction, so call this last, and roll back if it fails."""
    withdraw = action == "withdraw" or (action is None and not fields)
    if action == "amend" and not fields:
        raise InvalidInput(
            "更正须给出更正后的字段 / an amendment needs the corrected fields",
            details=[{"field": "fields", "reason": "required for an amendment"}],
        )
    reason, basis = reason[:4000], basis[:4000]
    # A refused correction fails the whole decision: its unit of work rolls it back.
    if withdraw:
        data = WithdrawalCreate(reason=reason, basis=basis)
        read = records.withdraw_record(
            session, actor=actor, record_id=record.id, data=data, at=at, procedure=True
        )
    else:
        change = AmendmentCreate(fields=fields or {}, reason=reason, basis=basis)
        read = records.amend_record(
            session, actor=actor, record_id=record.id, data=change, at=at, procedure=True
        )
    return read.version
