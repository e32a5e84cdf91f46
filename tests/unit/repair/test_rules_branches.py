"""Credit repair (Art. 36; RGT-5; NDRC Order 36 / Order 58): only negative information is
repaired, and only rule sets with a repair procedure govern it."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from xinyong.core.clock import PLATFORM_ZONE
from xinyong.repair import reference, rules

SETS = reference.repair_rule_sets()


def test_art36_only_negative_information_is_repaired() -> None:
    honour = rules.ItemFacts(code="honours_awards", repairable=True, polarity="positive")
    decided = date(2025, 1, 10)
    result = rules.repair_eligible(
        honour,
        rules.RecordFacts(severity="general", decided_on=decided),
        rule_set=rules.rule_set_on(decided, SETS),
        at=datetime.combine(date(2026, 9, 30), time(10), tzinfo=PLATFORM_ZONE),
        obligations_fulfilled=True,
        commitment_made=True,
    )
    assert not result.ok
    assert [r.code for r in result.reasons] == ["not_negative"]
    assert result.reasons[0].message.endswith("only negative information is repaired")


def test_art36_an_unrepairable_item_is_refused_as_such_not_as_positive() -> None:
    # "Not repairable by law" is the reason given; "not negative" would add nothing.
    item = rules.ItemFacts(code="x", repairable=False, polarity="positive")
    decided = date(2025, 1, 10)
    result = rules.repair_eligible(
        item,
        rules.RecordFacts(severity="general", decided_on=decided),
        rule_set=rules.rule_set_on(decided, SETS),
        at=datetime.combine(date(2026, 9, 30), time(10), tzinfo=PLATFORM_ZONE),
        obligations_fulfilled=True,
        commitment_made=True,
    )
    assert [r.code for r in result.reasons] == ["not_repairable"]
    assert result.reasons[0].message == "该事项依法不可修复 / this item cannot be repaired by law"


PUBLICITY = {
    "rule_sets": [
        {
            "code": "order_36",
            "effective_from": "2026-04-01",
            "classes": {"general": {"min_months": 3}, "serious": {"min_months": 12}},
        },
        {
            "code": "draft_without_procedure",
            "effective_from": "2027-01-01",
            "classes": {"general": {"min_months": 1}},
        },
        {
            "code": "order_58",
            "title_zh": "第58号令",
            "effective_from": "2023-01-01",
            "effective_until": "2026-03-31",
            "classes": {"general": {"min_months": 3}},
        },
    ]
}
PROCEDURE = {
    "rule_sets": [
        {"code": "order_58", "decision_working_days": 7},
        {
            "code": "order_36",
            "decision_working_days": 5,
            "commitment_required": {"general": True, "serious": False},
        },
    ]
}


def test_rgt5_a_publicity_rule_set_without_a_repair_procedure_governs_no_repair() -> None:
    sets = rules.rule_sets(PUBLICITY, PROCEDURE)
    assert [s.code for s in sets] == ["order_58", "order_36"]  # oldest first
    assert rules.rule_set_on(date(2027, 6, 1), sets).code == "order_36"


def test_rgt5_a_rule_set_joins_its_periods_with_its_procedure() -> None:
    order_58, order_36 = rules.rule_sets(PUBLICITY, PROCEDURE)
    assert order_58.title_zh == "第58号令"
    assert order_58.effective_until == date(2026, 3, 31)
    assert order_58.decision_working_days == 7
    assert order_58.classes["general"] == rules.ClassRule(3, True)  # commitment by default
    assert order_36.title_zh == "order_36"
    assert order_36.effective_until is None
    assert order_36.classes["serious"] == rules.ClassRule(12, False)


def test_rgt5_without_any_rule_set_nothing_can_be_decided() -> None:
    with pytest.raises(ValueError, match="no repair rule set"):
        rules.rule_set_on(date(2026, 9, 30), [])
