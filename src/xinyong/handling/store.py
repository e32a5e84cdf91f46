"""Queries every kind of case shares: the scoped listing and the overdue ones not yet
escalated. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, not_, select
from sqlalchemy.orm import Session

from xinyong.handling.access import ListScope

M = TypeVar("M", bound=Any)


def listing(
    session: Session,
    model: type[M],
    *,
    scope: ListScope,
    open_clause: ColumnElement[bool],
    status: str | None = None,
    limit: int = 500,
) -> Sequence[M]:
    """Cases by due date, open ones first, scoped by who asks; ``status`` is ``open`` or one
    status."""
    stmt = select(model)
    if not scope.everything:
        if scope.provider_org_id is not None:
            stmt = stmt.where(model.provider_org_id == scope.provider_org_id)
        elif scope.subject_id is not None:
            stmt = stmt.where(model.subject_id == scope.subject_id)
        else:
            return []
    if status == "open":
        stmt = stmt.where(open_clause)
    elif status:
        stmt = stmt.where(model.status == status)
    stmt = stmt.order_by(not_(open_clause), model.due_on, model.id)
    return session.scalars(stmt.limit(limit)).all()


def overdue_unescalated(
    session: Session, model: type[M], *, open_clause: ColumnElement[bool], today: date
) -> Sequence[M]:
    """Open cases past their due date that were not escalated yet, oldest first."""
    stmt = select(model).where(open_clause, model.due_on < today, model.escalated_at.is_(None))
    return session.scalars(stmt.order_by(model.due_on, model.id)).all()
