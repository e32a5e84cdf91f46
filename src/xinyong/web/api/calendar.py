"""Working-day calendar (RGT-6): deadlines for anyone, overrides for the credit office."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from xinyong.calendar import service
from xinyong.calendar.schemas import (
    CalendarOverrideCreate,
    CalendarOverrideList,
    CalendarOverrideRead,
    CalendarYearCreate,
    CalendarYearRead,
    DeadlineRead,
)
from xinyong.core.calendar import MAX_WORKING_DAYS
from xinyong.web.deps import ActingDep, SessionDep

router = APIRouter(tags=["calendar"])


@router.get("/calendar/deadline", response_model=DeadlineRead)
def deadline(
    session: SessionDep,
    start: date,
    working_days: Annotated[int, Query(ge=0, le=MAX_WORKING_DAYS)],
) -> DeadlineRead:
    """The N-th working day after ``start`` (``start`` itself not counted)."""
    due = service.deadline(session, start=start, working_days=working_days)
    return DeadlineRead(start=start, working_days=working_days, due=due)


@router.get("/calendar/overrides", response_model=CalendarOverrideList)
def list_overrides(
    session: SessionDep, year: Annotated[int | None, Query(ge=1900, le=2200)] = None
) -> CalendarOverrideList:
    rows = service.list_overrides(session, year=year)
    return CalendarOverrideList(items=[CalendarOverrideRead.model_validate(r) for r in rows])


@router.post("/calendar/overrides", response_model=CalendarOverrideRead)
def set_override(body: CalendarOverrideCreate, acting: ActingDep) -> CalendarOverrideRead:
    row = acting(service.set_override, day=body.day, is_workday=body.is_workday, note=body.note)
    return CalendarOverrideRead.model_validate(row)


@router.post("/calendar/years", response_model=CalendarYearRead)
def configure_year(body: CalendarYearCreate, acting: ActingDep) -> CalendarYearRead:
    """Declare a year beyond the statutory calendar complete (its holidays set as overrides)."""
    return CalendarYearRead.model_validate(
        acting(service.configure_year, year=body.year, note=body.note)
    )
