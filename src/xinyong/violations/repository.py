"""Queries of the violation register; never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinyong.violations.models import Violation, ViolationKind


def add(session: Session, violation: Violation) -> Violation:
    session.add(violation)
    session.flush()
    return violation


def page(
    session: Session, *, kind: ViolationKind | None, offset: int, limit: int
) -> tuple[Sequence[Violation], int]:
    query = select(Violation)
    if kind is not None:
        query = query.where(Violation.kind == kind)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(Violation.at.desc(), Violation.id.desc()).offset(offset).limit(limit)
    ).all()
    return rows, total


def latest_of_user(
    session: Session, *, kind: ViolationKind, user_id: int, since: datetime, until: datetime
) -> Violation | None:
    """The most recent violation of ``kind`` concerning ``user_id`` in ``[since, until]``."""
    return session.scalars(
        select(Violation)
        .where(
            Violation.kind == kind,
            Violation.user_id == user_id,
            Violation.at >= since,
            Violation.at <= until,
        )
        .order_by(Violation.at.desc(), Violation.id.desc())
        .limit(1)
    ).first()
