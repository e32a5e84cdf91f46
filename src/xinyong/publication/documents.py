"""A subject's public documents, computed by the disclosure policy from the core (DIS-1…5).

The store receives exactly what ``disclosure.service.public_subject`` answers at the instant
of publication — only ``public`` items inside their windows, only public fields, masked
(Art. 18) — serialised once, as the API sends it, so that a public read is a key lookup.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from xinyong.core.errors import NotFound
from xinyong.disclosure import service as disclosure
from xinyong.disclosure.schemas import PublicSubjectRead
from xinyong.subjects.models import Subject


def dumps(value: Any) -> str:
    """JSON as the API renders it (compact, UTF-8 text, no NaN)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def to_json(model: BaseModel) -> str:
    return dumps(model.model_dump(mode="json"))


@dataclass(frozen=True, slots=True)
class RecordRow:
    record_id: int
    item: str
    day: date
    body: str


@dataclass(frozen=True, slots=True)
class SubjectDocument:
    subject_id: int
    code: str
    type: str
    brief: str
    body: str
    refresh_on: date | None
    records: tuple[RecordRow, ...]


def refresh_day(data: PublicSubjectRead) -> date | None:
    """The first day the answer changes by itself: the day after the earliest last day of a
    served record (its window, or its list period, ends at local midnight; DIS-4)."""
    ends = [r.window_ends_on for r in data.records if r.window_ends_on is not None]
    return min(ends) + timedelta(days=1) if ends else None


def subject_document(session: Session, subject: Subject, *, at: datetime) -> SubjectDocument | None:
    """The subject's public answer at ``at``; None when the public may not find it at all (a
    natural person with nothing served answers 404, like an unknown code)."""
    try:
        data = disclosure.public_subject(session, code=subject.code, at=at)
    except NotFound:
        return None
    brief = data.subject.model_dump(mode="json")
    rows = tuple(
        RecordRow(
            record_id=r.id,
            item=r.item,
            day=r.decided_on,
            body=dumps({"subject": brief, **r.model_dump(mode="json")}),
        )
        for r in data.records
        if r.decided_on is not None
    )
    return SubjectDocument(
        subject_id=subject.id,
        code=subject.code,
        type=subject.type,
        brief=dumps(brief),
        body=to_json(data),
        refresh_on=refresh_day(data),
        records=rows,
    )
