"""Tables of the working-day calendar (RGT-6): the credit office's overrides and the years it
has configured beyond the shipped statutory calendar."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import UTCDateTime


class CalendarOverride(Base):
    """One day whose working status the credit office decided (a late State Council notice,
    a local holiday, a year the statutory calendar does not cover yet)."""

    __tablename__ = "calendar_override"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text)
    #: The actor's name, copied so that it survives the account.
    set_by: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CalendarYear(Base):
    """A year the statutory calendar does not cover, declared complete by the credit office:
    its holidays and adjusted working days are entered as overrides, every other day follows
    the plain Monday–Friday week."""

    __tablename__ = "calendar_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    note: Mapped[str] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime())
