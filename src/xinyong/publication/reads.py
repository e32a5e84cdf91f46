"""What the public server reads from the store: nothing here touches the core.

A read by code is one primary-key lookup of the stored answer. A name search walks the
store's copy of the organisation name index exactly as ``subjects.name_index.search`` walks
the core's (rarest bigram, exact names first, then name order, keyset paging), so both give
the same answers in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session, defer

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
from xinyong.subjects.rules import name_grams

GRAM_CAP = 2000
MAX_GRAMS_COUNTED = 12
_G = PubNameGram


def subject(session: Session, code: str) -> tuple[str, str, str] | None:
    """``(type, brief JSON, body JSON)`` of the subject with this normalised code."""
    row = session.execute(
        select(PubSubject.type, PubSubject.brief, PubSubject.body).where(
            PubSubject.code_key == code_key(code)
        )
    ).first()
    return None if row is None else (row[0], row[1], row[2])


def _like(key: str) -> str:
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _spread(grams: Sequence[str], n: int) -> list[str]:
    if len(grams) <= n:
        return list(grams)
    step = len(grams) / n
    return [grams[int(i * step)] for i in range(n)]


def _rarest(session: Session, grams: Sequence[str]) -> tuple[int, str]:
    counted = _spread(grams, MAX_GRAMS_COUNTED)
    counts = [
        select(func.count())
        .select_from(select(_G.gram).where(_G.gram == g).limit(GRAM_CAP).subquery())
        .scalar_subquery()
        for g in counted
    ]
    row = session.execute(select(*counts)).one()
    return min(zip((int(n) for n in row), counted, strict=True))


def search_names(session: Session, key: str, *, limit: int, offset: int) -> list[str]:
    """Brief JSON of the organisations whose current or a former name key contains ``key``."""
    grams = sorted(name_grams(key))
    if not grams or limit <= 0:
        return []
    found, gram = _rarest(session, grams)
    if found == 0:
        return []
    want = offset + limit
    exact = session.scalars(
        select(_G.subject_id).where(_G.gram == gram, _G.name_key == key).order_by(_G.subject_id)
    ).all()
    order: dict[int, None] = dict.fromkeys(exact)
    others = (
        select(_G.name_key, _G.subject_id)
        .where(_G.gram == gram, _G.name_key.like(_like(key), escape="\\"), _G.name_key != key)
        .order_by(_G.name_key, _G.subject_id)
    )
    after: tuple[str, int] | None = None
    while len(order) < want:
        batch = want - len(order) + 8
        query = (
            others if after is None else others.where(tuple_(_G.name_key, _G.subject_id) > after)
        )
        rows = session.execute(query.limit(batch)).all()
        order.update(dict.fromkeys(sid for _, sid in rows))
        if len(rows) < batch:
            break
        after = (rows[-1][0], rows[-1][1])
    page = list(order)[offset:want]
    if not page:
        return []
    held = session.execute(
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
