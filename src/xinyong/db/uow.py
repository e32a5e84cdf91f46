"""The unit of work: the one owner of a use case's transaction (docs/architecture.md,
"Transactions").

A web request, a CLI command and a periodic job each open one :class:`UnitOfWork`. Services and
repositories work on its session and only ``flush()`` (to get ids, or to meet a constraint
early); the unit of work commits once, at the end of the use case, after the audit entry the
use case wrote in the same transaction — or rolls everything back when the use case fails.

The few writes that must outlive a failed use case are named in :class:`Kept` and go through
:func:`commit_kept`; nothing else in ``src/xinyong`` commits (migrations aside).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session


class Kept(StrEnum):
    """The named writes committed before the use case ends.

    The refusals are records the law or the platform's security wants on file even though the
    request is refused; each is written before the use case changed anything (the checks come
    first), so committing the session at that point commits the refusal record alone.
    """

    #: A wrong password or second factor: the failure count and the audit entry (PLT-1).
    LOGIN_REFUSED = "login_refused"
    #: A login that needs its second factor: the challenge is audited before the 401 (PLT-1).
    SECOND_FACTOR_CHALLENGE = "second_factor_challenge"
    #: A refused attempt to disable a second factor (failure count, audit entry).
    SECOND_FACTOR_DISABLE_REFUSED = "second_factor_disable_refused"
    #: A refused inquiry — wrong purpose, no consent, rate limit — stays in the inquiry log
    #: its subject reads (Art. 20, 31).
    INQUIRY_REFUSED = "inquiry_refused"
    #: A measure refused as not on a published list: the violation register entry (GOV-1).
    MEASURE_REFUSED = "measure_refused"
    #: ``DELETE`` of a record: the audit entry and the violation register entry (Art. 28).
    DELETION_REFUSED = "deletion_refused"
    #: A bulk import: the opened batch, then each chunk with the batch's progress, so a
    #: killed import leaves whole chunks and resumes after them (COL-1).
    IMPORT_CHUNK = "import_chunk"
    #: A batch check too large to answer within its upload: the queued batch, committed
    #: before the background runner of a one-process server starts on it (issue 17 item 2).
    CHECK_BATCH_QUEUED = "check_batch_queued"
    #: The web session's last-seen time, touched when a request resolves its actor, so idle
    #: expiry counts read-only views too; best effort, before the use case begins.
    SESSION_TOUCH = "session_touch"


class UnitOfWork:
    """One use case's transaction: ``with UnitOfWork(factory) as uow: ...; uow.commit()``.

    Leaving the block without :meth:`commit` rolls back (cosmicpython's shape: commit is
    explicit, rollback is the default). :func:`use_case` commits on a clean exit instead.
    """

    #: Whether leaving the block normally commits (:class:`use_case`) rather than rolls back.
    commit_on_exit = False

    def __init__(self, factory: Callable[[], Session]) -> None:
        self._factory = factory
        self._session: Session | None = None
        self.committed = False

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is not open")
        return self._session

    @property
    def is_open(self) -> bool:
        return self._session is not None

    @property
    def untouched(self) -> bool:
        """Open, and nothing was asked of its session yet: no transaction begun, so ending it
        does no I/O (a public page whose visitor has no account never uses it)."""
        return self._session is not None and not self._session.in_transaction()

    def __enter__(self) -> Self:
        self._session = self._factory()
        self.committed = False
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None and self.commit_on_exit:
                self.commit()
        finally:
            self.close()

    def commit(self) -> None:
        """The use case's one commit."""
        self.session.commit()
        self.committed = True

    def rollback(self) -> None:
        self.session.rollback()

    def end(self, *, succeeded: bool) -> None:
        """Commit a use case that succeeded, roll back one that did not (a request's answer:
        ``web/transactions.py``)."""
        if succeeded:
            self.commit()
        else:
            self.rollback()

    def close(self) -> None:
        """Roll back whatever was not committed and release the session."""
        if self._session is None:
            return
        try:
            self._session.rollback()
        finally:
            self._session.close()
            self._session = None


class use_case(UnitOfWork):
    """A unit of work that commits when its block ends normally and rolls back on any error:
    ``with use_case(factory) as uow: service(uow.session, ...)`` (CLI commands, jobs)."""

    commit_on_exit = True


def commit_kept(session: Session, kept: Kept) -> None:
    """Commit what the session holds now, before the use case ends: only for one of the
    named cases of :class:`Kept` (a refusal record before its error is raised, a bulk import's
    chunk), never for a use case's own change."""
    if not isinstance(kept, Kept):  # a named case, or nothing
        raise TypeError(f"not a named kept write: {kept!r}")
    session.commit()
