"""Working-day calendar use cases (RGT-6): deadlines for every context, and the credit
office's overrides. Reads never commit; each write commits once, with its audit entry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.orm import Session

from xinyong.audit.service import record_event
from xinyong.calendar import repository as repo
from xinyong.calendar.models import CalendarOverride, CalendarYear
from xinyong.core import calendar as cal
from xinyong.core.actor import Actor
from xinyong.core.errors import InvalidInput
from xinyong.core.permissions import require


def deadline(session: Session, *, start: date, working_days: int) -> date:
    """The ``working_days``-th working day after ``start`` (``start`` not counted).

    Raises ``CalendarNotCovered`` when a needed day lies in a year nobody has configured."""
    return cal.nth_working_day_after(
        start,
        working_days,
        overrides=repo.overrides_from(session, start),
        configured_years=repo.configured_years(session),
    )


def working_days_between(session: Session, *, start: date, end: date) -> int:
    """Working days in ``(start, end]`` (negative when ``end`` is before ``start``)."""
    first, last = min(start, end), max(start, end)
    return cal.working_days_between(
        start,
        end,
        overrides=repo.overrides_between(session, first, last),
        configured_years=repo.configured_years(session),
    )


def working_days_left(session: Session, *, today: date, due: date) -> int:
    """Working days from ``today`` to ``due``: 0 on the due day, below 0 once overdue."""
    return working_days_between(session, start=today, end=due)


def list_overrides(session: Session, *, year: int | None = None) -> Sequence[CalendarOverride]:
    return repo.list_overrides(session, year=year)


def list_configured_years(session: Session) -> Sequence[CalendarYear]:
    return repo.list_years(session)


def _override_state(row: CalendarOverride | None) -> dict[str, object] | None:
    if row is None:
        return None
    return {"is_workday": row.is_workday, "note": row.note}


def _clean_note(note: str) -> str:
    note = note.strip()
    if not note:
        raise InvalidInput(
            "请说明依据（如国务院办公厅通知） / give the basis for the change (e.g. the State "
            "Council notice)",
            details=[{"field": "note", "reason": "required"}],
        )
    return note


def set_override(
    session: Session, *, actor: Actor, day: date, is_workday: bool, note: str, at: datetime
) -> CalendarOverride:
    """Decide whether ``day`` is a working day (credit office only; audited)."""
    require(actor, "calendar:manage")
    note = _clean_note(note)
    row = repo.get_override(session, day)
    before = _override_state(row)
    if row is None:
        row = CalendarOverride(day=day)
        session.add(row)
    row.is_workday = is_workday
    row.note = note
    row.set_by = actor.display_name
    row.set_at = at
    session.flush()
    after = _override_state(row)
    _audit(session, actor, "calendar:override:set", _target(day), before, after, note, at)
    return row


def clear_override(session: Session, *, actor: Actor, day: date, reason: str, at: datetime) -> None:
    """Remove an override: the day follows the statutory calendar again (audited)."""
    require(actor, "calendar:manage")
    reason = _clean_note(reason)
    row = repo.get_override(session, day)
    if row is None:
        return
    before = _override_state(row)
    session.delete(row)
    session.flush()
    _audit(session, actor, "calendar:override:clear", _target(day), before, None, reason, at)


def _target(day: date) -> tuple[str, str]:
    return "calendar_override", day.isoformat()


def _audit(
    session: Session,
    actor: Actor,
    tag: str,
    target: tuple[str, str | int],
    before: dict[str, object] | None,
    after: dict[str, object] | None,
    reason: str,
    at: datetime,
) -> None:
    """The audit entry of a change to the calendar, in the caller's transaction; ``target`` is
    the changed object's type and id."""
    object_type, object_id = target
    record_event(
        session,
        actor=actor,
        tag=tag,
        at=at,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
        reason=reason,
    )
    session.flush()


def configure_year(
    session: Session, *, actor: Actor, year: int, note: str, at: datetime
) -> CalendarYear:
    """Declare a year the statutory calendar does not cover complete: its holidays are in
    the overrides, every other day follows the Monday–Friday week (audited)."""
    require(actor, "calendar:manage")
    note = _clean_note(note)
    if cal.statutory_covers(year):
        raise InvalidInput(
            f"{year} 年已由法定工作日历覆盖，只需设置个别日期 / {year} is covered by the "
            "statutory calendar; set individual days as overrides instead",
            details=[{"field": "year", "reason": "already covered"}],
        )
    row = repo.get_year(session, year)
    if row is not None:
        return row
    row = CalendarYear(year=year, note=note, set_by=actor.display_name, set_at=at)
    session.add(row)
    session.flush()
    new = {"year": year, "note": note}
    _audit(session, actor, "calendar:year:configure", ("calendar_year", year), None, new, note, at)
    return row
