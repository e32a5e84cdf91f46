"""The canonical entry bytes are the documented JSON serialisation (sorted keys, compact, UTF-8)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.audit.canonical import entry_bytes, iso_utc, json_text

FIELDS = [
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "actor_role",
    "org_id",
    "org_name",
    "request_id",
    "tag",
    "object_type",
    "object_id",
    "subject_id",
    "before",
    "after",
    "reason",
]

texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=20)
opt_text = st.none() | texts
opt_int = st.none() | st.integers(0, 2**40)
snap = st.none() | st.dictionaries(texts, st.none() | st.integers() | texts, max_size=4)


def _definition(values: dict[str, Any]) -> bytes:
    obj = {**values, "v": 1}
    for k in ("before", "after"):
        obj[k] = None if values[k] is None else json.loads(values[k])
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@given(
    seq=st.integers(0, 2**40),
    actor_id=opt_int,
    actor_name=texts,
    org_id=opt_int,
    org_name=opt_text,
    request_id=opt_text,
    object_id=opt_text,
    subject_id=opt_int,
    before=snap,
    after=snap,
    reason=opt_text,
)
def test_entry_bytes_follow_the_json_definition(
    seq: int,
    actor_id: int | None,
    actor_name: str,
    org_id: int | None,
    org_name: str | None,
    request_id: str | None,
    object_id: str | None,
    subject_id: int | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    reason: str | None,
) -> None:
    values: dict[str, Any] = {
        "seq": seq,
        "at": "2026-09-30T02:00:00.000000Z",
        "actor_id": actor_id,
        "actor_name": actor_name,
        "actor_role": "provider",
        "org_id": org_id,
        "org_name": org_name,
        "request_id": request_id,
        "tag": "records:record:create",
        "object_type": "record",
        "object_id": object_id,
        "subject_id": subject_id,
        "before": json_text(before),
        "after": json_text(after),
        "reason": reason,
    }
    assert entry_bytes(*(values[f] for f in FIELDS)) == _definition(values)


def test_instants_are_iso_utc_with_microseconds() -> None:
    shanghai = timezone(timedelta(hours=8))
    assert iso_utc(datetime(2026, 9, 30, 10, 0, tzinfo=shanghai)) == "2026-09-30T02:00:00.000000Z"
    with pytest.raises(ValueError):
        iso_utc(datetime(2026, 9, 30, 10, 0))


class Status(StrEnum):
    DRAFT = "draft"


def test_snapshots_become_canonical_json() -> None:
    snapshot = {
        "z": 1,
        "a": {"y": [1, 2], "b": "信用"},
        "on": date(2026, 10, 8),
        "at": datetime(2026, 9, 30, 2, 0, tzinfo=UTC),
        "fine": Decimal("1.50"),
        "status": Status.DRAFT,
        3: "int keys become strings",
    }
    assert json_text(snapshot) == (
        '{"3":"int keys become strings","a":{"b":"信用","y":[1,2]},'
        '"at":"2026-09-30T02:00:00.000000Z","fine":"1.50","on":"2026-10-08",'
        '"status":"draft","z":1}'
    )
    assert json_text(None) is None
    with pytest.raises(TypeError):
        json_text({"x": object()})
    with pytest.raises(ValueError):
        json_text({"x": float("nan")})
