"""What the records context says happened to records, for the contexts that react.

Records publish :class:`RecordsChanged` after the audit entry of a delivery, an amendment or a
withdrawal; the composition root (``xinyong.bootstrap``) decides who reacts — today the
disclosure window of each record's head version (DIS-4) and the change feed (Art. 6, COL-4).
Records therefore import neither ``disclosure`` nor ``feed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class RecordChange:
    """One record a records use case changed, at its new head version."""

    record_id: int
    subject_id: int
    item_code: str
    version: int
    #: ``delivered``, ``amended`` or ``withdrawn`` (the feed's change kinds, API.md).
    kind: str
    provider_org_id: int | None


@dataclass(frozen=True, slots=True)
class RecordsChanged:
    """Records changed in this transaction; ``audit_seq`` is the entry that says so.

    The feed is ordered by that entry's seq, taken under the audit lock (commit order).
    """

    audit_seq: int
    at: datetime
    changes: tuple[RecordChange, ...]
