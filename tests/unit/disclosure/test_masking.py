"""Masking in publicity (DIS-3; Art. 18)."""

from __future__ import annotations

import pytest

from xinyong.disclosure.masking import (
    mask_identity_number,
    mask_person_name,
    mask_subject,
    mask_text,
    mask_value,
)

ID = "11010519491231002X"


def test_identity_number_keeps_region_and_check_character() -> None:
    assert mask_identity_number(ID) == "110105***********X"
    assert len(mask_identity_number(ID)) == 18
    assert mask_identity_number("E1234567") == "E******7"


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三", "张某"), ("欧阳明华", "欧阳某"), ("诸葛亮", "诸葛某"), ("王", "王某"), ("", "")],
)
def test_name_keeps_the_surname(name: str, masked: str) -> None:
    assert mask_person_name(name) == masked


def test_text_masks_embedded_numbers_and_names() -> None:
    text = f"当事人张三（身份证号{ID}）经营的91520000214434146R号企业"
    masked = mask_text(text, names=["张三"])
    assert ID not in masked
    assert "张三" not in masked
    assert "110105***********X" in masked
    assert "张某" in masked
    # A USCC or an invalid number is not an identity number: left alone.
    assert "91520000214434146R" in masked
    assert mask_text("110105194912310021") == "110105194912310021"


def test_values_are_walked() -> None:
    value = {"a": [ID, {"b": "张三"}], "n": 3}
    assert mask_value(value, names=["张三"]) == {
        "a": ["110105***********X", {"b": "张某"}],
        "n": 3,
    }


def test_only_persons_are_masked_as_subjects() -> None:
    assert mask_subject(type_="natural_person", code=ID, name="张三") == (
        "110105***********X",
        "张某",
    )
    assert mask_subject(type_="legal_person", code="91520000214434146R", name="某公司") == (
        "91520000214434146R",
        "某公司",
    )
