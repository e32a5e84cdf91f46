"""How a case reads, in what every kind shares: its place in the queue (record, subject,
handling unit), its state, its deadline counted as of ``today`` and its decision."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from xinyong.handling.access import days_left
from xinyong.handling.deadlines import is_overdue, received_on

#: Columns every decided case holds under the same name in its read.
CASE_COLUMNS = ("id", "record_id", "subject_id", "provider_org_id", "received_at",
                "decision_reason", "decided_at", "notice_number", "escalated_at")  # fmt: skip


def as_stored(row: Any, names: Iterable[str]) -> dict[str, Any]:
    """The columns ``names`` of ``row`` as they are stored."""
    return {name: getattr(row, name) for name in names}


def case_fields(session: Session, case: Any, *, today: date, done: bool) -> dict[str, Any]:
    """The fields of a case's read that every kind shares (``CASE_COLUMNS``, its item,
    status, receipt day, due date, whether overdue and the working days left)."""
    return {
        **as_stored(case, CASE_COLUMNS),
        "item": case.item_code,
        "status": case.status.value,
        "decided_by": case.decided_by_name,
        "received_on": received_on(case.received_at),
        "due": case.due_on,
        "overdue": is_overdue(case.due_on, today=today, done=done),
        "working_days_left": days_left(session, today=today, due=case.due_on, done=done),
    }
