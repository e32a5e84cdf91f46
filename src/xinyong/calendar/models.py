"""Tables of the working-day calendar (RGT-6): the credit office's overrides and the years it
has configured beyond the shipped statutory calendar."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import Str200


class SetByOffice:
    """What every entry of the calendar carries: its basis (e.g. the State Council notice), and
    who set it when — the actor's name copied so that it survives the account."""

    note: Mapped[str]
    set_by: Mapped[Str200]
    set_at: Mapped[datetime]


class CalendarOverride(SetByOffice, Base):
    """One day whose working status the credit office decided (a late State Council notice,
    a local holiday, a year the statutory calendar does not cover yet)."""

    day: Mapped[date] = mapped_column(primary_key=True)
    is_workday: Mapped[bool]


class CalendarYear(SetByOffice, Base):
    """A year the statutory calendar does not cover, declared complete by the credit office:
    its holidays and adjusted working days are entered as overrides, every other day follows
    the plain Monday–Friday week."""

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
