"""Wire shapes of the calendar context."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class DeadlineRead(BaseModel):
    start: date
    working_days: int
    due: date


class CalendarOverrideCreate(BaseModel):
    day: date
    is_workday: bool
    note: str = Field(min_length=1, max_length=2000)


class CalendarOverrideRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    day: date
    is_workday: bool
    note: str
    set_by: str
    set_at: datetime


class CalendarOverrideList(BaseModel):
    items: list[CalendarOverrideRead]


class CalendarYearCreate(BaseModel):
    year: int = Field(ge=2004, le=2200)
    note: str = Field(min_length=1, max_length=2000)


class CalendarYearRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    year: int
    note: str
    set_by: str
    set_at: datetime
