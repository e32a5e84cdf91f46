"""Queries of the lists context. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from xinyong.lists.models import (
    EntryStatus,
    ListEntry,
    ListKind,
    ListProcedure,
    ListProcedureStep,
    ListStatement,
    RedListEntry,
)
from xinyong.records.models import Record, RecordStatus


def get_procedure(session: Session, procedure_id: int) -> ListProcedure | None:
    return session.get(ListProcedure, procedure_id)


def procedures(
    session: Session, *, subject_id: int | None = None, proposing_org_id: int | None = None
) -> Sequence[ListProcedure]:
    query = select(ListProcedure).order_by(ListProcedure.id)
    if subject_id is not None:
        query = query.where(ListProcedure.subject_id == subject_id)
    if proposing_org_id is not None:
        query = query.where(ListProcedure.proposing_org_id == proposing_org_id)
    return session.scalars(query).all()


def steps(session: Session, procedure_id: int) -> Sequence[ListProcedureStep]:
    query = select(ListProcedureStep).where(ListProcedureStep.procedure_id == procedure_id)
    return session.scalars(query.order_by(ListProcedureStep.id)).all()


def statements(session: Session, procedure_id: int) -> Sequence[ListStatement]:
    query = select(ListStatement).where(ListStatement.procedure_id == procedure_id)
    return session.scalars(query.order_by(ListStatement.id)).all()


def open_objection(session: Session, procedure_id: int) -> ListStatement | None:
    query = select(ListStatement).where(
        ListStatement.procedure_id == procedure_id,
        ListStatement.kind == "objection",
        ListStatement.answered_at.is_(None),
    )
    return session.scalars(query).first()


def entry_of(session: Session, procedure_id: int) -> ListEntry | None:
    return session.scalars(select(ListEntry).where(ListEntry.procedure_id == procedure_id)).first()


def get_entry(session: Session, entry_id: int) -> ListEntry | None:
    return session.get(ListEntry, entry_id)


def entries(session: Session, *, subject_id: int | None = None) -> Sequence[ListEntry]:
    query = select(ListEntry).order_by(ListEntry.id)
    if subject_id is not None:
        query = query.where(ListEntry.subject_id == subject_id)
    return session.scalars(query).all()


def entries_in_force(session: Session, *, subject_id: int, on: date) -> Sequence[ListEntry]:
    query = select(ListEntry).where(
        ListEntry.subject_id == subject_id,
        ListEntry.status == EntryStatus.ACTIVE,
        ListEntry.list_kind == ListKind.SERIOUS_DISHONESTY,
        ListEntry.period_start_on <= on,
        ListEntry.period_end_on >= on,
    )
    return session.scalars(query.order_by(ListEntry.id)).all()


def negative_records_of(
    session: Session, *, subject_id: int, record_ids: Sequence[int]
) -> set[int]:
    """Of ``record_ids``, the subject's active negative records."""
    if not record_ids:
        return set()
    query = select(Record.id).where(
        Record.id.in_(list(record_ids)),
        Record.subject_id == subject_id,
        Record.polarity == "negative",
        Record.status == RecordStatus.ACTIVE,
    )
    return {int(i) for i in session.scalars(query)}


def entries_resting_on(
    session: Session, *, subject_id: int, record_id: int, on: date
) -> list[ListEntry]:
    """The subject's entries in force on ``on`` that the record grounds or publishes."""
    rows = session.execute(
        select(ListEntry, ListProcedure.ground_record_ids)
        .join(ListProcedure, ListProcedure.id == ListEntry.procedure_id)
        .where(
            ListEntry.subject_id == subject_id,
            ListEntry.status == EntryStatus.ACTIVE,
            ListEntry.list_kind == ListKind.SERIOUS_DISHONESTY,
            ListEntry.period_end_on >= on,
        )
        .order_by(ListEntry.id)
    ).all()
    return [e for e, grounds in rows if e.record_id == record_id or record_id in (grounds or [])]


def entries_past_end(session: Session, *, on: date) -> Sequence[ListEntry]:
    query = select(ListEntry).where(
        ListEntry.status == EntryStatus.ACTIVE, ListEntry.period_end_on < on
    )
    return session.scalars(query.order_by(ListEntry.id)).all()


def red_list(
    session: Session, *, subject_id: int | None = None, published_only: bool = False
) -> Sequence[RedListEntry]:
    query = select(RedListEntry).order_by(RedListEntry.adopted_on.desc(), RedListEntry.id.desc())
    if subject_id is not None:
        query = query.where(RedListEntry.subject_id == subject_id)
    if published_only:
        query = query.where(RedListEntry.published_at.is_not(None))
    return session.scalars(query).all()


def red_list_in_force(session: Session, *, subject_id: int, on: date) -> Sequence[RedListEntry]:
    query = select(RedListEntry).where(
        RedListEntry.subject_id == subject_id, red_list_in_force_clause(on)
    )
    return session.scalars(query.order_by(RedListEntry.id)).all()


def get_red_list_entry(session: Session, entry_id: int) -> RedListEntry | None:
    return session.get(RedListEntry, entry_id)


def red_list_in_force_clause(on: date) -> ColumnElement[bool]:
    """SQL form of ``rules.red_list_valid`` for a published red list entry."""
    return and_(
        RedListEntry.published_at.is_not(None),
        RedListEntry.adopted_on <= on,
        or_(RedListEntry.valid_until.is_(None), RedListEntry.valid_until >= on),
    )


def entry_ended_clause(on: date) -> ColumnElement[bool]:
    """SQL form of ``rules.effective_status(...) is ENDED``: written down as ended, or still
    active past its last day."""
    return or_(
        ListEntry.status == EntryStatus.ENDED,
        and_(ListEntry.status == EntryStatus.ACTIVE, ListEntry.period_end_on < on),
    )
