"""A record as the API shows it: head content, provenance (COL-2) and, on request, every
version with its reason, actor and time (RGT-1: the reason for each change)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from xinyong.accounts.models import Organisation
from xinyong.core.rows import from_row
from xinyong.records import repository as repo
from xinyong.records.models import Record, RecordVersion
from xinyong.records.schemas import (
    ActorBrief,
    ProviderBrief,
    RecordRead,
    RecordVersionRead,
    SubjectBrief,
)
from xinyong.subjects.service import get_subject


def version_read(v: RecordVersion) -> RecordVersionRead:
    return from_row(RecordVersionRead, v, actor=ActorBrief(id=v.actor_id, name=v.actor_name))


def source_id_of(source_key: str) -> str | None:
    """The provider's own id, when the record was delivered with one."""
    _, _, rest = source_key.partition("sid:")
    return rest or None


def record_read(session: Session, record: Record, *, with_versions: bool = False) -> RecordRead:
    subject = get_subject(session, record.subject_id)
    org = (
        session.get(Organisation, record.provider_org_id)
        if record.provider_org_id is not None
        else None
    )
    versions = repo.versions(session, record.id)
    head = next(v for v in versions if v.version == record.current_version)
    return from_row(
        RecordRead,
        record,
        item=record.item_code,
        version=record.current_version,
        subject=from_row(SubjectBrief, subject),
        source_id=source_id_of(record.source_key),
        provider=ProviderBrief(
            org_id=record.provider_org_id,
            org_code=org.code if org else None,
            org_name=org.name if org else None,
        ),
        received_by=ActorBrief(id=record.received_by_id, name=record.received_by_name),
        fields=head.fields,
        versions=[version_read(v) for v in versions] if with_versions else None,
    )
