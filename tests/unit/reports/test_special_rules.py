"""The special credit report (专项信用报告; RGT-1, Art. 31; NDRC and others 2025: one report in
place of each department's "no violation" certificate): the period it may cover, the domains it
names, and which records it lists."""

from __future__ import annotations

from datetime import date

import pytest

from xinyong.reports import special_rules as rules
from xinyong.reports.rules import RecordState

TODAY = date(2026, 9, 30)


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(2026, 9, 30), 5, date(2021, 9, 30)),
        (date(2028, 2, 29), 5, date(2023, 2, 28)),  # no 29 February in 2023
        (date(2028, 2, 29), 4, date(2024, 2, 29)),
    ],
)
def test_rgt1_years_back(day: date, years: int, expected: date) -> None:
    assert rules.years_back(day, years) == expected


def test_rgt1_a_period_within_five_years_up_to_today_is_reported_on() -> None:
    assert rules.period_problems(date(2021, 9, 30), TODAY, today=TODAY) == []
    assert rules.period_problems(TODAY, TODAY, today=TODAY) == []


def test_rgt1_a_period_that_starts_after_it_ends_is_refused() -> None:
    assert rules.period_problems(date(2026, 5, 2), date(2026, 5, 1), today=TODAY) == [
        ("from", "起始日期晚于截止日期 / the period starts after it ends")
    ]


def test_rgt1_a_period_cannot_end_after_today() -> None:
    assert rules.period_problems(date(2026, 1, 1), date(2026, 10, 1), today=TODAY) == [
        ("to", "截止日期不能晚于今天 / the period cannot end after today")
    ]


def test_rgt1_a_period_reaches_back_five_years_at_most() -> None:
    problems = rules.period_problems(date(2021, 9, 29), TODAY, today=TODAY)
    assert [field for field, _ in problems] == ["from"]
    assert "2021-09-30" in problems[0][1]


def test_rgt1_every_problem_of_a_period_is_named_at_once() -> None:
    problems = rules.period_problems(date(2027, 1, 1), date(2020, 1, 1), today=TODAY)
    assert [field for field, _ in problems] == ["from"]
    problems = rules.period_problems(date(2027, 1, 1), date(2026, 12, 31), today=TODAY)
    assert [field for field, _ in problems] == ["from", "to"]
    problems = rules.period_problems(date(2020, 1, 1), date(2026, 12, 31), today=TODAY)
    assert [field for field, _ in problems] == ["to", "from"]


KNOWN = ["tax", "market", "environment"]


def test_rgt1_known_domains_are_accepted() -> None:
    assert rules.domain_problems(["tax", "environment"], KNOWN) == []


def test_rgt1_a_report_names_at_least_one_domain() -> None:
    assert rules.domain_problems([], KNOWN) == [
        ("domains", "请至少选择一个领域 / choose at least one domain")
    ]


def test_rgt1_a_report_names_thirty_domains_at_most() -> None:
    many = [f"d{n}" for n in range(rules.MAX_DOMAINS + 1)]
    assert rules.domain_problems(many[:-1], many) == []
    assert rules.domain_problems(many, many) == [("domains", "最多 30 个领域 / at most 30 domains")]


def test_rgt1_unknown_domains_are_named() -> None:
    assert rules.domain_problems(["tax", "space", "sea"], KNOWN) == [
        ("domains", "未知领域 unknown domains: space, sea")
    ]


START, END = date(2025, 1, 1), date(2025, 12, 31)


def _listed(
    *,
    polarity: str = "negative",
    state: RecordState = RecordState.IN_EFFECT,
    decided_on: date | None = date(2025, 6, 1),
) -> bool:
    return rules.listed(polarity=polarity, state=state, decided_on=decided_on, start=START, end=END)


@pytest.mark.parametrize("state", [RecordState.IN_EFFECT, RecordState.REPAIRED])
def test_rgt1_a_negative_record_in_effect_or_repaired_is_listed(state: RecordState) -> None:
    assert _listed(state=state)


@pytest.mark.parametrize("state", [RecordState.WITHDRAWN, RecordState.EXPIRED])
def test_art33_35_withdrawn_and_expired_records_are_not_listed(state: RecordState) -> None:
    assert not _listed(state=state)


def test_rgt1_a_positive_record_is_not_listed() -> None:
    assert not _listed(polarity="positive")
    assert not _listed(polarity="neutral")


@pytest.mark.parametrize(
    ("decided_on", "shown"),
    [
        (None, False),  # no decision date: cannot be placed in the period
        (date(2024, 12, 31), False),
        (START, True),  # both ends of the period count
        (END, True),
        (date(2026, 1, 1), False),
    ],
)
def test_rgt1_only_records_decided_in_the_period_are_listed(
    decided_on: date | None, shown: bool
) -> None:
    assert _listed(decided_on=decided_on) is shown
