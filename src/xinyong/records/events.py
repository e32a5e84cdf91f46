"""What the records context says happened to records, for the contexts that react.

Records publish :class:`RecordsChanged` after the audit entry of a delivery, an amendment or a
withdrawal; the composition root (``xinyong.bootstrap``) decides who reacts — today the
disclosure window of each record's head version (DIS-4) and the change feed (Art. 6, COL-4).
Records therefore import neither ``disclosure`` nor ``feed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple


class RecordChange(NamedTuple):
    """One record a records use case changed, at its new head version (a named tuple: a bulk
    delivery states thousands at once)."""

    record_id: int
    subject_id: int
    item_code: str
    version: int
    #: ``delivered``, ``amended`` or ``withdrawn`` (the feed's change kinds, API.md).
    kind: str
    provider_org_id: int | None


class RecordHead(NamedTuple):
    """A record's head as its publisher has just written it: what a reactor would otherwise
    read back (a bulk delivery writes thousands at once). Named like the columns."""

    id: int
    subject_id: int
    item_code: str
    item_version_id: int | None
    provider_org_id: int | None
    current_version: int
    polarity: str
    #: ``records.models.Severity`` or ``None``.
    severity: Any
    decided_on: date | None
    fields: dict[str, Any]
    #: Whether the record may already have stored consequences (a window); new records: no.
    has_window: bool = False


@dataclass(frozen=True, slots=True)
class RecordsChanged:
    """Records changed in this transaction; ``audit_seq`` is the entry that says so.

    The feed is ordered by that entry's seq, taken under the audit lock (commit order).
    """

    audit_seq: int
    at: datetime
    changes: tuple[RecordChange, ...]
    #: The heads of the changed records when the publisher holds them (bulk delivery), in the
    #: order of ``changes``; empty: reactors read them.
    heads: tuple[RecordHead, ...] = ()
