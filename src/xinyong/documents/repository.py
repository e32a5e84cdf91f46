"""Queries of the documents context; never commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, false, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from xinyong.documents.models import Document, DocumentCounter


def next_seq(session: Session, *, prefix: str, year: int) -> int:
    """Take the next number of ``prefix`` in ``year``. The counter row stays locked until the
    caller's transaction ends, so numbers are issued in commit order and a rollback gives the
    number back: no gaps, no duplicates."""
    bump = (
        update(DocumentCounter)
        .where(DocumentCounter.prefix == prefix, DocumentCounter.year == year)
        .values(last=DocumentCounter.last + 1)
        .returning(DocumentCounter.last)
        .execution_options(synchronize_session=False)
    )
    seq = session.execute(bump).scalar_one_or_none()
    if seq is not None:
        return int(seq)
    try:
        with session.begin_nested():
            session.add(DocumentCounter(prefix=prefix, year=year, last=1))
            session.flush()
    except IntegrityError:
        # Another transaction created this year's row first: take the next number from it.
        return int(session.execute(bump).scalar_one())
    return 1


def by_number(session: Session, number: str) -> Document | None:
    return session.scalars(select(Document).where(Document.number == number)).first()


def for_object(session: Session, *, object_type: str, object_id: str) -> Sequence[Document]:
    stmt = (
        select(Document)
        .where(Document.object_type == object_type, Document.object_id == object_id)
        .order_by(Document.id)
    )
    return session.scalars(stmt).all()


def addressed_to(
    session: Session,
    *,
    subject_id: int | None,
    org_id: int | None,
    office: bool,
    limit: int = 200,
) -> Sequence[Document]:
    """Documents to a subject, an organisation and/or the credit office, newest first."""
    conditions: list[ColumnElement[bool]] = []
    if subject_id is not None:
        conditions.append(Document.recipient_subject_id == subject_id)
    if org_id is not None:
        conditions.append(Document.recipient_org_id == org_id)
    if office:
        conditions.append(Document.recipient_office.is_(True))
    where = or_(*conditions) if conditions else false()
    stmt = select(Document).where(where).order_by(Document.id.desc()).limit(limit)
    return session.scalars(stmt).all()
