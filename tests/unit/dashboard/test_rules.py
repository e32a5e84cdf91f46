"""The dashboard's range and its monthly buckets (pure)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.core.errors import InvalidInput
from xinyong.dashboard import rules

TODAY = date(2026, 9, 30)


def test_default_is_twelve_months_up_to_today() -> None:
    assert rules.parse_range(None, None, today=TODAY) == (date(2025, 10, 1), TODAY)
    assert rules.parse_range("", " ", today=TODAY) == (date(2025, 10, 1), TODAY)
    # Only ``to``: twelve months back from it.
    assert rules.parse_range(None, "2026-03-15", today=TODAY) == (
        date(2025, 4, 1),
        date(2026, 3, 15),
    )


@pytest.mark.parametrize(
    ("start", "end", "code", "field"),
    [
        ("2026-02-30", None, "invalid_date", "from"),
        (None, "yesterday", "invalid_date", "to"),
        ("2026-09-02", "2026-09-01", "invalid_range", "to"),
        ("2010-01-01", "2026-09-30", "range_too_long", "from"),
    ],
)
def test_refusals_name_the_field(start: str | None, end: str | None, code: str, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        rules.parse_range(start, end, today=TODAY)
    assert refused.value.code == code
    assert refused.value.details[0]["field"] == field


def test_months_are_cut_to_the_range() -> None:
    buckets = rules.months(date(2025, 12, 15), date(2026, 2, 3))
    assert [(m.label, m.first, m.last) for m in buckets] == [
        ("2025-12", date(2025, 12, 15), date(2025, 12, 31)),
        ("2026-01", date(2026, 1, 1), date(2026, 1, 31)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 3)),
    ]
    assert rules.date_ends(buckets)[-1] == date(2026, 2, 4)
    assert rules.instant_ends(buckets)[0].isoformat() == "2026-01-01T00:00:00+08:00"


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    st.integers(min_value=0, max_value=2000),
)
def test_buckets_tile_the_range(first: date, length: int) -> None:
    last = first + timedelta(days=length)
    buckets = rules.months(first, last)
    assert buckets[0].first == first
    assert buckets[-1].last == last
    for a, b in itertools.pairwise(buckets):
        assert b.first == a.last + timedelta(days=1)
        assert b.first.day == 1
