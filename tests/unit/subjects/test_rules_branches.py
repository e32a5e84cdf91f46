"""SUB-2 (Art. 7: persons by resident identity number, organisations by USCC) and SUB-3 (a
name fragment is found through the two-character index of name keys)."""

from __future__ import annotations

import pytest

from xinyong.subjects import rules
from xinyong.subjects.models import SubjectType


@pytest.mark.parametrize(
    ("subject_type", "organisation"),
    [
        (SubjectType.NATURAL_PERSON, False),
        (SubjectType.LEGAL_PERSON, True),
        (SubjectType.UNINCORPORATED_ORG, True),
        (SubjectType.STATE_ORGAN, True),
    ],
)
def test_sub2_only_natural_persons_are_not_organisations(
    subject_type: SubjectType, organisation: bool
) -> None:
    assert rules.is_organisation(subject_type) is organisation


def test_sub3_name_grams_are_the_distinct_pairs_of_the_key() -> None:
    key = rules.normalize_name("贵州 茅台 茅台")
    assert rules.name_grams(key) == {"贵州", "州茅", "茅台", "台茅"}


@pytest.mark.parametrize("key", ["", "贵"])
def test_sub3_a_key_shorter_than_two_characters_has_no_grams(key: str) -> None:
    assert rules.name_grams(key) == set()


def test_sub3_a_fragment_s_grams_are_all_in_the_name_s() -> None:
    name = rules.name_grams(rules.normalize_name("贵州茅台酒股份有限公司"))
    assert rules.name_grams(rules.normalize_name("茅台酒")) <= name
    assert not rules.name_grams(rules.normalize_name("茅台镇")) <= name
