"""Where repair meets other contexts: the violation register (GOV-1), correction notices to
recent recipients (objections), written notices (documents, PLT-4) and the serious-dishonesty
list (LST-4). One function each, so that the coupling sits in one place."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from xinyong.core.actor import Actor
from xinyong.documents.models import DocumentKind
from xinyong.lists import service as lists
from xinyong.objections.notices import notify_recipients_of_correction


def document_kind(name: str, fallback: DocumentKind) -> DocumentKind:
    """The repair document kinds (``REPAIR_NOTICE``, ``REPAIR_DECISION``,
    ``REPAIR_ESCALATION``) once the documents context lists them; until then the nearest kind,
    so that the notice is still numbered, kept and in the inbox."""
    return DocumentKind.__members__.get(name, fallback)


def tell_recent_recipients(session: Session, *, record_id: int, at: datetime, reason: str) -> None:
    """Organisations that received the record lately learn it is repaired (FCRA §1681i(d)
    practice, shared with objections)."""
    notify_recipients_of_correction(session, record_id=record_id, at=at, reason=reason)


#: The catalogue item that carries serious-dishonesty list entries (LST-3, LST-4).


def end_list_entries_after_repair(
    session: Session,
    *,
    actor: Actor,
    subject_id: int,
    record_id: int,
    at: datetime,
    reason: str,
) -> list[int]:
    """Repair undoes consequences (Art. 36; LST-4; Order 36): every serious-dishonesty list
    entry in force that the repaired record grounds (its proposal rests on it) or publishes
    ends early — removal notice, procedure ended, audit — in the decision's transaction.
    Returns the ids of the entries ended."""
    return lists.end_entries_resting_on(
        session, actor=actor, subject_id=subject_id, record_id=record_id, reason=reason, at=at
    )
