"""Working days (RGT-6): the Chinese statutory calendar plus the credit office's overrides.

Pure functions. ``chinese_calendar`` carries the State Council holiday schedule (adjusted
working days included) for the years it knows; beyond them the platform refuses to guess.
A day the credit office has overridden is decided by the override. A year the library does
not cover is usable when the credit office has *configured* it (entered that year's holiday
notice as overrides and declared the year complete): its other days then follow the plain
week (Monday–Friday). Otherwise only the overridden days of such a year are known, and a
computation that needs any other day raises :class:`CalendarNotCovered` naming the year.

Deadlines: the N-th working day after ``start``, the day of ``start`` itself not counted
(Art. 32: "within 3 working days of receipt"). ``n == 0`` gives ``start`` back unchanged —
nothing is counted — which keeps ``working_days_between`` and ``nth_working_day_after``
inverse; statutory deadlines are always ``n ≥ 1``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, timedelta

import chinese_calendar

from xinyong.core.errors import CalendarNotCovered, InvalidInput

#: No statutory period is anywhere near this; a larger N is a typo or an attack.
MAX_WORKING_DAYS = 1000

_ONE_DAY = timedelta(days=1)


def not_covered(year: int) -> CalendarNotCovered:
    return CalendarNotCovered(
        f"工作日历未覆盖 {year} 年，请信用主管部门配置 / the working-day calendar does not "
        f"cover {year}; the credit office must configure it",
        details=[{"field": "year", "reason": "not covered", "year": year}],
    )


def is_working_day(
    day: date,
    *,
    overrides: Mapping[date, bool],
    configured_years: Collection[int] = frozenset(),
) -> bool:
    """Whether ``day`` is a working day; raises :class:`CalendarNotCovered` when unknown."""
    override = overrides.get(day)
    if override is not None:
        return override
    if day.year in configured_years:
        return day.weekday() < 5
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        raise not_covered(day.year) from None


def _check_n(n: int) -> None:
    if n < 0:
        raise InvalidInput(
            f"工作日数不能为负数（{n}） / the number of working days cannot be negative ({n})"
        )
    if n > MAX_WORKING_DAYS:
        raise InvalidInput(
            f"工作日数不能超过 {MAX_WORKING_DAYS}（{n}） / the number of working days cannot "
            f"exceed {MAX_WORKING_DAYS} ({n})"
        )


def nth_working_day_after(
    start: date,
    n: int,
    *,
    overrides: Mapping[date, bool],
    configured_years: Collection[int] = frozenset(),
) -> date:
    """The ``n``-th working day after ``start`` (``start`` not counted; ``n == 0`` → start)."""
    _check_n(n)
    day, counted = start, 0
    while counted < n:
        day += _ONE_DAY
        if is_working_day(day, overrides=overrides, configured_years=configured_years):
            counted += 1
    return day


def working_days_between(
    start: date,
    end: date,
    *,
    overrides: Mapping[date, bool],
    configured_years: Collection[int] = frozenset(),
) -> int:
    """Working days in ``(start, end]``; negative (the count in ``(end, start]``) when ``end``
    is before ``start``. For "working days left": ``working_days_between(today, due)`` is 0
    on the due day and below 0 once overdue."""
    if end < start:
        return -working_days_between(
            end, start, overrides=overrides, configured_years=configured_years
        )
    count, day = 0, start
    while day < end:
        day += _ONE_DAY
        if is_working_day(day, overrides=overrides, configured_years=configured_years):
            count += 1
    return count


def statutory_covers(year: int) -> bool:
    """Whether the shipped statutory calendar knows ``year``."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True
