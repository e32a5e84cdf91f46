"""What disclosure does when records change (wired at ``xinyong.bootstrap``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from xinyong.disclosure.service import compute_and_store_windows
from xinyong.records.events import RecordsChanged


def store_windows(session: Session, event: RecordsChanged) -> None:
    """Store the disclosure window of each changed record's new head version (DIS-4)."""
    compute_and_store_windows(
        session, [c.record_id for c in event.changes], at=event.at, heads=event.heads or None
    )
