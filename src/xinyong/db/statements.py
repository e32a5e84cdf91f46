"""Prebuilt Core statements on a request's hot path, run past the ORM's execute path.

``Session.execute`` hands every statement to the ORM first: it looks for entities to load,
sets up an ORM compile state, and wraps the rows in an ORM result, even when the statement
only selects or writes columns. On the platform's hottest paths (an inquiry: its screening
facts, its records, its log row, its audit entry, its counter) that was about a third of
each statement's time in the interpreter. :func:`run` runs such a statement on the session's
own connection, in the session's transaction, as plain Core rows.

Only for statements that name columns, never entities. Whatever the session holds unflushed
is flushed first, as ``Session.execute`` would (autoflush), so a read still sees the
transaction's own writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import CursorResult, Executable
from sqlalchemy.orm import Session


def run(
    session: Session,
    statement: Executable,
    params: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
) -> CursorResult[Any]:
    """Execute ``statement`` with ``params`` on ``session``'s connection (its transaction)."""
    if session.autoflush and (session.new or session.dirty or session.deleted):
        session.flush()
    return session.connection().execute(statement, params)
