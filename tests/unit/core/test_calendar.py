"""RGT-6: deadlines count statutory working days, adjusted working days included, and say so
when a year is not covered instead of guessing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.core.calendar import (
    MAX_WORKING_DAYS,
    is_working_day,
    nth_working_day_after,
    statutory_covers,
    working_days_between,
)
from xinyong.core.errors import CalendarNotCovered, InvalidInput

NONE: dict[date, bool] = {}


def test_national_day_2026() -> None:
    start = date(2026, 9, 30)
    # Oct 1–7 holiday; Oct 8 and 9 work; Sat Oct 10 is an adjusted working day.
    assert nth_working_day_after(start, 1, overrides=NONE) == date(2026, 10, 8)
    assert nth_working_day_after(start, 3, overrides=NONE) == date(2026, 10, 10)
    assert nth_working_day_after(start, 5, overrides=NONE) == date(2026, 10, 13)


def test_adjusted_sunday_before_national_day_counts() -> None:
    # Sun 2026-09-20 is an adjusted working day: Sat 19 + 1 working day = Sun 20.
    assert nth_working_day_after(date(2026, 9, 19), 1, overrides=NONE) == date(2026, 9, 20)


def test_start_day_is_not_counted() -> None:
    assert nth_working_day_after(date(2026, 9, 28), 1, overrides=NONE) == date(2026, 9, 29)


def test_zero_gives_start_back_and_negative_is_refused() -> None:
    assert nth_working_day_after(date(2026, 10, 3), 0, overrides=NONE) == date(2026, 10, 3)
    with pytest.raises(InvalidInput, match="negative"):
        nth_working_day_after(date(2026, 10, 3), -1, overrides=NONE)
    with pytest.raises(InvalidInput, match="exceed"):
        nth_working_day_after(date(2020, 1, 1), MAX_WORKING_DAYS + 1, overrides=NONE)


def test_uncovered_year_is_named() -> None:
    with pytest.raises(CalendarNotCovered) as caught:
        nth_working_day_after(date(2026, 12, 29), 5, overrides=NONE)
    assert "2027" in caught.value.message
    assert "工作日历未覆盖 2027 年" in caught.value.message
    assert caught.value.code == "calendar_not_covered"


def test_overrides_take_precedence() -> None:
    # A local holiday on Thu 2026-10-08 pushes the deadline by one working day.
    overrides = {date(2026, 10, 8): False}
    assert nth_working_day_after(date(2026, 9, 30), 3, overrides=overrides) == date(2026, 10, 12)


def test_overrides_cover_only_their_own_days_of_an_unknown_year() -> None:
    overrides = {date(2027, 1, d): d >= 4 for d in range(1, 6)}  # 1–3 off, 4–5 work
    assert nth_working_day_after(date(2026, 12, 31), 2, overrides=overrides) == date(2027, 1, 5)
    with pytest.raises(CalendarNotCovered, match="2027"):
        nth_working_day_after(date(2026, 12, 31), 3, overrides=overrides)


def test_configured_year_follows_the_week_plus_its_overrides() -> None:
    overrides = {date(2027, 1, 1): False}  # New Year's Day, a Friday
    due = nth_working_day_after(date(2026, 12, 31), 2, overrides=overrides, configured_years={2027})
    assert due == date(2027, 1, 5)  # Fri 1 holiday, Sat/Sun off, Mon 4, Tue 5


def test_years_outside_the_statutory_calendar() -> None:
    assert statutory_covers(2026)
    assert not statutory_covers(2027)
    assert not statutory_covers(2003)
    with pytest.raises(CalendarNotCovered, match="2003"):
        is_working_day(date(2003, 6, 2), overrides=NONE)


def test_working_days_between_counts_and_goes_negative_when_overdue() -> None:
    start = date(2026, 9, 30)
    assert working_days_between(start, date(2026, 10, 10), overrides=NONE) == 3
    assert working_days_between(start, start, overrides=NONE) == 0
    assert working_days_between(date(2026, 10, 13), start, overrides=NONE) == -5


@given(
    st.dates(min_value=date(2004, 1, 1), max_value=date(2025, 6, 30)),
    st.integers(min_value=0, max_value=60),
)
def test_deadline_and_count_are_inverse(start: date, n: int) -> None:
    due = nth_working_day_after(start, n, overrides=NONE)
    assert working_days_between(start, due, overrides=NONE) == n
    if n:
        assert is_working_day(due, overrides=NONE)
        assert due - start >= timedelta(days=n)
