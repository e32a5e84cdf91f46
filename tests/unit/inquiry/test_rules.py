"""Pure rules of inquiry and consent (Art. 18–20, 38; INQ-1, INQ-3, CSI-2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from xinyong.inquiry import rules
from xinyong.inquiry.rules import HarvestingPolicy

T0 = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)
POLICY = HarvestingPolicy(distinct_subjects=3, window_minutes=10, cooldown_minutes=60)


def test_purpose_must_be_published_and_within_the_authority() -> None:
    assert rules.purpose_allowed("licensing", None)
    assert rules.purpose_allowed("licensing", frozenset({"licensing"}))
    assert not rules.purpose_allowed("personnel", frozenset({"licensing"}))
    assert not rules.purpose_allowed("gossip", None)
    assert not rules.purpose_allowed("gossip", frozenset({"gossip"}))


def test_items_outside_the_authority() -> None:
    published = {"admin_penalty", "tax_arrears"}
    assert rules.items_outside(["admin_penalty"], None, published) == []
    assert rules.items_outside(["x", "tax_arrears"], {"admin_penalty"}, published) == [
        "tax_arrears",
        "x",
    ]
    assert rules.items_outside(["admin_penalty"], {"admin_penalty", "unpublished"}, {"a"}) == [
        "admin_penalty"
    ]


def test_effective_items() -> None:
    assert rules.effective_items(None, None) is None
    assert rules.effective_items(None, {"a"}) == {"a"}
    assert rules.effective_items(["a", "b"], None) == {"a", "b"}
    assert rules.effective_items(["a", "b"], {"b", "c"}) == {"b"}


def test_consent_is_live_from_grant_until_expiry_or_revocation() -> None:
    end = T0 + timedelta(days=1)
    live = dict(granted_at=T0, expires_at=end, revoked_at=None)
    assert rules.consent_live(at=T0, **live)  # type: ignore[arg-type]
    assert not rules.consent_live(at=T0 - timedelta(seconds=1), **live)  # type: ignore[arg-type]
    assert not rules.consent_live(at=end, **live)  # type: ignore[arg-type]
    revoked = dict(granted_at=T0, expires_at=end, revoked_at=T0 + timedelta(hours=1))
    assert rules.consent_live(at=T0 + timedelta(minutes=59), **revoked)  # type: ignore[arg-type]
    assert not rules.consent_live(at=T0 + timedelta(hours=1), **revoked)  # type: ignore[arg-type]
    assert rules.consent_covers(["a"], "a")
    assert not rules.consent_covers(["a"], "b")


def test_consent_problems_name_each_field() -> None:
    ok = dict(items=["a"], purpose="licensing", expires_at=T0 + timedelta(days=1), at=T0,
              not_a_condition_of_service=True, grantable={"a"})  # fmt: skip
    assert rules.consent_problems(**ok) == []  # type: ignore[arg-type]
    bad = dict(ok, items=[], purpose="x", expires_at=T0, not_a_condition_of_service=False)
    fields = [f for f, _ in rules.consent_problems(**bad)]  # type: ignore[arg-type]
    assert fields == ["items", "purpose", "expires_at", "not_a_condition_of_service"]
    too_long = dict(ok, items=["a", "b"], expires_at=T0 + timedelta(days=367))
    fields = [f for f, _ in rules.consent_problems(**too_long)]  # type: ignore[arg-type]
    assert fields == ["items", "expires_at"]


def test_enumeration_counts_distinct_subjects() -> None:
    assert not rules.enumeration_suspected({"a", "b"}, "c", POLICY)
    assert not rules.enumeration_suspected({"a", "b", "c"}, "c", POLICY)
    assert rules.enumeration_suspected({"a", "b", "c"}, "d", POLICY)


@given(st.sets(st.text(min_size=1, max_size=3), max_size=10), st.text(min_size=1, max_size=3))
def test_enumeration_is_exactly_more_than_the_threshold(recent: set[str], code: str) -> None:
    assert rules.enumeration_suspected(recent, code, POLICY) == (
        len(recent | {code}) > POLICY.distinct_subjects
    )


def test_cooldown_left_rounds_up_and_ends() -> None:
    assert rules.cooldown_left(T0, T0, POLICY) == 3600
    assert rules.cooldown_left(T0, T0 + timedelta(minutes=59, seconds=59.5), POLICY) == 1
    assert rules.cooldown_left(T0, T0 + timedelta(minutes=60), POLICY) == 0
    assert rules.cooldown_left(T0, T0 + timedelta(days=1), POLICY) == 0
