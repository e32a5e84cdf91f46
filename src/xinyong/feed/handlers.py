"""What the change feed does when records change (wired at ``xinyong.bootstrap``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from xinyong.feed.service import emit_changes
from xinyong.records.events import RecordsChanged


def append_changes(session: Session, event: RecordsChanged) -> None:
    """Put the changes on the feed, ordered by the audit entry that states them (Art. 6, COL-4)."""
    emit_changes(session, audit_seq=event.audit_seq, at=event.at, changes=event.changes)
