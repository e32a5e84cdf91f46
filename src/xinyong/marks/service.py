"""Putting and ending marks on records (Art. 25, 32, 35, 36; DIS-4, DIS-5; LST-4).

The contexts that own a procedure call these inside their own use case's transaction: the
objections context when an objection is filed and decided, repair when repair is granted, the
lists context when an entry is published and when it ends early. They flush, never commit.
Disclosure reads the marks through :mod:`xinyong.marks.repository` in the same statement as
the records, so every channel sees a mark the moment its transaction commits.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy.orm import Session

from xinyong.core.clock import local_date
from xinyong.marks import repository as repo
from xinyong.marks.models import MarkKind, RecordMark
from xinyong.marks.rules import EntryPeriod

__all__ = [
    "EntryPeriod",
    "MarkKind",
    "end_marks",
    "marked_record_ids",
    "put_mark",
    "serious_periods",
]


def put_mark(
    session: Session,
    *,
    record_id: int,
    subject_id: int,
    kind: MarkKind,
    source_type: str,
    source_id: int,
    at: datetime,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> RecordMark:
    """Put ``kind`` on the record for ``source_type`` #``source_id``; idempotent per source."""
    found = repo.existing(session, kind, source_type, source_id)
    if found is not None:
        return found
    mark = RecordMark(
        record_id=record_id,
        subject_id=subject_id,
        kind=kind,
        source_type=source_type,
        source_id=source_id,
        starts_on=starts_on,
        ends_on=ends_on,
        created_at=at,
    )
    session.add(mark)
    session.flush()
    return mark


def end_marks(
    session: Session, *, source_type: str, source_id: int, at: datetime, reason: str
) -> int:
    """End the marks ``source_type`` #``source_id`` put: from today they no longer hold (an
    objection decided, an entry removed early). Returns how many ended; none left: 0."""
    marks = repo.holding(session, source_type, source_id)
    for mark in marks:
        mark.ended_at, mark.ended_on, mark.end_reason = at, local_date(at), reason[:300]
    session.flush()
    return len(marks)


def serious_periods(session: Session, subject_id: int) -> list[EntryPeriod]:
    """The subject's serious-dishonesty entry periods, each with its early end (DIS-4)."""
    rows = repo.entry_periods(session, subject_id, MarkKind.SERIOUS_DISHONESTY_ENTRY)
    return [EntryPeriod(s, e, x) for s, e, x in rows]


def marked_record_ids(session: Session, record_ids: Collection[int], kind: MarkKind) -> set[int]:
    """Of ``record_ids``, those on which a ``kind`` mark holds."""
    if not record_ids:
        return set()
    return repo.record_ids_marked(session, record_ids, kind)
