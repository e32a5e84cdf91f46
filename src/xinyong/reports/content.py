"""The self view of a subject's records, and the content a credit report is rendered from.

Both start from the disclosure policy's ``self`` channel (Art. 31: the subject sees
everything, each record with its ``under_objection`` mark) and add what only the subject's own
view carries: provenance (COL-2) and every version with its reason, actor and time.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.core.actor import Actor
from xinyong.core.clock import PLATFORM_ZONE, local_date
from xinyong.disclosure.rules import Channel
from xinyong.disclosure.schemas import DisclosedRecord
from xinyong.disclosure.service import visible_records
from xinyong.records.models import Record, RecordStatus, RecordVersion
from xinyong.reports import repository as repo
from xinyong.reports import rules
from xinyong.reports.schemas import SelfRecordRead, SourceRead, VersionRead
from xinyong.subjects.models import Subject

#: Changes the report prints per record; the full history is on the self-query page.
REPORT_CHANGES = 5


def _version(v: RecordVersion) -> VersionRead:
    return VersionRead(
        version=v.version,
        status=v.status.value,
        fields=v.fields,
        severity=v.severity.value if v.severity else None,
        decided_on=v.decided_on,
        document_no=v.document_no,
        reason=v.reason,
        basis=v.basis,
        actor=v.actor_name,
        at=v.at,
    )


def _source(record: Record, orgs: dict[int, tuple[str, str]]) -> SourceRead:
    code, name = orgs.get(record.provider_org_id or -1, (None, None))
    return SourceRead(
        provider_org_id=record.provider_org_id,
        provider_org_code=code,
        provider_org_name=name,
        channel=record.channel.value,
        batch_id=record.batch_id,
        agreement_id=record.agreement_id,
        received_at=record.received_at,
        received_by=record.received_by_name,
        document_no=record.document_no,
        self_declared=record.self_declared,
    )


def self_records(
    session: Session, *, subject: Subject, actor: Actor, at: datetime
) -> list[SelfRecordRead]:
    """Every record held on ``subject``, newest decision first, each with its state."""
    disclosed: list[DisclosedRecord] = visible_records(
        session, channel=Channel.SELF, subject_id=subject.id, actor=actor, at=at
    )
    records = repo.records_of(session, subject.id)
    versions = repo.versions_of(session, subject.id)
    orgs = repo.organisations(
        session, {r.provider_org_id for r in records.values() if r.provider_org_id}
    )
    tiers = repo.item_tiers(session, {d.item for d in disclosed})
    today = local_date(at)
    out: list[SelfRecordRead] = []
    for d in disclosed:
        record = records[d.id]
        category, tier = tiers.get(d.item, (d.category, "national"))
        state = rules.record_state(
            withdrawn=record.status is RecordStatus.WITHDRAWN,
            # The disclosure schema carries ``repaired`` once credit repair (RGT-5) lands.
            repaired=bool(getattr(d, "repaired", False)),
            window_ends_on=d.window_ends_on,
            today=today,
        )
        out.append(
            SelfRecordRead(
                id=d.id,
                item=d.item,
                item_name=d.item_name,
                category=category,
                section=rules.section_of(category=category, tier=tier),
                state=state.value,
                status=d.status,
                under_objection=d.under_objection,
                polarity=d.polarity,
                severity=d.severity,
                publicity=record.publicity,
                decided_on=d.decided_on,
                document_no=d.document_no,
                window_ends_on=d.window_ends_on,
                version=d.version,
                fields=d.fields,
                field_names=d.field_names,
                source=_source(record, orgs),
                versions=[_version(v) for v in versions.get(d.id, [])],
            )
        )
    return out


#: What every report prints first of a record: which it is and the decision it records.
HEADING = {"id", "item", "item_name", "decided_on", "document_no", "severity"}


def record_heading(r: SelfRecordRead) -> dict[str, Any]:
    """The record's :data:`HEADING` fields."""
    return r.model_dump(include=HEADING)


def provider(r: SelfRecordRead) -> dict[str, Any]:
    """Who provided the record, as a report prints it (the receiving account for a subject's
    own statement)."""
    return {
        "provider": r.source.provider_org_name or r.source.received_by,
        "provider_code": r.source.provider_org_code,
    }


def issued(
    *, subject: Subject, number: str, at: datetime, issued_to: str, verify_url: str
) -> dict[str, Any]:
    """What every report's content says of its issue: number, when, to whom, on which
    subject, and where it is verified."""
    return {
        "format": 1,
        "number": number,
        "issued_at": at.astimezone(PLATFORM_ZONE),
        "issued_to": issued_to,
        "subject": {"type": subject.type, "code": subject.code, "name": subject.name},
        "verify_url": verify_url,
    }


def json_native(content: dict[str, Any]) -> dict[str, Any]:
    """The content as its canonical JSON reads back (dates and times as ISO strings), so the
    PDF shows exactly what the digest covers."""
    loaded: dict[str, Any] = json.loads(rules.canonical_json(content))
    return loaded


def _report_record(r: SelfRecordRead) -> dict[str, Any]:
    heading = {x for x in (r.document_no, r.decided_on and r.decided_on.isoformat()) if x}
    changes = [
        {"version": v.version, "at": v.at, "actor": v.actor, "reason": v.reason}
        for v in r.versions
        if v.version > 1
    ]
    return {
        **record_heading(r),
        "polarity": r.polarity,
        "version": r.version,
        "under_objection": r.under_objection,
        "window_ends_on": r.window_ends_on,
        # Pairs, in the delivered order: the canonical JSON sorts keys, not list items.
        "fields": [
            [r.field_names.get(k, k), v]
            for k, v in r.fields.items()
            if rules.printed_field(k, v, section=r.section, heading=heading)
        ],
        "source": {
            **provider(r),
            "channel": r.source.channel,
            "batch_id": r.source.batch_id,
            "received_at": r.source.received_at.astimezone(PLATFORM_ZONE),
            "document_no": r.source.document_no,
            "self_declared": r.source.self_declared,
        },
        "changes": changes[-REPORT_CHANGES:],
    }


def report_content(
    *,
    subject: Subject,
    records: list[SelfRecordRead],
    number: str,
    at: datetime,
    issued_to: str,
    verify_url: str,
) -> dict[str, Any]:
    """What the PDF is rendered from and what its digest covers: the records still in effect
    (``rules.in_report``), by section in the standard's order. JSON-native (dates and times as
    ISO strings), so the PDF shows exactly what the digest covers."""
    printed = [r for r in records if rules.in_report(rules.RecordState(r.state))]
    by_section: dict[str, list[dict[str, Any]]] = {code: [] for code in rules.SECTION_CODES}
    for r in printed:
        by_section[r.section].append(_report_record(r))
    return json_native(
        {
            **issued(
                subject=subject, number=number, at=at, issued_to=issued_to, verify_url=verify_url
            ),
            "records_count": len(printed),
            "sections": [
                {"code": code, "records": by_section[code]} for code in rules.SECTION_CODES
            ],
        }
    )
