"""Queries of the subjects register. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.orm import Session

from xinyong.subjects.models import (
    Subject,
    SubjectName,
    SubjectRepresentative,
    UsccAllowlistEntry,
)


def get(session: Session, subject_id: int) -> Subject | None:
    return session.get(Subject, subject_id)


def by_code(session: Session, code: str) -> Subject | None:
    return session.scalars(select(Subject).where(Subject.code == code)).one_or_none()


def _like_fragment(key: str) -> str:
    # Escape LIKE wildcards so that a searched "%" or "_" matches itself.
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_by_name_key(
    session: Session, key: str, *, limit: int, include_former: bool = True
) -> Sequence[Subject]:
    """Subjects whose current (or a former) name key contains ``key``; exact matches first."""
    pattern = _like_fragment(key)
    condition: ColumnElement[bool] = Subject.name_key.like(pattern, escape="\\")
    if include_former:
        former = exists().where(
            SubjectName.subject_id == Subject.id,
            SubjectName.name_key.like(pattern, escape="\\"),
        )
        condition = or_(condition, former)
    query = (
        select(Subject)
        .where(condition)
        .order_by((Subject.name_key != key), Subject.name_key, Subject.id)
        .limit(limit)
    )
    return session.scalars(query).all()


def former_names(session: Session, subject_id: int) -> Sequence[SubjectName]:
    return session.scalars(
        select(SubjectName)
        .where(SubjectName.subject_id == subject_id)
        .order_by(SubjectName.valid_to_on, SubjectName.id)
    ).all()


def has_former_name_key(session: Session, subject_id: int, key: str) -> bool:
    found = session.scalar(
        select(SubjectName.id).where(
            SubjectName.subject_id == subject_id, SubjectName.name_key == key
        )
    )
    return found is not None


def representatives(
    session: Session, subject_id: int, *, on: date | None = None
) -> Sequence[SubjectRepresentative]:
    """Links of an organisation; with ``on``, only those in force that day."""
    query = select(SubjectRepresentative).where(SubjectRepresentative.subject_id == subject_id)
    if on is not None:
        query = query.where(
            SubjectRepresentative.valid_from_on <= on,
            or_(
                SubjectRepresentative.valid_to_on.is_(None),
                SubjectRepresentative.valid_to_on > on,
            ),
        )
    return session.scalars(
        query.order_by(SubjectRepresentative.valid_from_on, SubjectRepresentative.id)
    ).all()


def open_representatives(
    session: Session, subject_id: int, role: str
) -> Sequence[SubjectRepresentative]:
    return session.scalars(
        select(SubjectRepresentative).where(
            SubjectRepresentative.subject_id == subject_id,
            SubjectRepresentative.role == role,
            SubjectRepresentative.valid_to_on.is_(None),
        )
    ).all()


def allowlist_entry(session: Session, code: str) -> UsccAllowlistEntry | None:
    return session.get(UsccAllowlistEntry, code)


def allowlist(session: Session) -> Sequence[UsccAllowlistEntry]:
    return session.scalars(select(UsccAllowlistEntry).order_by(UsccAllowlistEntry.code)).all()
