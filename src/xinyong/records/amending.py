"""Building the content of an amendment (Art. 33, 34): the head's fields with the changes
applied, validated against the catalogue version the record was delivered under — a newer
catalogue version never rewrites an old record (CAT-3)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from xinyong.catalogue.models import CatalogueItemVersion
from xinyong.core.actor import Actor
from xinyong.core.clock import local_date
from xinyong.records.delivery import allow_list, item_spec, published_item
from xinyong.records.models import Record, RecordVersion
from xinyong.records.rows import FieldValidator, ItemSpec, refuse, validate_row
from xinyong.records.rules import CleanRow, merge_fields
from xinyong.records.schemas import AmendmentCreate
from xinyong.subjects.models import Subject
from xinyong.subjects.rules import SubjectRef
from xinyong.subjects.service import ensure_subject, get_subject


def _validator(item: ItemSpec, head: RecordVersion) -> FieldValidator:
    """An amendment cannot drop what a collection source must give (Art. 26); a record that
    never held it (the platform's own list procedure made it) is not made unamendable."""
    held = all(r.code in head.fields for r in item.fields if r.source_required)
    return item.validator if held else item.procedure_validator


def amended_row(
    session: Session,
    *,
    actor: Actor,
    record: Record,
    head: RecordVersion,
    data: AmendmentCreate,
    at: datetime,
) -> tuple[CleanRow, Subject]:
    version = (
        session.get(CatalogueItemVersion, record.item_version_id)
        if record.item_version_id is not None
        else None
    )
    item = item_spec(version) if version else published_item(session, record.item_code, at=at)
    fields = merge_fields(head.fields, data.fields)
    current = get_subject(session, record.subject_id)
    subject: SubjectRef | None
    if data.subject is not None:
        subject = SubjectRef(data.subject.type, data.subject.id, data.subject.name)
    elif any(k.startswith("XDR_") for k in data.fields) and "XDR_MC" in fields:
        subject = None  # the party's fields changed: derive the subject from them again
    else:
        subject = SubjectRef(current.type, current.code, current.name, current.id_kind)
    row = validate_row(
        item,
        fields,
        # The identity never changes; any non-empty id spares the "no identity" check.
        source_id=record.source_key,
        severity=data.severity.value
        if data.severity
        else (
            None if "severity" in fields else (record.severity.value if record.severity else None)
        ),
        subject=subject,
        decided_on=data.decided_on,
        document_no=data.document_no or (None if item.document_field else record.document_no),
        today=local_date(at),
        allow_list=allow_list(session),
        validator=_validator(item, head),
    )
    if isinstance(row, list):
        refuse(row, "更正未通过校验 / the amendment is invalid")
    if row.subject.id_value == current.code and row.subject.type == current.type:
        return row, current
    return row, subject_named(session, actor, row.subject, at)


def subject_named(session: Session, actor: Actor, ref: SubjectRef, at: datetime) -> Subject:
    """The subject a row names, registered on first sight (renamed if the name differs)."""
    return ensure_subject(
        session,
        actor=actor,
        type=ref.type,
        id_value=ref.id_value,
        name=ref.name,
        id_kind=ref.id_kind,
        at=at,
    )
