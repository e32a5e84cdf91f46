"""Wire shapes of the calendar context."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from xinyong.core.wire import RowRead, Text2000


class DeadlineRead(BaseModel):
    start: date
    working_days: int
    due: date


class CalendarOverrideCreate(BaseModel):
    day: date
    is_workday: bool
    note: Text2000


class CalendarOverrideRead(RowRead):
    day: date
    is_workday: bool
    note: str
    set_by: str
    set_at: datetime


class CalendarOverrideList(BaseModel):
    items: list[CalendarOverrideRead]


class CalendarYearCreate(BaseModel):
    year: int = Field(ge=2004, le=2200)
    note: Text2000


class CalendarYearRead(RowRead):
    year: int
    note: str
    set_by: str
    set_at: datetime
