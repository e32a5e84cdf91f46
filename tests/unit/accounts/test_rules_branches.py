"""The authority of an inquirer's account names catalogue items (Art. 20: each state organ sets
the authority of its own inquiry personnel): a malformed item code is refused, named."""

from __future__ import annotations

import pytest

from xinyong.accounts import rules


@pytest.mark.parametrize("item", ["administrative_penalty", "ab", "tax2026_arrears"])
def test_art20_a_well_formed_item_code_is_accepted(item: str) -> None:
    assert rules.item_code_problem(item) is None


@pytest.mark.parametrize(
    "item",
    ["", "a", "Administrative_penalty", "2026_tax", "tax-arrears", "tax arrears", "a" * 65],
)
def test_art20_a_malformed_item_code_is_refused_and_named(item: str) -> None:
    problem = rules.item_code_problem(item)
    assert problem is not None
    assert f"malformed catalogue item code {item!r}" in problem


@pytest.mark.parametrize("code", ["GZ-SWJ", "520100.tax_1", " spaced ", "税务局"])
def test_plt1_an_organisation_code_of_letters_digits_and_dot_underscore_hyphen(
    code: str,
) -> None:
    assert rules.org_code_problem(code) is None


@pytest.mark.parametrize("code", ["", "   ", "GZ SWJ", "GZ/SWJ", "a" * 65])
def test_plt1_any_other_organisation_code_is_refused(code: str) -> None:
    problem = rules.org_code_problem(code)
    assert problem is not None
    assert problem.endswith("an organisation code is 1–64 letters, digits or . _ -")
