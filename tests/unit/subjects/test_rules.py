"""SUB-1…3: name matching keys and which identifier fits which subject type."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.core.identifiers import IdentifierKind
from xinyong.subjects.models import SubjectType
from xinyong.subjects.rules import (
    clean_name,
    expected_id_kind,
    id_kind_problem,
    name_problem,
    normalize_name,
)


@pytest.mark.parametrize(
    "variant",
    [
        "贵州茅台酒股份有限公司（集团）",
        "贵州茅台酒股份有限公司(集团)",
        "贵州茅台酒股份有限公司 (集团)",
        "贵州茅台酒股份有限公司【集团】",
        "贵州茅台酒股份有限公司〔集团〕",
        " 贵州 茅台酒股份有限公司\u3000（集团） ",
    ],
)
def test_bracket_width_and_space_variants_share_a_key(variant: str) -> None:
    assert normalize_name(variant) == normalize_name("贵州茅台酒股份有限公司(集团)")


def test_case_and_width_of_latin_letters_are_folded() -> None:
    assert normalize_name("ＡＢＣ Trading Co.") == normalize_name("abc trading co.")


def test_middle_dots_are_unified() -> None:
    assert normalize_name("阿依古丽•买买提") == normalize_name("阿依古丽·买买提")


@given(st.text(max_size=60))
def test_name_key_is_idempotent(name: str) -> None:
    key = normalize_name(name)
    assert normalize_name(key) == key


def test_clean_name_keeps_display_form() -> None:
    assert clean_name("  贵州  某某  公司 ") == "贵州 某某 公司"
    assert name_problem("") is not None
    assert name_problem("x" * 301) is not None
    assert name_problem("贵州某某公司") is None


def test_expected_kinds() -> None:
    assert expected_id_kind(SubjectType.NATURAL_PERSON) is IdentifierKind.RESIDENT_ID
    for org in (SubjectType.LEGAL_PERSON, SubjectType.UNINCORPORATED_ORG, SubjectType.STATE_ORGAN):
        assert expected_id_kind(org) is IdentifierKind.USCC


def test_kind_must_fit_type() -> None:
    assert id_kind_problem(SubjectType.NATURAL_PERSON, IdentifierKind.PASSPORT) is None
    assert id_kind_problem(SubjectType.LEGAL_PERSON, IdentifierKind.OTHER) is None
    problem = id_kind_problem(SubjectType.LEGAL_PERSON, IdentifierKind.RESIDENT_ID)
    assert problem is not None
    assert "legal_person cannot be identified by a resident_id" in problem
    assert id_kind_problem(SubjectType.NATURAL_PERSON, IdentifierKind.USCC) is not None
