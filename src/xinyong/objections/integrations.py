"""Where objections meet the inquiry log (INQ-2): one function, so that the coupling sits in
one place (the violation register is reached through ``handling.escalation``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.inquiry.models import Inquiry, Outcome


def recipient_org_ids(
    session: Session, *, record_id: int, subject_id: int, since: datetime
) -> set[int]:
    """Organisations whose answered inquiries since ``since`` returned ``record_id``."""
    rows = session.execute(
        select(Inquiry.org_id, Inquiry.record_ids).where(
            Inquiry.subject_id == subject_id,
            Inquiry.outcome == Outcome.ANSWERED,
            Inquiry.at >= since,
        )
    ).all()
    found: set[int] = set()
    for org_id, returned in rows:
        if org_id is not None and record_id in {int(r) for r in (returned or [])}:
            found.add(int(org_id))
    return found
