"""The organisation name index: fragment search without scanning the register (SUB-3, DIS-1).

A name fragment of two or more characters occurs in a name only if each of its two-character
substrings (bigrams) does. ``subject_name_gram`` holds one row per distinct bigram of every
current and former name key of an organisation, keyed ``(gram, name_key, subject_id)``, so the
rows of one bigram are stored in name order. A search:

1. counts the rows of the fragment's bigrams, each only up to :data:`GRAM_CAP`, in one
   statement, and takes the rarest bigram (none → no match);
2. reads that bigram's exact-name rows, then its other rows in name order, keeping those whose
   name contains the fragment, until the page is full (keyset paging, never OFFSET scans);
3. loads the page's subjects by primary key.

A rare bigram means a short range; a common one (every bigram common) usually means many
matches, so the ordered range fills the page early. Costs stay in milliseconds on a
provincial register (``bench/inquiry_latency.py``: 1 M subjects). Same SQL on SQLite and
PostgreSQL.

Rows are only ever added: a renamed organisation keeps its former name, which stays
searchable. Natural persons are never indexed (the public never finds a person by name).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import cast

from sqlalchemy import Connection, Table, func, insert, literal, select, tuple_
from sqlalchemy.orm import Session

from xinyong.db.bulk import TableWriter
from xinyong.subjects.models import Subject, SubjectNameGram, SubjectType
from xinyong.subjects.rules import name_grams

#: Bigram rows counted per bigram when choosing the rarest; above it a bigram is "common".
GRAM_CAP = 2000
#: At most this many of a long fragment's bigrams are counted (spread over the fragment).
MAX_GRAMS_COUNTED = 12
PERSON = SubjectType.NATURAL_PERSON.value
_G = SubjectNameGram


def gram_rows(subject_id: int, subject_type: str, key: str) -> list[tuple[str, str, int]]:
    """The index rows of one name key of a subject: ``(gram, name_key, subject_id)``."""
    if subject_type == PERSON:
        return []
    return [(g, key, subject_id) for g in sorted(name_grams(key))]


def index_name(session: Session, *, subject_id: int, subject_type: str, key: str) -> None:
    """Index a subject's (new) name key; a key it already had is left as it is."""
    rows = gram_rows(subject_id, subject_type, key)
    if not rows:
        return
    present = session.scalar(
        select(literal(1)).where(_G.subject_id == subject_id, _G.name_key == key).limit(1)
    )
    if present is None:
        session.execute(
            insert(_G), [{"gram": g, "name_key": k, "subject_id": s} for g, k, s in rows]
        )


def index_new_subjects(conn: Connection, subjects: Iterable[tuple[int, str, str]]) -> None:
    """Index subjects registered in bulk, ``(id, type, name_key)`` each, at the driver's
    bulk speed (``COPY`` on PostgreSQL)."""
    rows = [row for sid, stype, key in subjects for row in gram_rows(sid, stype, key)]
    if rows:
        table = cast(Table, _G.__table__)
        TableWriter(conn.dialect, table, ("gram", "name_key", "subject_id")).write(conn, rows)


def _like(key: str) -> str:
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _spread(grams: Sequence[str], n: int) -> list[str]:
    if len(grams) <= n:
        return list(grams)
    step = len(grams) / n
    return [grams[int(i * step)] for i in range(n)]


def _rarest(session: Session, grams: Sequence[str], cap: int) -> tuple[int, str]:
    counted = _spread(grams, MAX_GRAMS_COUNTED)
    counts = [
        select(func.count())
        .select_from(select(_G.gram).where(_G.gram == g).limit(cap).subquery())
        .scalar_subquery()
        for g in counted
    ]
    row = session.execute(select(*counts)).one()
    return min(zip((int(n) for n in row), counted, strict=True))


def search(
    session: Session, key: str, *, limit: int, offset: int = 0, cap: int = GRAM_CAP
) -> list[Subject]:
    """Organisations whose current or a former name key contains ``key`` (at least two
    characters), exact names first, then in name order; a subject appears once, at its
    first matching name."""
    grams = sorted(name_grams(key))
    if not grams or limit <= 0:
        return []
    found, gram = _rarest(session, grams, cap)
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
        batch = want - len(order) + 8  # a few spare rows for organisations matched twice
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
    loaded = {s.id: s for s in session.scalars(select(Subject).where(Subject.id.in_(page)))}
    return [loaded[i] for i in page if i in loaded]
