"""Feed cursors (COL-4; Art. 6 interconnection): only the canonical cursor a page returned is
accepted, anything else is refused with ``invalid_cursor`` (422)."""

from __future__ import annotations

import base64

import pytest

from xinyong.feed import rules


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "text",
    [
        "v2:5:7",  # another cursor version
        "v1:x:7",  # a position that is not a number
        "v1:5:-7",
        "v1:5:",
    ],
)
def test_col4_a_decodable_cursor_of_the_wrong_shape_is_refused(text: str) -> None:
    with pytest.raises(rules.InvalidCursor) as refused:
        rules.decode_cursor(_b64(text))
    assert refused.value.code == "invalid_cursor"
    assert refused.value.details == [{"field": "after", "reason": "invalid cursor"}]


@pytest.mark.parametrize("text", ["v1:05:7", "v1:5:007"])
def test_col4_a_cursor_not_spelled_as_the_feed_spells_it_is_refused(text: str) -> None:
    # Leading zeros decode to the same position, but no page ever returned that cursor.
    with pytest.raises(rules.InvalidCursor):
        rules.decode_cursor(_b64(text))
    assert rules.decode_cursor(rules.encode_cursor(5, 7)) == (5, 7)


def test_col4_a_padded_cursor_is_not_the_canonical_one() -> None:
    canonical = rules.encode_cursor(12, 3)
    assert rules.decode_cursor(canonical) == (12, 3)
    padded = canonical + "="  # "v1:12:3" is 7 bytes: base64 pads it with one "="
    with pytest.raises(rules.InvalidCursor):
        rules.decode_cursor(padded)
