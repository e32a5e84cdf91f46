"""The bulk import's version digests are the audit binding's own (``audit.binding.row_digest``):
``verify_bindings`` recomputes them from the stored rows, so a template that drifted from the
canonical JSON would make every imported chunk look edited."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, cast

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Table

from xinyong.audit.binding import row_digest
from xinyong.records.importing.writing import VersionDigester, as_json
from xinyong.records.models import RecordStatus, RecordVersion

VARYING = ("record_id", "subject_id", "fields", "severity", "decided_on", "document_no",
           "content_hash")  # fmt: skip
TEXT = st.text(max_size=30)
FIELDS = st.dictionaries(
    st.text(min_size=1, max_size=8),
    st.one_of(
        TEXT,
        st.integers(),
        st.booleans(),
        st.none(),
        st.floats(allow_nan=False, allow_infinity=False),
    ),
    max_size=10,
)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 2**53),
    st.integers(1, 2**31),
    FIELDS,
    st.sampled_from([None, "minor", "general", "serious"]),
    st.one_of(st.none(), st.dates()),
    st.one_of(st.none(), TEXT),
    st.one_of(st.none(), st.integers(-5, 10**6)),
    TEXT,
)
def test_version_digest_is_the_binding_row_digest(
    record_id: int,
    subject_id: int,
    fields: dict[str, Any],
    severity: str | None,
    decided: date | None,
    document: str | None,
    actor_id: int | None,
    actor_name: str,
) -> None:
    at = datetime(2026, 9, 30, 2, 0, 0, 123456, tzinfo=UTC)
    constants = {
        "version": 1, "status": RecordStatus.ACTIVE, "actor_id": actor_id,
        "actor_name": actor_name, "at": at,
    }  # fmt: skip
    table = cast(Table, RecordVersion.__table__)
    digester = VersionDigester(table, constants, VARYING)
    varying = (record_id, subject_id, fields, severity, decided, document, "ab" * 32)
    columns: dict[str, Any] = {c.name: None for c in table.columns if c.name != "id"}
    columns.update(constants)
    columns.update(zip(VARYING, varying, strict=True))
    assert digester.digest([as_json(v) for v in varying]) == row_digest(columns)
