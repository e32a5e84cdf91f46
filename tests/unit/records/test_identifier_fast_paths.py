"""The identifier checks' fast paths (bulk delivery) agree with their plain definitions:
check characters, normalisation, and the position named in an error (SUB-2)."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from xinyong.core import identifiers as ids

CHARSET = ids.USCC_CHARSET


def _plain_uscc_check(first17: str) -> str:
    total = sum(ids.USCC_VALUES[c] * w for c, w in zip(first17, ids.USCC_WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def _plain_resident_check(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, ids.RESIDENT_WEIGHTS, strict=True))
    return ids.RESIDENT_CHECK[total % 11]


@given(st.text(alphabet=CHARSET, min_size=18, max_size=18))
def test_uscc_check_character(value: str) -> None:
    assert (
        ids._uscc_expected(value)
        == _plain_uscc_check(value[:17])
        == ids.uscc_check_char(value[:17])
    )


@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.sampled_from("0123456789X"))
def test_resident_check_character(first17: str, last: str) -> None:
    value = first17 + last
    assert ids._resident_expected(value) == _plain_resident_check(first17)


@given(st.text(max_size=30))
def test_normalisation_is_nfkc_trim_upper(value: str) -> None:
    assert ids.normalize_identifier(value) == unicodedata.normalize("NFKC", value).strip().upper()


@settings(max_examples=300)
@given(
    st.text(alphabet=CHARSET + "IOSVZ ioz\u3000\u00a0-·", min_size=1, max_size=20),
    st.sampled_from([*ids.IdentifierKind, None]),
)
def test_errors_name_the_first_bad_position(value: str, kind: ids.IdentifierKind | None) -> None:
    result = ids.check_identifier(value, kind=kind)
    v = result.normalized or ""
    space = next((i for i, c in enumerate(v, 1) if c.isspace()), None)
    if space is not None:
        assert result.error is not None
        assert f"position {space}" in result.error
    elif kind is ids.IdentifierKind.USCC and len(v) == 18:
        bad = next(((i, c) for i, c in enumerate(v, 1) if c not in ids.USCC_VALUES), None)
        if bad is not None:
            assert result.error is not None
            assert f"character '{bad[1]}'" in result.error
            assert f"(position {bad[0]})" in result.error
        else:
            assert (result.error is None) == (v[17] == _plain_uscc_check(v[:17]))


@given(st.text(alphabet="0123456789X٣ａ", min_size=18, max_size=18))
def test_resident_digits_error_names_the_position(value: str) -> None:
    result = ids.check_resident_id(value)
    v = result.normalized or ""
    bad = next(((i, c) for i, c in enumerate(v[:17], 1) if not ("0" <= c <= "9")), None)
    if bad is not None:
        assert result.error is not None
        assert f"position {bad[0]} is '{bad[1]}'" in result.error
