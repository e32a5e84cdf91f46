"""What the publisher reads from the core (never writes): the change positions and the
subjects they touch. Every change to what the public is shown is written with an audit entry
in its own transaction (and record changes also to the change feed, ``change_event``, which
carries that entry's ``seq``), and sequence numbers are assigned in commit order — so "every
entry after the last published ``seq``" is exactly the work still to do.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from xinyong.audit import signing
from xinyong.audit.models import AuditCheckpoint, AuditEntry
from xinyong.audit.schemas import b64
from xinyong.feed.models import ChangeEvent
from xinyong.subjects.models import Subject, SubjectNameGram

#: Audit tags that touch a subject without changing what the public is shown (reads, logins).
QUIET_PREFIXES = ("inquiry:", "audit:", "accounts:", "feed:webhook:", "feed:records:")
#: Changes that may alter every subject's public answer (catalogue publicity, field classes).
GLOBAL_PREFIXES = ("catalogue:",)


#: The last audit sequence number (``NULL`` on an empty log): built once, also run on the
#: driver by the one-process server's check before a public read.
AUDIT_HEAD = select(func.max(AuditEntry.seq))


def audit_head(session: Session) -> int:
    """The last audit sequence number (-1 on an empty log)."""
    return head_of(session.scalar(AUDIT_HEAD))


def head_of(value: object) -> int:
    """:data:`AUDIT_HEAD`'s value as a sequence number (-1 on an empty log)."""
    return -1 if value is None else int(str(value))


def touched_subjects(session: Session, *, after: int, upto: int) -> set[int]:
    """Subjects named by the audit entries and feed changes of ``(after, upto]``."""
    quiet = or_(*(AuditEntry.tag.like(f"{p}%") for p in QUIET_PREFIXES))
    audited = session.scalars(
        select(AuditEntry.subject_id)
        .where(AuditEntry.seq > after, AuditEntry.seq <= upto)
        .where(AuditEntry.subject_id.is_not(None), ~quiet)
        .distinct()
    ).all()
    fed = session.scalars(
        select(ChangeEvent.subject_id)
        .where(ChangeEvent.audit_seq > after, ChangeEvent.audit_seq <= upto)
        .distinct()
    ).all()
    return {int(s) for s in (*audited, *fed) if s is not None}


def global_change(session: Session, *, after: int, upto: int) -> bool:
    """Whether ``(after, upto]`` holds a change that may alter every public answer."""
    found = session.scalar(
        select(AuditEntry.seq)
        .where(AuditEntry.seq > after, AuditEntry.seq <= upto)
        .where(or_(*(AuditEntry.tag.like(f"{p}%") for p in GLOBAL_PREFIXES)))
        .limit(1)
    )
    return found is not None


def subject_ids_after(session: Session, after: int, *, limit: int) -> list[int]:
    return [
        int(i)
        for i in session.scalars(
            select(Subject.id).where(Subject.id > after).order_by(Subject.id).limit(limit)
        )
    ]


def max_subject_id(session: Session) -> int:
    return int(session.scalar(select(func.max(Subject.id))) or 0)


def subjects(session: Session, ids: Collection[int]) -> Sequence[Subject]:
    if not ids:
        return []
    return session.scalars(select(Subject).where(Subject.id.in_(sorted(ids)))).all()


def name_grams(session: Session, ids: Collection[int]) -> list[tuple[str, str, int]]:
    """The core name index rows of these subjects (organisations only hold any)."""
    if not ids:
        return []
    rows = session.execute(
        select(SubjectNameGram.gram, SubjectNameGram.name_key, SubjectNameGram.subject_id).where(
            SubjectNameGram.subject_id.in_(sorted(ids))
        )
    ).all()
    return [(str(g), str(k), int(s)) for g, k, s in rows]


def latest_checkpoint(session: Session) -> dict[str, object] | None:
    """The latest signed tree head, as anyone may read it (``GET /audit/checkpoint``)."""
    cp = session.scalars(
        select(AuditCheckpoint)
        .order_by(AuditCheckpoint.size.desc(), AuditCheckpoint.id.desc())
        .limit(1)
    ).first()
    if cp is None:
        return None
    return {
        "origin": signing.ORIGIN,
        "size": cp.size,
        "root": b64(cp.root),
        "signature": b64(cp.signature),
        "at": cp.at.isoformat(),
        "key_id": cp.key_id,
        "body": signing.checkpoint_body(cp.size, cp.root, cp.at).decode(),
    }
