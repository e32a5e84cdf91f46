"""Identity numbers are masked in every form people write them (issue 12 item 8; Art. 18)."""

from __future__ import annotations

import pytest

from xinyong.core.redaction import mask_resident_ids, resident_ids_in
from xinyong.disclosure.masking import mask_text

ID18 = "11010519491231002X"
ID15 = "110105491231002"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (ID18, "110105***********X"),
        (ID18.lower(), "110105***********X"),
        ("110105 19491231 002X", "110105***********X"),
        ("1101 0519 4912 3100 2X", "110105***********X"),
        ("/check?value=110105%2019491231%20002X", "/check?value=110105***********X"),
        ("q=110105+19491231+002X&x=1", "q=110105***********X&x=1"),
        (ID15, "110105********2"),
        ("110105 491231 002", "110105********2"),
        (f"身份证号{ID18}，旧号{ID15}。", "身份证号110105***********X，旧号110105********2。"),
        ("123 110105491231002", "123 110105********2"),
    ],
)
def test_every_form_is_masked(text: str, masked: str) -> None:
    assert mask_resident_ids(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "91520000214434146R",  # a USCC
        "110105194912310021",  # wrong check character
        "000105491231002",  # no such province
        "110105491331002",  # no 13th month
        "2026-09-30 10:00:00",
        "12345678901234567890",
        "订单 1234 5678",
        f"A{ID18}",  # inside a longer code
    ],
)
def test_other_numbers_are_left_alone(text: str) -> None:
    assert mask_resident_ids(text) == text


def test_numbers_are_found_for_name_masking() -> None:
    assert resident_ids_in(f"x 110105 19491231 002x y {ID15}") == {ID18, ID15}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("1101 0519 4912 3100 2X", {ID18}),
        ("q=110105+19491231+002X", {ID18}),
        ("110105 491231 002", {ID15}),
        ("2026-09-30 10:00:00", set()),
        ("订单 1234 5678", set()),
    ],
)
def test_every_written_form_is_found_alone(text: str, found: set[str]) -> None:
    """Found in each form even when no compact run of digits is in the text (the quick
    check that passes texts without a number over must know the written forms too)."""
    assert resident_ids_in(text) == found


def test_served_values_mask_the_same_forms() -> None:
    assert mask_text("证件 110105 19491231 002X", names=()) == "证件 110105***********X"
    assert mask_text(f"旧证 {ID15}") == "旧证 110105********2"
