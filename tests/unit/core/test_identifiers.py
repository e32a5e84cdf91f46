"""SUB-2: identifiers are validated, normalised, and errors name what is wrong."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.core.identifiers import (
    RESIDENT_CHECK,
    USCC_CHARSET,
    IdentifierKind,
    check_identifier,
    check_resident_id,
    check_uscc,
    normalize_identifier,
    resident_check_char,
    uscc_check_char,
)

USCC = "91520000214434146R"
RESIDENT = "11010519491231002X"


def test_public_test_vectors_are_valid() -> None:
    org = check_identifier(USCC)
    assert (org.valid, org.kind, org.normalized, org.error) == (
        True,
        IdentifierKind.USCC,
        USCC,
        None,
    )
    person = check_identifier(RESIDENT)
    assert (person.valid, person.kind, person.normalized, person.error) == (
        True,
        IdentifierKind.RESIDENT_ID,
        RESIDENT,
        None,
    )


def test_wrong_uscc_check_character_names_the_expected_one() -> None:
    result = check_identifier("91520000214434146A")
    assert not result.valid
    assert result.kind is IdentifierKind.USCC
    assert result.error is not None
    assert "校验码应为 R" in result.error
    assert "check character should be R" in result.error


def test_wrong_resident_check_character_names_the_expected_one() -> None:
    result = check_identifier("110105194912310021")
    assert result.kind is IdentifierKind.RESIDENT_ID
    assert result.error is not None
    assert "check character should be X" in result.error


def test_impossible_birth_date_is_named() -> None:
    result = check_identifier("11010519491331002X")
    assert not result.valid
    assert result.kind is IdentifierKind.RESIDENT_ID
    assert result.error is not None
    assert "birth date 1949-13-31 does not exist" in result.error
    assert "出生日期 1949-13-31 不存在" in result.error


def test_february_30th_is_not_a_birth_date() -> None:
    result = check_resident_id("110105" + "20000230" + "0010")
    assert result.error is not None
    assert "2000-02-30 does not exist" in result.error


def test_future_birth_date_refused_when_today_is_given() -> None:
    first17 = "52010120300101001"
    value = first17 + resident_check_char(first17)
    assert check_resident_id(value).valid
    later = check_resident_id(value, today=date(2026, 9, 30))
    assert not later.valid
    assert later.error is not None
    assert "in the future" in later.error


@pytest.mark.parametrize("bad", ["I", "O", "S", "V", "Z"])
def test_letters_outside_the_uscc_charset_are_named(bad: str) -> None:
    value = USCC[:4] + bad + USCC[5:]
    result = check_identifier(value)
    assert result.kind is IdentifierKind.USCC
    assert result.error is not None
    assert f"character '{bad}' is not allowed in a Unified Social Credit Code" in result.error
    assert "position 5" in result.error


def test_wrong_length() -> None:
    result = check_uscc(USCC[:-1])
    assert result.error is not None
    assert "has 18 characters, this one has 17" in result.error
    unknown = check_identifier("ABC123")
    assert unknown.kind is None
    assert not unknown.valid
    assert unknown.error is not None
    assert "this one has 6" in unknown.error


def test_first_generation_15_digit_number_is_explained() -> None:
    result = check_identifier("110105491231002")
    assert result.kind is IdentifierKind.RESIDENT_ID
    assert result.error is not None
    assert "15-digit" in result.error


def test_empty_value() -> None:
    result = check_identifier("   ")
    assert not result.valid
    assert result.kind is None
    assert result.error is not None


def test_letter_inside_a_resident_number() -> None:
    result = check_resident_id("1101051949123100AX")
    assert result.error is not None
    assert "position 17 is 'A'" in result.error


def test_full_width_lower_case_and_padding_are_normalised() -> None:
    full_width = "\u3000９１５２００００２１４４３４１４６ｒ "
    result = check_identifier(full_width)
    assert result.valid
    assert result.normalized == USCC
    assert check_identifier(" 11010519491231002x\t").normalized == RESIDENT


def test_inner_space_is_refused_not_removed() -> None:
    result = check_identifier("9152 0000214434146R")
    assert not result.valid
    assert result.error is not None
    assert "space at position 5" in result.error


def test_allow_list_accepts_a_pilot_code_that_fails_the_check() -> None:
    pilot = USCC[:-1] + "A"
    assert not check_identifier(pilot).valid
    accepted = check_identifier(pilot, allow_list={pilot})
    assert accepted.valid
    assert accepted.kind is IdentifierKind.USCC


def test_explicit_kind_decides_an_ambiguous_value() -> None:
    # Valid as a resident number; as a USCC its check character would be different.
    as_org = check_identifier(RESIDENT, kind=IdentifierKind.USCC)
    assert not as_org.valid
    assert as_org.kind is IdentifierKind.USCC


def test_unverifiable_kinds_are_only_normalised() -> None:
    result = check_identifier(" e1234５678 ", kind=IdentifierKind.PASSPORT)
    assert result.valid
    assert result.normalized == "E12345678"
    assert not check_identifier(" ", kind=IdentifierKind.OTHER).valid


# --- properties -----------------------------------------------------------------------

uscc_bodies = st.text(alphabet=USCC_CHARSET, min_size=17, max_size=17)


@st.composite
def valid_usccs(draw: st.DrawFn) -> str:
    body = draw(uscc_bodies)
    return body + uscc_check_char(body)


@st.composite
def valid_resident_ids(draw: st.DrawFn) -> str:
    region = draw(st.sampled_from(["110105", "520102", "520103", "440305", "650102"]))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 9, 30)))
    seq = draw(st.integers(min_value=0, max_value=999))
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + resident_check_char(first17)


@given(valid_usccs())
def test_every_generated_uscc_passes(code: str) -> None:
    result = check_uscc(code)
    assert result.valid, result.error
    assert check_identifier(code, kind=IdentifierKind.USCC).valid


@given(valid_usccs(), st.sampled_from(USCC_CHARSET))
def test_any_other_uscc_check_character_fails(code: str, other: str) -> None:
    if other == code[-1]:
        return
    result = check_uscc(code[:-1] + other)
    assert not result.valid
    assert result.error is not None
    assert f"check character should be {code[-1]}" in result.error


@given(valid_resident_ids())
def test_every_generated_resident_id_passes(value: str) -> None:
    assert check_resident_id(value, today=date(2026, 9, 30)).valid
    detected = check_identifier(value)
    assert detected.valid
    assert detected.kind is IdentifierKind.RESIDENT_ID


@given(valid_resident_ids(), st.sampled_from(RESIDENT_CHECK))
def test_any_other_resident_check_character_fails(value: str, other: str) -> None:
    if other == value[-1]:
        return
    assert not check_resident_id(value[:-1] + other).valid


@given(st.text(max_size=40))
def test_normalisation_is_idempotent(value: str) -> None:
    once = normalize_identifier(value)
    assert normalize_identifier(once) == once


@given(st.text(max_size=40))
def test_check_never_crashes_and_reports_an_error_when_invalid(value: str) -> None:
    result = check_identifier(value)
    assert result.valid == (result.error is None)
    if result.valid:
        assert result.kind in (IdentifierKind.USCC, IdentifierKind.RESIDENT_ID)
