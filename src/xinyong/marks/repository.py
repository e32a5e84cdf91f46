"""Queries of the marks context; never commits."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import ColumnElement, SQLColumnExpression, exists, select
from sqlalchemy.orm import Session, aliased

from xinyong.marks.models import ENTRY_KINDS, MarkKind, RecordMark


def _holding(kind: MarkKind, record_id: SQLColumnExpression[int]) -> ColumnElement[bool]:
    return exists().where(
        RecordMark.record_id == record_id, RecordMark.kind == kind, RecordMark.ended_at.is_(None)
    )


def under_objection_clause(record_id: SQLColumnExpression[int]) -> ColumnElement[bool]:
    """True for a record with an objection being handled (``ix_record_mark_record_id_kind``)."""
    return _holding(MarkKind.UNDER_OBJECTION, record_id)


def repaired_clause(record_id: SQLColumnExpression[int]) -> ColumnElement[bool]:
    """True for a record whose repair was granted."""
    return _holding(MarkKind.REPAIRED, record_id)


def listed_clause(subject_id: SQLColumnExpression[int]) -> ColumnElement[bool]:
    """True for a subject with any serious-dishonesty entry, current or past."""
    return exists().where(
        RecordMark.subject_id == subject_id,
        RecordMark.kind == MarkKind.SERIOUS_DISHONESTY_ENTRY,
    )


#: The entry mark of a record, outer-joined by the channels' read (at most one per record).
entry_mark = aliased(RecordMark, name="entry_mark")


def entry_join_condition(record_id: SQLColumnExpression[int]) -> ColumnElement[bool]:
    return (entry_mark.record_id == record_id) & entry_mark.kind.in_(sorted(ENTRY_KINDS))


def entry_periods(
    session: Session, subject_id: int, kind: MarkKind
) -> list[tuple[date | None, date | None, date | None]]:
    """(starts_on, ends_on, ended_on) of the subject's entry marks of ``kind``, oldest first."""
    rows = session.execute(
        select(RecordMark.starts_on, RecordMark.ends_on, RecordMark.ended_on)
        .where(RecordMark.subject_id == subject_id, RecordMark.kind == kind)
        .order_by(RecordMark.starts_on)
    ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def holding(session: Session, source_type: str, source_id: int) -> list[RecordMark]:
    """Marks put by one source that have not ended."""
    stmt = select(RecordMark).where(
        RecordMark.source_type == source_type,
        RecordMark.source_id == source_id,
        RecordMark.ended_at.is_(None),
    )
    return list(session.scalars(stmt))


def existing(
    session: Session, kind: MarkKind, source_type: str, source_id: int
) -> RecordMark | None:
    stmt = select(RecordMark).where(
        RecordMark.kind == kind,
        RecordMark.source_type == source_type,
        RecordMark.source_id == source_id,
    )
    return session.scalars(stmt.limit(1)).first()


def record_ids_marked(session: Session, record_ids: Collection[int], kind: MarkKind) -> set[int]:
    ids = sorted(set(record_ids))
    found: set[int] = set()
    for start in range(0, len(ids), 900):
        stmt = select(RecordMark.record_id).where(
            RecordMark.record_id.in_(ids[start : start + 900]),
            RecordMark.kind == kind,
            RecordMark.ended_at.is_(None),
        )
        found.update(int(r) for r in session.scalars(stmt))
    return found
