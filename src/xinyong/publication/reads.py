"""What the public server reads from the store: nothing here touches the core.

A read by code is one primary-key lookup of the stored answer. A name search walks the
store's copy of the organisation name index with the very walk ``subjects.name_index.search``
takes over the core's (``matching_ids``: rarest bigram, exact names first, then name order,
keyset paging), so both give the same answers in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, Engine, Select, bindparam, select
from sqlalchemy.orm import Session, defer

from xinyong.db.driver import DriverReads
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
from xinyong.publication.store import PUBLISHED, STATE_ID, code_key
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
    """:func:`subject` and :func:`search_names` without a session, for the public server's
    hottest reads (issue 16 item 1): the same statements, run through the driver
    (:class:`~xinyong.db.driver.DriverReads`: compiled once, one round trip each on
    PostgreSQL, a dropped connection replaced). Their columns are text and integers."""

    def __init__(self, engine: Engine) -> None:
        self.driver = DriverReads(engine)

    def __call__(self, code: str) -> tuple[str, str, str] | None:
        rows = self.driver.rows(_SUBJECT, {"key": code_key(code)})
        return (str(rows[0][0]), str(rows[0][1]), str(rows[0][2])) if rows else None

    def published(self) -> tuple[object, ...]:
        """How far the store is published (one primary-key read): answers made from the
        store may be kept under it, since a publication that changes the store changes it."""
        rows = self.driver.rows(PUBLISHED, {})
        return tuple(rows[0]) if rows else ()

    def names(self, key: str, *, limit: int, offset: int) -> list[str]:
        """:func:`search_names`, through the driver."""
        page = name_index.matching_ids(self.driver, _INDEX, key, limit=limit, offset=offset)
        if not page:
            return []
        held = self.driver.rows(_briefs(len(page)), {f"id{i}": sid for i, sid in enumerate(page)})
        return _in_order(page, held)


@cache
def _briefs(n: int) -> Select[int, str]:
    """The briefs of ``n`` subjects by id, built once per ``n`` (a page has at most 100)."""
    wanted: list[BindParameter[int]] = [bindparam(f"id{i}") for i in range(n)]
    return select(PubSubject.subject_id, PubSubject.brief).where(PubSubject.subject_id.in_(wanted))


def _in_order(page: Sequence[int], held: Sequence[Sequence[Any]]) -> list[str]:
    briefs = {int(sid): str(brief) for sid, brief in held}
    return [briefs[i] for i in page if i in briefs]


def search_names(session: Session, key: str, *, limit: int, offset: int) -> list[str]:
    """Brief JSON of the organisations whose current or a former name key contains ``key``."""
    connection = session.connection()  # plain statements: nothing here needs the ORM
    page = name_index.matching_ids(connection, _INDEX, key, limit=limit, offset=offset)
    if not page:
        return []
    held = connection.execute(
        select(PubSubject.subject_id, PubSubject.brief).where(PubSubject.subject_id.in_(page))
    ).all()
    return _in_order(page, held)


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
