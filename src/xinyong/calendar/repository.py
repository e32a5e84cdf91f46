"""Queries of the calendar context. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.calendar.models import CalendarOverride, CalendarYear


def get_override(session: Session, day: date) -> CalendarOverride | None:
    return session.get(CalendarOverride, day)


def overrides_from(session: Session, start: date) -> dict[date, bool]:
    """Every override after ``start`` (a few hundred rows at most: one per exceptional day)."""
    rows = session.execute(
        select(CalendarOverride.day, CalendarOverride.is_workday).where(
            CalendarOverride.day > start
        )
    )
    return {day: is_workday for day, is_workday in rows}


def overrides_between(session: Session, first: date, last: date) -> dict[date, bool]:
    rows = session.execute(
        select(CalendarOverride.day, CalendarOverride.is_workday).where(
            CalendarOverride.day >= first, CalendarOverride.day <= last
        )
    )
    return {day: is_workday for day, is_workday in rows}


def list_overrides(session: Session, *, year: int | None = None) -> Sequence[CalendarOverride]:
    query = select(CalendarOverride).order_by(CalendarOverride.day)
    if year is not None:
        query = query.where(
            CalendarOverride.day >= date(year, 1, 1), CalendarOverride.day <= date(year, 12, 31)
        )
    return session.scalars(query).all()


def configured_years(session: Session) -> frozenset[int]:
    return frozenset(session.scalars(select(CalendarYear.year)))


def get_year(session: Session, year: int) -> CalendarYear | None:
    return session.get(CalendarYear, year)


def list_years(session: Session) -> Sequence[CalendarYear]:
    return session.scalars(select(CalendarYear).order_by(CalendarYear.year)).all()
