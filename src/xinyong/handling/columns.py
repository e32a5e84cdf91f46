"""What the case tables share (objections, credit repair): the columns of a case routed to a
provider with a stored deadline and a written decision, and the indexes its desks read by."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlalchemy.orm import Mapped

from xinyong.db.types import Str32, Str200


class CaseColumns:
    """A mixin for a case table; the table adds ``record_id``, ``status`` and its own columns.

    Deadlines are computed at receipt on the working-day calendar and stored (``due_on``);
    "overdue" is never stored, it is ``due_on`` compared with today at query time.
    """

    subject_id: Mapped[int]
    #: Where it is routed; ``None`` routes it to the credit office (self-declared records).
    provider_org_id: Mapped[int | None]
    received_at: Mapped[datetime]
    due_on: Mapped[date]
    decision_reason: Mapped[str | None]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None]
    #: Copied so the history survives the account.
    decided_by_name: Mapped[Str200 | None]
    #: Number of the written decision notice (PLT-4).
    notice_number: Mapped[Str32 | None]
    escalated_at: Mapped[datetime | None]


def case_indexes(table: str) -> tuple[Index, ...]:
    """A record's open case, a provider's desk by deadline, the escalation sweep."""
    return (
        Index(f"ix_{table}_record_id_status", "record_id", "status"),
        Index(f"ix_{table}_provider_org_id_due_on", "provider_org_id", "due_on"),
        Index(f"ix_{table}_status_due_on", "status", "due_on"),
    )
