"""The dashboard's region filter (PLT-3; Art. 44–45 supervision by region, issue 14 item 6):
a GB/T 2260 division code, and the organisations that lie inside it."""

from __future__ import annotations

import pytest

from xinyong.core.errors import InvalidInput
from xinyong.dashboard import rules


@pytest.mark.parametrize("value", [None, "", "   "])
def test_plt3_no_region_means_every_region(value: str | None) -> None:
    assert rules.parse_region(value) is None


@pytest.mark.parametrize(("value", "region"), [("520100", "520100"), (" 522700 ", "522700")])
def test_plt3_a_division_code_is_the_region_asked_for(value: str, region: str) -> None:
    assert rules.parse_region(value) == region


@pytest.mark.parametrize("value", ["5201", "52010a", "５２０１００", "990000"])
def test_plt3_anything_else_is_refused_as_invalid_region(value: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        rules.parse_region(value)
    assert refused.value.code == "invalid_region"
    assert refused.value.details == [
        {"field": "region", "reason": "a 6-digit region code (GB/T 2260)"}
    ]


def test_plt3_every_region_the_filter_offers_is_accepted() -> None:
    assert [rules.parse_region(code) for code, _ in rules.REGIONS] == [
        code for code, _ in rules.REGIONS
    ]


ORGS = [(1, "520000"), (2, "520102"), (3, "520100"), (4, "520302"), (5, "110000")]


@pytest.mark.parametrize(
    ("region", "inside"),
    [
        ("520000", {1, 2, 3, 4}),  # the province holds its prefectures and counties
        ("520100", {2, 3}),  # Guiyang holds its counties, not Zunyi's
        ("520102", {2}),  # a county holds only itself
        ("522700", set()),
    ],
)
def test_plt3_the_organisations_inside_a_region(region: str, inside: set[int]) -> None:
    assert rules.orgs_in_region(ORGS, region) == inside
