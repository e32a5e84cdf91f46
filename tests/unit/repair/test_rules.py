"""Eligibility for credit repair per class and rule set (Art. 36; NDRC Order 36 / Order 58)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.core import calendar as cal
from xinyong.core.clock import PLATFORM_ZONE
from xinyong.repair import reference, rules

SETS = reference.repair_rule_sets()
PENALTY = rules.ItemFacts(code="admin_penalty", repairable=True, polarity="negative")
JUDGMENT = rules.ItemFacts(
    code="judgment_default", repairable=False, polarity="negative", repair_note="由人民法院依法删除"
)


def at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=PLATFORM_ZONE)


def check(
    severity: str | None,
    decided: date | None,
    on: date,
    *,
    item: rules.ItemFacts = PENALTY,
    obligations: bool = True,
    commitment: bool = True,
    withdrawn: bool = False,
) -> rules.Eligibility:
    record = rules.RecordFacts(severity=severity, decided_on=decided, withdrawn=withdrawn)
    rule_set = rules.rule_set_on(decided or on, SETS)
    return rules.repair_eligible(
        item,
        record,
        rule_set=rule_set,
        at=at(on),
        obligations_fulfilled=obligations,
        commitment_made=commitment,
    )


def codes(result: rules.Eligibility) -> list[str]:
    return [r.code for r in result.reasons]


def test_serious_before_its_one_year_minimum_is_refused_with_the_date() -> None:
    result = check("serious", date(2026, 3, 15), date(2026, 9, 30))
    assert not result.ok
    assert codes(result) == ["minimum_period"]
    assert result.earliest_on == date(2027, 3, 15)
    assert result.reasons[0].message == (
        "严重失信信息须公示满 1 年后方可申请修复，最早 2027-03-15 / a serious record can be "
        "repaired only after its 1-year minimum, from 2027-03-15"
    )


def test_serious_on_the_anniversary_is_eligible() -> None:
    assert check("serious", date(2026, 3, 15), date(2027, 3, 15)).ok


def test_general_after_three_months() -> None:
    assert not check("general", date(2026, 5, 20), date(2026, 8, 19)).ok
    assert check("general", date(2026, 5, 20), date(2026, 8, 20)).ok
    message = check("general", date(2026, 9, 1), date(2026, 9, 30)).reasons[0].message
    assert "3 个月" in message
    assert "3-month minimum, from 2026-12-01" in message


def test_minor_needs_only_the_obligations() -> None:
    result = check("minor", date(2026, 9, 10), date(2026, 9, 10), commitment=False)
    assert result.ok
    assert not result.commitment_required
    refused = check("minor", date(2026, 9, 10), date(2026, 9, 30), obligations=False)
    assert codes(refused) == ["obligations"]


def test_general_and_serious_need_a_commitment_and_the_obligations() -> None:
    result = check(
        "general", date(2026, 5, 20), date(2026, 9, 30), obligations=False, commitment=False
    )
    assert codes(result) == ["obligations", "commitment"]


def test_item_not_repairable_by_law() -> None:
    result = check("serious", date(2024, 1, 1), date(2026, 9, 30), item=JUDGMENT)
    assert codes(result) == ["not_repairable"]
    assert result.reasons[0].message.startswith(
        "该事项依法不可修复 / this item cannot be repaired by law"
    )
    assert "人民法院" in result.reasons[0].message


def test_withdrawn_and_undated_records() -> None:
    assert "record_withdrawn" in codes(
        check("general", date(2025, 1, 1), date(2026, 9, 30), withdrawn=True)
    )
    assert codes(check("general", None, date(2026, 9, 30))) == ["no_decision_date"]


def test_unknown_class_falls_back_to_the_item_default_then_general() -> None:
    item = rules.ItemFacts(
        code="x", repairable=True, polarity="negative", default_severity="serious"
    )
    assert check(None, date(2026, 5, 1), date(2026, 9, 30), item=item).severity == "serious"
    assert check(None, date(2026, 5, 1), date(2026, 9, 30)).severity == "general"


@pytest.mark.parametrize(
    ("decided", "code"),
    [
        (date(2020, 1, 1), "order58"),  # older than every set: the oldest
        (date(2026, 3, 31), "order58"),
        (date(2026, 4, 1), "order36"),
        (date(2030, 1, 1), "order36"),
    ],
)
def test_rule_set_chosen_by_decision_date(decided: date, code: str) -> None:
    assert rules.rule_set_on(decided, SETS).code == code
    assert check("general", decided, date(2031, 1, 1)).rule_set == code


def test_rule_sets_come_from_data() -> None:
    by_code = {s.code: s for s in SETS}
    assert by_code["order36"].classes["serious"].min_months == 12
    assert by_code["order36"].classes["general"].min_months == 3
    assert by_code["order36"].decision_working_days == 5
    assert by_code["order58"].effective_until == date(2026, 3, 31)


def test_due_on_the_fifth_working_day_across_national_day() -> None:
    def statutory(start: date, n: int) -> date:
        return cal.nth_working_day_after(start, n, overrides={})

    # Received Wed 09-30: 10-01…10-07 holidays; 10-08, 10-09, Sat 10-10 (adjusted), 10-12, 10-13.
    assert rules.repair_due(date(2026, 9, 30), days=5, calendar=statutory) == date(2026, 10, 13)


def test_overdue_and_late() -> None:
    assert not rules.is_overdue(date(2026, 10, 13), today=date(2026, 10, 13), done=False)
    assert rules.is_overdue(date(2026, 10, 13), today=date(2026, 10, 14), done=False)
    assert not rules.is_overdue(date(2026, 10, 13), today=date(2026, 10, 14), done=True)
    assert rules.decided_late(date(2026, 10, 13), decided=at(date(2026, 10, 14)))
    assert not rules.decided_late(date(2026, 10, 13), decided=at(date(2026, 10, 13)))


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@given(
    decided=days,
    offset=st.integers(min_value=0, max_value=2000),
    severity=st.sampled_from(["general", "serious"]),
)
def test_never_eligible_before_the_minimum(decided: date, offset: int, severity: str) -> None:
    minimum = rules.rule_set_on(decided, SETS).classes[severity].min_months
    reached = rules.add_months(decided, minimum)
    on = decided + timedelta(days=offset)
    result = check(severity, decided, on)
    assert result.ok is (on >= reached)
    if on < reached:
        assert result.reasons[0].earliest_on == reached > on


@given(
    decided=days,
    offset=st.integers(min_value=0, max_value=2000),
    severity=st.sampled_from(["minor", "general", "serious"]),
)
def test_never_eligible_without_the_obligations(decided: date, offset: int, severity: str) -> None:
    result = check(severity, decided, decided + timedelta(days=offset), obligations=False)
    assert not result.ok
    assert "obligations" in codes(result)


@given(decided=days, severity=st.sampled_from(["minor", "general", "serious"]))
def test_a_non_repairable_item_is_never_eligible(decided: date, severity: str) -> None:
    assert not check(severity, decided, decided + timedelta(days=5000), item=JUDGMENT).ok
