"""The credit office's supervision desks (DESIGN §6; issue 14 item 2): grades with their
reasons, the working-day calendar's overrides, and the random spot-check draws.

- ``/office/grades`` (and ``.csv``): every organisation graded now by the documented rule set
  (MEA-5), with the reasons; filter by grade, sort, pages.
- ``/office/calendar``: the overrides of the working-day calendar (RGT-6); adding or removing
  one asks for its basis and goes through a confirmation (``confirm=1`` performs it, audited).
- ``/office/spot-checks``: the 双随机 draw form (GET, never 405) and the past draws; a draw
  shows its result on the same page.

The services authorise and refuse; a refused form is shown again with the message.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from xinyong.calendar import service as calendar
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput, NotFound
from xinyong.measures import grades
from xinyong.measures import service as measures
from xinyong.measures.spotchecks import list_draws
from xinyong.web.deps import ClockDep, SessionDep
from xinyong.web.pages import render
from xinyong.web.ui.components import (
    PageGate,
    Posted,
    TableQuery,
    TableSpec,
    form_route,
    render_form,
)
from xinyong.web.ui.support import Problem, csv_response, paged, sorted_by

router = APIRouter(include_in_schema=False)

OfficePage = Annotated[Actor, Depends(PageGate(Role.CREDIT_OFFICE))]
PER_PAGE = 50
#: What the calendar page may say was just done (``?done=``).
DONE = frozenset({"set", "cleared"})


# --- grades -------------------------------------------------------------------------------


class GradeQuery(BaseModel):
    grade: Literal["A", "B", "C", "D", "unrated"] | None = None
    sort: Literal["code", "name", "grade"] = "grade"
    order: Literal["asc", "desc"] = "asc"


GRADES = TableSpec(GradeQuery)
GradeTableQuery = Annotated[TableQuery[GradeQuery], Depends(GRADES)]
GRADE_CSV = ("code", "name", "grade", "rules", "reasons")


def _grade_rows(
    session: Session, actor: Actor, clock: Clock, q: TableQuery[GradeQuery]
) -> tuple[grades.GradeTable, list[grades.GradeRow]]:
    table = grades.grade_table(session, actor=actor, at=clock.now())
    f = q.filters
    rows = [r for r in table.rows if f.grade is None or (r.grade or grades.UNRATED) == f.grade]
    key = {"code": lambda r: r.code, "name": lambda r: r.name, "grade": lambda r: r.grade_key}
    # Within a grade, by code: the same order every time.
    rows = sorted(rows, key=lambda r: r.code)
    return table, sorted_by(rows, key[f.sort], f.order == "desc")


@router.get("/office/grades", response_class=HTMLResponse)
def grades_page(
    request: Request, session: SessionDep, actor: OfficePage, clock: ClockDep,
    q: GradeTableQuery,
) -> Response:  # fmt: skip
    table, rows = _grade_rows(session, actor, clock, q)
    shown, page, pages = paged(rows, q.page, PER_PAGE)
    ctx = {
        "rows": shown, "graded": table, "q": q, "values": q.values(),
        "table": q.table(request.url.path, pages=pages, total=len(rows), page=page),
        "names": grades.grade_names(), "rule_set": grades.rule_set(),
    }  # fmt: skip
    return render(request, "office/grades.html", ctx)


@router.get("/office/grades.csv")
def grades_csv(
    session: SessionDep, actor: OfficePage, clock: ClockDep, q: GradeTableQuery
) -> Response:
    _table, rows = _grade_rows(session, actor, clock, q)
    values = (
        (r.code, r.name, r.grade or grades.UNRATED, " | ".join(r.rules), " | ".join(r.reasons))
        for r in rows
    )
    return csv_response("grades.csv", GRADE_CSV, values)


# --- working-day calendar overrides ----------------------------------------------------------


def _calendar_page(
    request: Request, session: Session, clock: Clock, *, form: dict[str, str] | None = None,
    problem: Problem | None = None, done: str = "",
) -> Response:  # fmt: skip
    today = clock.today()
    rows = calendar.list_overrides(session)
    ctx = {
        "overrides": rows, "today": today, "form": form or {}, "done": done,
        "years": calendar.list_configured_years(session),
    }  # fmt: skip
    return render_form(request, "office/calendar.html", ctx, problem)


@router.get("/office/calendar", response_class=HTMLResponse)
def calendar_page(
    request: Request, session: SessionDep, actor: OfficePage, clock: ClockDep, done: str = ""
) -> Response:
    return _calendar_page(request, session, clock, done=done if done in DONE else "")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            "请填写日期（YYYY-MM-DD）/ give the day as a date (YYYY-MM-DD)",
            code="invalid_date",
            details=[{"field": "day", "reason": "a date YYYY-MM-DD"}],
        ) from None


def _note(form: dict[str, str], name: str) -> str:
    note = form.get(name, "").strip()
    if not note:
        raise InvalidInput(
            "请说明依据（如国务院办公厅通知）/ give the basis for the change (e.g. the State "
            "Council notice)",
            code="reason_missing",
            details=[{"field": name, "reason": "required"}],
        )
    return note


def calendar_set(p: Posted) -> Response | str:
    """Set a day's working status: the form, then the confirmation, then the change."""
    day = _day(p.form.get("day", ""))
    kind = p.form.get("kind", "")
    if kind not in ("workday", "holiday"):
        raise InvalidInput(
            "请选择工作日或休息日 / choose working day or day off",
            code="invalid_input",
            details=[{"field": "kind", "reason": "workday or holiday"}],
        )
    note = _note(p.form, "note")
    if p.form.get("confirm") != "1":
        ctx = {"action": "set", "day": day, "kind": kind, "note": note,
               "current": _current(p.session, day)}  # fmt: skip
        return render(p.request, "office/calendar_confirm.html", ctx)
    calendar.set_override(
        p.session, actor=p.actor, day=day, is_workday=kind == "workday", note=note,
        at=p.clock.now(),
    )  # fmt: skip
    return "/office/calendar?done=set"


form_route(
    router, "/office/calendar", OfficePage, act=calendar_set,
    again=lambda p, problem: _calendar_page(
        p.request, p.session, p.clock, form=p.form, problem=problem
    ),
)  # fmt: skip


def _current(session: Session, day: date) -> Any:
    return next((o for o in calendar.list_overrides(session, year=day.year) if o.day == day), None)


def _day_of_path(day: str) -> str:
    return day


def calendar_remove(p: Posted) -> Response | str:
    """Remove an override (the day follows the statutory calendar again), with a reason and a
    confirmation."""
    the_day = _day(p.key)
    current = _current(p.session, the_day)
    if current is None:
        raise NotFound(f"{the_day} 没有调整 / {the_day} has no override")
    reason = p.text("reason")
    if p.form.get("confirm") != "1" or not reason:
        ctx = {"action": "remove", "day": the_day, "current": current, "note": reason,
               "missing": p.form.get("confirm") == "1" and not reason}  # fmt: skip
        return render(p.request, "office/calendar_confirm.html", ctx)
    calendar.clear_override(p.session, actor=p.actor, day=the_day, reason=reason, at=p.clock.now())
    return "/office/calendar?done=cleared"


form_route(
    router, "/office/calendar/{day}/remove", OfficePage, _day_of_path, act=calendar_remove,
    again=lambda p, problem: _calendar_page(p.request, p.session, p.clock, problem=problem),
)  # fmt: skip


# --- spot-check draws ---------------------------------------------------------------------


def _spot_page(
    request: Request, session: Session, actor: Actor, *, draw: Any = None,
    problem: Problem | None = None, form: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    ctx = {
        "draws": list_draws(session, actor=actor).items, "draw": draw, "form": form or {},
        "rule_set": grades.rule_set(), "names": grades.grade_names(),
    }  # fmt: skip
    return render_form(request, "office/spot_checks.html", ctx, problem)


@router.get("/office/spot-checks", response_class=HTMLResponse)
def spot_checks(request: Request, session: SessionDep, actor: OfficePage) -> Response:
    """The navigation's 双随机抽查 link: the draw form and the past draws (a GET, never 405)."""
    return _spot_page(request, session, actor)


def draw_submit(p: Posted) -> Response:
    """A 双随机 draw; its result is shown on the same page."""
    draw = measures.draw_spot_check(
        p.session, actor=p.actor, at=p.clock.now(), seed=p.text("seed") or None,
        subject_codes=p.form.get("subjects", "").split() or None,
    )  # fmt: skip
    return _spot_page(p.request, p.session, p.actor, draw=draw)


form_route(
    router, "/office/spot-checks", OfficePage, act=draw_submit,
    again=lambda p, problem: _spot_page(
        p.request, p.session, p.actor, problem=problem, form=p.form
    ),
)  # fmt: skip
