"""Public tools: identifier check (SUB-2) and working-day deadline calculator (RGT-6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from xinyong.calendar import service as calendar
from xinyong.core.calendar import MAX_WORKING_DAYS
from xinyong.core.errors import XinyongError
from xinyong.subjects import service as subjects
from xinyong.web.deps import ClockDep, SessionDep
from xinyong.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/tools/identifier-check", response_class=HTMLResponse)
def identifier_check(request: Request, session: SessionDep, value: str = "") -> HTMLResponse:
    result = subjects.check_identifier(session, value) if value.strip() else None
    return render(request, "tools/identifier_check.html", {"value": value, "result": result})


@dataclass(frozen=True, slots=True)
class DeadlineAnswer:
    start: date | None = None
    working_days: int | None = None
    due: date | None = None
    left: int | None = None
    #: "bad_date" / "bad_count" (the template words them) or "refused" (``message`` says why).
    problem: str | None = None
    message: str | None = None


def _answer(session: Session, today: date, start_text: str, days_text: str) -> DeadlineAnswer:
    """Parse the form by hand so that a bad value re-renders the form with the reason."""
    try:
        start = date.fromisoformat(start_text.strip())
    except ValueError:
        return DeadlineAnswer(problem="bad_date")
    try:
        n = int(days_text.strip())
    except ValueError:
        n = -1
    if not 0 <= n <= MAX_WORKING_DAYS:
        return DeadlineAnswer(start=start, problem="bad_count")
    try:
        due = calendar.deadline(session, start=start, working_days=n)
    except XinyongError as exc:
        return DeadlineAnswer(start=start, working_days=n, problem="refused", message=exc.message)
    try:
        left: int | None = calendar.working_days_left(session, today=today, due=due)
    except XinyongError:
        # Today may lie in a year nobody configured (a date far back): the due date stands.
        left = None
    return DeadlineAnswer(start=start, working_days=n, due=due, left=left)


@router.get("/tools/deadline", response_class=HTMLResponse)
def deadline(
    request: Request, session: SessionDep, clock: ClockDep, start: str = "", working_days: str = ""
) -> HTMLResponse:
    today = clock.today()
    asked = bool(start or working_days)
    answer = _answer(session, today, start, working_days) if asked else DeadlineAnswer()
    ctx = {
        "start": start if asked else today.isoformat(),
        "working_days": working_days if asked else "3",
        "answer": answer,
        "today": today,
        "max_days": MAX_WORKING_DAYS,
    }
    return render(request, "tools/deadline.html", ctx, status_code=422 if answer.problem else 200)
