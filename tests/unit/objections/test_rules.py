"""Deadlines and overdue rules of objections and own corrections (Art. 32–34; RGT-2…4, 6)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.core import calendar as cal
from xinyong.core.clock import PLATFORM_ZONE
from xinyong.objections import rules


def statutory(start: date, n: int) -> date:
    return cal.nth_working_day_after(start, n, overrides={})


def test_due_on_the_third_working_day_across_national_day() -> None:
    # Received Wed 2026-09-30; 10-01…10-07 are holidays, Sat 10-10 is an adjusted working day.
    assert rules.objection_due(date(2026, 9, 30), assistance=False, calendar=statutory) == date(
        2026, 10, 10
    )


def test_due_on_the_fifth_working_day_with_assistance() -> None:
    assert rules.objection_due(date(2026, 9, 30), assistance=True, calendar=statutory) == date(
        2026, 10, 13
    )


def test_day_of_receipt_is_not_counted() -> None:
    # Monday receipt: Tue, Wed, Thu → Thursday.
    assert rules.objection_due(date(2026, 9, 14), assistance=False, calendar=statutory) == date(
        2026, 9, 17
    )


def test_receipt_date_is_the_beijing_date() -> None:
    # 2026-09-29 17:30 UTC is 2026-09-30 01:30 in Beijing: received on the 30th.
    assert rules.received_on(datetime(2026, 9, 29, 17, 30, tzinfo=UTC)) == date(2026, 9, 30)
    late_evening = datetime(2026, 9, 30, 23, 59, tzinfo=PLATFORM_ZONE)
    assert rules.received_on(late_evening) == date(2026, 9, 30)


def test_correction_due_three_working_days_after_discovery() -> None:
    assert rules.correction_due(date(2026, 9, 30), calendar=statutory) == date(2026, 10, 10)


@pytest.mark.parametrize(
    ("today", "done", "overdue"),
    [
        (date(2026, 10, 10), False, False),  # the due day itself is still in time
        (date(2026, 10, 11), False, True),
        (date(2026, 10, 20), True, False),  # decided: never overdue
    ],
)
def test_overdue_from_the_day_after_due(today: date, done: bool, overdue: bool) -> None:
    assert rules.is_overdue(date(2026, 10, 10), today=today, done=done) is overdue


def test_decided_late_uses_the_local_date() -> None:
    due = date(2026, 10, 10)
    # 2026-10-10 23:00 Beijing is 15:00 UTC: still the due day.
    assert not rules.decided_late(due, decided=datetime(2026, 10, 10, 15, 0, tzinfo=UTC))
    assert rules.decided_late(due, decided=datetime(2026, 10, 10, 16, 30, tzinfo=UTC))


def test_reason_hash_ignores_width_and_spacing() -> None:
    assert rules.reason_hash(" 罚款金额有误（应为5千元） ") == rules.reason_hash(
        "罚款金额有误(应为5千元)"
    )
    assert rules.reason_hash("金额有误") != rules.reason_hash("名称有误")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 9, 30), date(2026, 3, 30)),
        (date(2026, 8, 31), date(2026, 2, 28)),
        (date(2026, 3, 15), date(2025, 9, 15)),
    ],
)
def test_months_before(day: date, expected: date) -> None:
    assert rules.months_before(day, 6) == expected


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 11, 30)))
def test_assistance_never_shortens_the_deadline(received: date) -> None:
    plain = rules.objection_due(received, assistance=False, calendar=statutory)
    helped = rules.objection_due(received, assistance=True, calendar=statutory)
    assert received < plain < helped


def test_assistance_only_within_the_first_three_working_days() -> None:
    due = rules.objection_due(date(2026, 9, 30), assistance=False, calendar=statutory)
    assert due == date(2026, 10, 10)  # the adjusted working Saturday
    assert rules.assistance_open(today=date(2026, 10, 8), due_without_assistance=due)
    assert rules.assistance_open(today=due, due_without_assistance=due)
    assert not rules.assistance_open(today=date(2026, 10, 11), due_without_assistance=due)


@pytest.mark.parametrize(
    ("kind", "record_provider", "providers", "channel", "handler"),
    [
        ("record", 7, frozenset(), None, 7),
        ("record", None, frozenset({3}), None, None),  # self-declared: the credit office
        ("omission", None, frozenset({3}), None, 3),
        ("omission", None, frozenset({3, 4}), None, None),  # several providers: the office
        ("omission", None, frozenset(), None, None),
        ("handling", None, frozenset({3}), "collection", 3),
        ("handling", None, frozenset({3}), None, 3),
        ("handling", None, frozenset({3}), "publicity", None),  # the platform's channel
        ("handling", None, frozenset(), "government", None),
    ],
)
def test_objection_handler(
    kind: str, record_provider: int | None, providers: frozenset[int], channel: str | None,
    handler: int | None,
) -> None:  # fmt: skip
    assert (
        rules.objection_handler(
            kind=kind, record_provider=record_provider, item_providers=providers, channel=channel
        )
        == handler
    )
