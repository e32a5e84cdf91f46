"""Internal consumers of the change feed (COL-4): a named position that a use case reads the
changes after and moves forward in its own transaction, so every change is acted on once
whichever way it was delivered (API, file, CLI import) and whoever runs the pass (a request
right after its delivery, or the worker). Flushes, never commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from xinyong.feed.models import ChangeEvent, FeedConsumer


def _position(session: Session, name: str) -> FeedConsumer:
    query = select(FeedConsumer).where(FeedConsumer.name == name)
    found = session.scalars(query.with_for_update()).first()
    if found is not None:
        return found
    try:
        with session.begin_nested():
            session.add(FeedConsumer(name=name, after_seq=-1, after_id=0))
            session.flush()
    except IntegrityError:
        pass  # another transaction created it first
    return session.scalars(query.with_for_update()).one()


def take_changes(session: Session, *, name: str, limit: int = 1000) -> Sequence[ChangeEvent]:
    """Up to ``limit`` changes after consumer ``name``'s position, in commit order; the
    position moves past them (the row stays locked until the caller's transaction ends, so two
    passes never take the same changes)."""
    consumer = _position(session, name)
    query = (
        select(ChangeEvent)
        .where(
            tuple_(ChangeEvent.audit_seq, ChangeEvent.id)
            > tuple_(consumer.after_seq, consumer.after_id)
        )
        .order_by(ChangeEvent.audit_seq, ChangeEvent.id)
        .limit(limit)
    )
    changes = session.scalars(query).all()
    if changes:
        consumer.after_seq, consumer.after_id = changes[-1].audit_seq, changes[-1].id
        session.flush()
    return changes
