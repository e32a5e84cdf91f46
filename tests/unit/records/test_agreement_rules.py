"""What a delivery agreement may cover and when it is in force (Art. 14, 16; COL-2)."""

from __future__ import annotations

from datetime import date

import pytest

from xinyong.records import agreement_rules as rules


@pytest.mark.parametrize(
    ("publicity", "agreeable"), [("public", False), ("shared", True), ("authorized", True)]
)
def test_only_non_public_items_are_agreeable(publicity: str, agreeable: bool) -> None:
    assert rules.agreeable(publicity) is agreeable


def test_validity_and_in_force() -> None:
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    assert rules.validity_problem(start, end) is None
    assert rules.validity_problem(start, None) is None
    assert rules.validity_problem(end, start) is not None
    assert rules.in_force(start, end, on=start)
    assert rules.in_force(start, end, on=end)
    assert not rules.in_force(start, end, on=date(2027, 1, 1))
    assert not rules.in_force(start, None, on=date(2025, 12, 31))
    assert rules.in_force(start, None, on=date(2099, 1, 1))
