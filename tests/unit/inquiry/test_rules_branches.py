"""Why the platform's own accounts look at non-public information (Art. 20, 31: the log its
subject reads states the purpose; Art. 6 interconnection), and the harvesting window (Art. 18;
INQ-3)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from xinyong.inquiry import rules
from xinyong.inquiry.rules import HarvestingPolicy


@pytest.mark.parametrize(
    ("role", "purpose"),
    [
        ("credit_office", rules.SUPERVISION),
        ("provider", rules.DELIVERY_MANAGEMENT),
        ("institution", rules.DELIVERY_MANAGEMENT),
        ("inquirer", rules.INTERCONNECTION),  # an organ's system reading the shared feed
        ("auditor", rules.INTERCONNECTION),
    ],
)
def test_art20_the_log_names_why_an_account_looked(role: str, purpose: str) -> None:
    assert rules.internal_purpose(role) == purpose
    _zh, _en, basis = rules.INTERNAL_PURPOSES[purpose]
    assert basis.startswith("《贵州省社会信用条例》")


def test_art6_interconnection_cites_article_six() -> None:
    assert rules.INTERNAL_PURPOSES[rules.INTERCONNECTION][2] == "《贵州省社会信用条例》第六条"


def test_art18_the_harvesting_window_and_cooldown_are_the_policy_s_minutes() -> None:
    policy = HarvestingPolicy(distinct_subjects=3, window_minutes=10, cooldown_minutes=60)
    assert policy.window == timedelta(minutes=10)
    assert policy.cooldown == timedelta(hours=1)
