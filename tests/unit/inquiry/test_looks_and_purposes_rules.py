"""Pure rules of logged looks (Art. 20, 31), the purposes' lifecycle (Art. 19 ¶3), daily caps
and the public channel's scope (Art. 18)."""

from __future__ import annotations

import pytest

from xinyong.inquiry import rules
from xinyong.web.public_limit import is_public


@pytest.mark.parametrize(("publicity", "logged"), [("public", False), ("shared", True),
                                                    ("authorized", True)])  # fmt: skip
def test_only_non_public_reads_are_logged(publicity: str, logged: bool) -> None:
    assert rules.read_is_logged(publicity) is logged


def test_internal_purposes_by_role() -> None:
    assert rules.internal_purpose("credit_office") == "supervision"
    assert rules.internal_purpose("provider") == "delivery_management"
    assert rules.internal_purpose("institution") == "delivery_management"
    assert rules.internal_purpose("inquirer") == "interconnection"
    assert not set(rules.INTERNAL_PURPOSES) & rules.PURPOSES
    assert not rules.purpose_allowed("supervision", None)


def test_the_lifecycle_is_one_way() -> None:
    assert rules.purpose_steps(None) == {"draft"}
    assert rules.purpose_steps("draft") == {"published"}
    assert rules.purpose_steps("published") == {"retired"}
    assert rules.purpose_steps("retired") == frozenset()


def test_a_purpose_not_in_force_is_not_allowed() -> None:
    assert rules.purpose_allowed("licensing", None, {"licensing"})
    assert not rules.purpose_allowed("licensing", None, {"inspection"})
    assert not rules.purpose_allowed("licensing", {"inspection"}, {"licensing", "inspection"})


def test_the_cap_binds_at_its_value() -> None:
    assert not rules.cap_reached(4, 5)
    assert rules.cap_reached(5, 5)


@pytest.mark.parametrize(
    ("method", "path", "public"),
    [
        ("GET", "/api/v1/public/subjects", True),
        ("GET", "/api/v1/reports/R-1", True),
        ("GET", "/api/v1/purposes", True),
        ("GET", "/api/v1/catalogue/items/admin_penalty", True),
        ("GET", "/purposes", True),
        ("HEAD", "/", True),
        ("GET", "/tools/deadline", True),
        ("POST", "/api/v1/catalogue/items", False),
        ("GET", "/api/v1/records/1", False),
        ("GET", "/api/v1/purposes/lifecycle", False),
        ("GET", "/healthz", False),
        ("GET", "/static/css/app.css", False),
        ("GET", "/office/inquiry-settings", False),
    ],
)
def test_the_public_channel(method: str, path: str, public: bool) -> None:
    assert is_public(method, path) is public
