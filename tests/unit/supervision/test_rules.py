"""Supervision rules (COL-3; Art. 13): expected interval, overdue, rates."""

from __future__ import annotations

from datetime import date

import pytest

from xinyong.supervision import rules


@pytest.mark.parametrize(
    ("frequency", "explicit", "expected"),
    [
        ("daily", None, 3),
        ("weekly", None, 14),
        ("monthly", None, 45),
        ("quarterly", None, 120),
        ("yearly", None, 400),
        ("on_event", None, None),
        ("daily", 7, 7),  # the catalogue's own figure wins
        ("on_event", 30, None),  # nothing says when the next event happens
        ("fortnightly", None, None),  # unknown: no expectation rather than a guess
    ],
)
def test_max_gap_days(frequency: str, explicit: int | None, expected: int | None) -> None:
    assert rules.max_gap_days(frequency, explicit) == expected


def test_overdue_counts_calendar_days_past_the_gap() -> None:
    last = date(2026, 9, 30)
    on_time = rules.timeliness(last_delivery_on=last, today=date(2026, 10, 7), max_days=7)
    assert on_time == rules.Timeliness(7, False, 0)
    late = rules.timeliness(last_delivery_on=last, today=date(2026, 10, 10), max_days=7)
    assert late == rules.Timeliness(10, True, 3)
    never_due = rules.timeliness(last_delivery_on=last, today=date(2030, 1, 1), max_days=None)
    assert not never_due.overdue
    assert rules.timeliness(last_delivery_on=None, today=last, max_days=7).days_since is None


def test_rates() -> None:
    assert rules.rejection_rate(accepted=4, unchanged=0, rejected=6) == 0.6
    assert rules.rejection_rate(accepted=0, unchanged=0, rejected=0) is None
    assert rules.completeness(filled=3, records=2, optional_fields=3) == 0.5
    assert rules.completeness(filled=0, records=0, optional_fields=3) is None
    assert rules.completeness(filled=0, records=5, optional_fields=0) is None
