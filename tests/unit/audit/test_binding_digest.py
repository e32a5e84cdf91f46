"""The record binding's one-pass digests (``audit.binding._stream``) equal ``row_digest`` —
the two-pass canonical JSON the rows were bound with — for any row read back from the
database: string keys at every level, values of the column types."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.audit.binding import _CANONICAL, _IN_ORDER, _flat, _ready, row_digest


class Status(Enum):
    LIVE = "live"
    GONE = "gone"


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | _text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4),
    max_leaves=12,
)
_scalar = (
    st.none()
    | st.booleans()
    | st.integers()
    | _text
    | st.datetimes(timezones=st.just(UTC)).map(lambda d: d + timedelta(0))
    | st.dates()
    | st.sampled_from(Status)
    | st.decimals(allow_nan=False, allow_infinity=False, places=2)
)
_rows = st.dictionaries(
    st.from_regex(r"[a-z_]{1,12}", fullmatch=True), _scalar | _json, max_size=20
)


def _one_pass(row: dict[str, Any]) -> str:
    ready = {k: _ready([v])[0] for k, v in sorted(row.items())}
    text = (_IN_ORDER if all(_flat(v) for v in ready.values()) else _CANONICAL).encode(ready)
    return hashlib.sha256(text.encode()).hexdigest()


@given(_rows)
def test_one_pass_digest_is_row_digest(row: dict[str, Any]) -> None:
    assert _one_pass(row) == row_digest(row)


def test_the_converted_types() -> None:
    row = {
        "at": datetime(2026, 9, 30, 2, 0, tzinfo=UTC),
        "on": date(2026, 9, 30),
        "status": Status.LIVE,
        "amount": Decimal("12.50"),
        "fields": {"b": [1, "二"], "a": {"z": None, "y": True}},
        "note": 'a "quoted"\n line',
    }
    assert _one_pass(row) == row_digest(row)


def test_a_row_written_from_values_digests_as_its_orm_object() -> None:
    from xinyong.audit.binding import digest_of, digest_of_values
    from xinyong.inquiry.models import Inquiry, InquiryChannel, Outcome

    values: dict[str, Any] = {
        "id": 7,
        "at": datetime(2026, 9, 30, 2, 0, tzinfo=UTC),
        "user_id": 3,
        "user_name": "张三",
        "org_id": None,
        "org_code": None,
        "org_name": None,
        "subject_id": 11,
        "subject_code": "91520100MA6DQ0XX1B",
        "purpose": "licensing",
        "channel": InquiryChannel.GOVERNMENT,
        "outcome": Outcome.ANSWERED,
        "refusal_code": None,
        "refusal_reason": None,
        "items": ["admin_penalty"],
        "record_ids": [5, 9],
        "consent_id": None,
        "identity_check": None,
        "request_id": "r-1",
        "address": "127.0.0.1",
    }
    assert digest_of_values("inquiry", values) == digest_of("inquiry", Inquiry(**values))
    # A column left out is an error, never a digest the verifier would not reproduce.
    del values["address"]
    with pytest.raises(KeyError):
        digest_of_values("inquiry", values)
