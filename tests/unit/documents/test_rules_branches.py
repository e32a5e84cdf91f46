"""Document numbers (PLT-4; the written notices of Art. 32 and 34 are cited by their number)."""

from __future__ import annotations

import pytest

from xinyong.documents import rules


def test_plt4_the_first_document_of_a_year_is_number_one() -> None:
    assert rules.document_number("GZTZ", 2026, 1) == "GZTZ-2026-000001"


@pytest.mark.parametrize("seq", [0, -1])
def test_plt4_there_is_no_document_number_zero_or_below(seq: int) -> None:
    with pytest.raises(ValueError, match="start at 1"):
        rules.document_number("GZTZ", 2026, seq)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("GZTZ-2026-000001", True),
        ("YYJD-2027-1234567", True),
        ("gztz-2026-000001", False),
        ("GZTZ-26-000001", False),
        ("GZTZ-2026-00001", False),
        ("GZTZ-2026-000001 ", False),
    ],
)
def test_plt4_a_citable_number_has_prefix_year_and_six_digits(value: str, expected: bool) -> None:
    assert rules.looks_like_number(value) is expected
