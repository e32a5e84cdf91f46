"""What the public server reads from the store: nothing here touches the core.

A read by code is one primary-key lookup of the stored answer. A name search walks the
store's copy of the organisation name index with the very walk ``subjects.name_index.search``
takes over the core's (``matching_ids``: rarest bigram, exact names first, then name order,
keyset paging), so both give the same answers in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Engine, bindparam, select
from sqlalchemy.orm import Session, defer

from xinyong.db.session import make_engine
from xinyong.publication.models import (
    PubCatalogueItem,
    PubCheckpoint,
    PubNameGram,
    PubOpenData,
    PubRecord,
    PubReport,
    PubState,
    PubSubject,
)
from xinyong.publication.store import STATE_ID, code_key
from xinyong.subjects import name_index

_INDEX = name_index.GramIndex(PubNameGram.gram, PubNameGram.name_key, PubNameGram.subject_id)


#: ``(type, brief JSON, body JSON)`` of the subject with a normalised code, or ``None``.
SubjectLookup = Callable[[str], tuple[str, str, str] | None]

_SUBJECT = select(PubSubject.type, PubSubject.brief, PubSubject.body).where(
    PubSubject.code_key == bindparam("key")
)


def subject(session: Session, code: str) -> tuple[str, str, str] | None:
    """``(type, brief JSON, body JSON)`` of the subject with this normalised code."""
    row = session.execute(_SUBJECT, {"key": code_key(code)}).first()
    return None if row is None else (row[0], row[1], row[2])


class SubjectReader:
    """:func:`subject` without a session, for the public server's hottest read (issue 16 item
    1): a pooled driver connection and the same statement, compiled once for the store's
    database. A session's set-up, its transaction and ORM rows cost several times the lookup.
    The three columns are plain text, so the driver's values need no conversion.

    On PostgreSQL the reader keeps a pool of its own in autocommit, without the pool's
    pre-ping and the rollback on return: one round trip a read. A connection found broken
    (the server restarted, a failover) is dropped and the read tried once more on a new one
    (SQLAlchemy's optimistic disconnect handling)."""

    def __init__(self, engine: Engine) -> None:
        if engine.dialect.name == "postgresql":
            engine = make_engine(
                engine.url.render_as_string(hide_password=False),
                pool_pre_ping=False,
                isolation_level="AUTOCOMMIT",
                pool_reset_on_return=None,
            )
        self.engine = engine
        self._sql = str(_SUBJECT.compile(dialect=engine.dialect))
        self._positional = engine.dialect.paramstyle in ("qmark", "format", "numeric")

    def __call__(self, code: str) -> tuple[str, str, str] | None:
        key = code_key(code)
        params: tuple[str] | dict[str, str] = (key,) if self._positional else {"key": key}
        row = self._read(params, again=True)
        return None if row is None else (str(row[0]), str(row[1]), str(row[2]))

    def _read(self, params: tuple[str] | dict[str, str], *, again: bool) -> Any:
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(self._sql, params)
                return cursor.fetchone()
            finally:
                cursor.close()
        except self.engine.dialect.loaded_dbapi.Error as exc:
            if not self.engine.dialect.is_disconnect(exc, connection.dbapi_connection, None):
                raise
            connection.invalidate(exc)  # discarded, never handed out again
            if not again:
                raise
        finally:
            connection.close()  # back to the pool
        return self._read(params, again=False)


def search_names(session: Session, key: str, *, limit: int, offset: int) -> list[str]:
    """Brief JSON of the organisations whose current or a former name key contains ``key``."""
    connection = session.connection()  # plain statements: nothing here needs the ORM
    page = name_index.matching_ids(connection, _INDEX, key, limit=limit, offset=offset)
    if not page:
        return []
    held = connection.execute(
        select(PubSubject.subject_id, PubSubject.brief).where(PubSubject.subject_id.in_(page))
    ).all()
    briefs = {int(sid): str(brief) for sid, brief in held}
    return [briefs[i] for i in page if i in briefs]


def open_data_index(session: Session) -> Sequence[PubOpenData]:
    """Every open-data file's description (not its content), newest day first."""
    return session.scalars(
        select(PubOpenData)
        .options(defer(PubOpenData.content))
        .order_by(PubOpenData.day.desc(), PubOpenData.item, PubOpenData.format)
    ).all()


def open_data_file(session: Session, item: str, day: date, fmt: str) -> PubOpenData | None:
    return session.get(PubOpenData, (item, day, fmt))


def report(session: Session, number: str) -> str | None:
    """The verification answer (JSON) of an issued report, or ``None``."""
    row = session.get(PubReport, number)
    return row.body if row is not None else None


def catalogue(session: Session) -> list[tuple[str, str]]:
    """``(tier, item JSON)`` of every catalogue item, by code."""
    rows = session.execute(
        select(PubCatalogueItem.tier, PubCatalogueItem.body).order_by(PubCatalogueItem.code)
    ).all()
    return [(str(t), str(b)) for t, b in rows]


def catalogue_item(session: Session, code: str) -> str | None:
    """One catalogue item's answer (JSON), or ``None``."""
    row = session.get(PubCatalogueItem, code)
    return row.body if row is not None else None


def checkpoint(session: Session) -> str | None:
    """The latest signed audit checkpoint (JSON), or ``None`` before the first."""
    row = session.get(PubCheckpoint, STATE_ID)
    return row.body if row is not None else None


def state(session: Session) -> PubState | None:
    return session.get(PubState, STATE_ID)


def records_of_items(session: Session, items: Sequence[str]) -> list[tuple[int, str, date, str]]:
    """``(record_id, item, day, body JSON)`` of every public record of these items: the store
    holds a record only while the public is served it (in its window, or its list entry in
    force), so these are exactly the items' public records in force."""
    rows = session.execute(
        select(PubRecord.record_id, PubRecord.item, PubRecord.day, PubRecord.body)
        .where(PubRecord.item.in_(sorted(items)))
        .order_by(PubRecord.day.desc(), PubRecord.record_id.desc())
    ).all()
    return [(int(r[0]), str(r[1]), r[2], str(r[3])) for r in rows]


def latest_records(session: Session, item: str, *, limit: int) -> list[str]:
    """Body JSON of the item's newest public records, newest decision day first (index
    ``ix_pub_record_item_day``)."""
    return [
        str(b)
        for b in session.scalars(
            select(PubRecord.body)
            .where(PubRecord.item == item)
            .order_by(PubRecord.day.desc(), PubRecord.record_id.desc())
            .limit(limit)
        )
    ]
