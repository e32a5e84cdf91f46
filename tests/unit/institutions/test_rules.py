"""The filing status machine and the register's rules (Art. 37, 38; CSI-1)."""

from __future__ import annotations

from datetime import date
from itertools import product

import pytest

from xinyong.institutions.rules import (
    MAX_REASON,
    TERMINAL,
    FilingStatus,
    filed_on_problem,
    may_inquire,
    reason_problem,
    supervised_on_problem,
    transition_allowed,
)

S = FilingStatus
ALLOWED = {
    (S.ACTIVE, S.SUSPENDED),
    (S.ACTIVE, S.REVOKED),
    (S.ACTIVE, S.DEREGISTERED),
    (S.SUSPENDED, S.ACTIVE),
    (S.SUSPENDED, S.REVOKED),
    (S.SUSPENDED, S.DEREGISTERED),
}


@pytest.mark.parametrize(("current", "target"), sorted(product(S, S)))
def test_every_transition_is_allowed_or_refused_as_the_table_says(
    current: FilingStatus, target: FilingStatus
) -> None:
    assert transition_allowed(current, target) is ((current, target) in ALLOWED)


def test_revoked_and_deregistered_are_final() -> None:
    assert {S.REVOKED, S.DEREGISTERED} == TERMINAL
    for end, target in product(TERMINAL, S):
        assert not transition_allowed(end, target)


def test_a_status_does_not_change_to_itself() -> None:
    assert not any(transition_allowed(s, s) for s in S)


@pytest.mark.parametrize(
    ("status", "may"),
    [(None, False), (S.ACTIVE, True), (S.SUSPENDED, False), (S.REVOKED, False),
     (S.DEREGISTERED, False)],
)  # fmt: skip
def test_only_an_active_filing_may_inquire(status: FilingStatus | None, may: bool) -> None:
    assert may_inquire(status) is may


def test_a_reason_is_required_and_bounded() -> None:
    assert reason_problem("") is not None
    assert reason_problem("   \n") is not None
    assert reason_problem("x" * (MAX_REASON + 1)) is not None
    assert reason_problem("现场检查发现违规采集信息") is None


def test_dates_are_not_in_the_future() -> None:
    today = date(2026, 9, 30)
    assert filed_on_problem(date(2026, 10, 1), today) is not None
    assert filed_on_problem(today, today) is None
    assert supervised_on_problem(date(2026, 10, 1), today) is not None
    assert supervised_on_problem(date(2026, 9, 1), today) is None
