"""Token buckets of the inquiry rate limits (INQ-3)."""

from __future__ import annotations

import pytest

from xinyong.core.errors import RateLimited
from xinyong.inquiry.ratelimit import InquiryGuard, TokenBuckets, harvesting_policy
from xinyong.inquiry.rules import HarvestingPolicy

POLICY = HarvestingPolicy(distinct_subjects=3, window_minutes=10, cooldown_minutes=60)


class Timer:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_bursts_to_capacity_then_refills() -> None:
    timer = Timer()
    buckets = TokenBuckets(3, 1.0, timer)
    assert [buckets.take("k") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("k") == pytest.approx(1.0)
    assert buckets.take("other") == 0.0  # keys are independent
    timer.now = 0.5
    assert buckets.take("k") == pytest.approx(0.5)
    timer.now = 10.0  # never more than the capacity
    assert [buckets.take("k") for _ in range(4)][-1] == pytest.approx(1.0)


def test_guard_raises_429_with_whole_seconds() -> None:
    guard = InquiryGuard(per_minute=2, policy=POLICY, timer=Timer())
    guard.take(account=1, address=None)
    guard.take(account=1, address=None)
    with pytest.raises(RateLimited) as caught:
        guard.take(account=1, address=None)
    assert caught.value.retry_after == 30
    assert caught.value.code == "rate_limited"
    guard.take(account=2, address=None)


def test_the_address_bucket_is_larger_than_an_account() -> None:
    guard = InquiryGuard(per_minute=1, policy=POLICY, timer=Timer())
    for account in range(4):  # four accounts share one office address (factor 4)
        guard.take(account=account, address="10.1.1.1")
    with pytest.raises(RateLimited):
        guard.take(account=99, address="10.1.1.1")


def test_shipped_policy_is_sane() -> None:
    policy = harvesting_policy()
    assert policy.distinct_subjects > 10
    assert policy.cooldown_minutes >= policy.window_minutes > 0
