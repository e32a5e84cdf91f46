"""When a list entry's period holds (LST-4; Art. 25, 35, 36)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from xinyong.marks.rules import EntryPeriod

START = date(2026, 9, 30)
END = date(2029, 9, 30)


def test_holds_from_the_decision_date_to_the_last_day_inclusive() -> None:
    p = EntryPeriod(START, END)
    assert not p.in_force(START - timedelta(days=1))
    assert p.in_force(START)
    assert p.in_force(END)
    assert not p.in_force(END + timedelta(days=1))
    assert p.last_day == END


def test_an_early_end_holds_no_more_on_that_day() -> None:
    ended = date(2027, 3, 1)
    p = EntryPeriod(START, END, ended_on=ended)
    assert p.in_force(ended - timedelta(days=1))
    assert not p.in_force(ended)
    assert p.last_day == ended - timedelta(days=1)


def test_an_end_after_the_period_changes_nothing() -> None:
    assert EntryPeriod(START, END, ended_on=END + timedelta(days=30)).last_day == END


def test_no_end_set_holds_until_ended() -> None:
    p = EntryPeriod(START, None)
    assert p.in_force(date(2099, 1, 1))
    assert not EntryPeriod(START, None, ended_on=START).in_force(START)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(0, 2000),
    st.one_of(st.none(), st.integers(0, 2000)),
    st.integers(-10, 2100),
)
def test_in_force_exactly_between_start_and_last_day(
    start: date, length: int, early: int | None, offset: int
) -> None:
    end = start + timedelta(days=length)
    ended = start + timedelta(days=early) if early is not None else None
    p = EntryPeriod(start, end, ended)
    on = start + timedelta(days=offset)
    last = p.last_day
    assert last is not None
    assert p.in_force(on) == (start <= on <= last)
