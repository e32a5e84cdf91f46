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

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    CTE,
    Connection,
    ScalarSelect,
    Select,
    String,
    Table,
    bindparam,
    func,
    insert,
    literal,
    select,
    text,
    true,
    tuple_,
    union_all,
)
from sqlalchemy import cast as cast_
from sqlalchemy.orm import InstrumentedAttribute, Session

from xinyong.db.bulk import TableWriter
from xinyong.db.driver import DriverReads, Statement
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


def index_new_subjects(conn: Connection, subjects: Sequence[tuple[int, str, str]]) -> None:
    """Index subjects registered in bulk, ``(id, type, name_key)`` each, just written in this
    transaction: the database makes the rows from the stored keys itself — on PostgreSQL by
    their ids (:data:`_GRAMS_OF_IDS`), on SQLite when the ids run without a gap
    (:data:`_GRAMS_OF_RANGE`); otherwise they are made here and written at the driver's bulk
    speed."""
    if not subjects:
        return
    first, last = subjects[0][0], subjects[-1][0]
    if conn.dialect.name == "postgresql":
        conn.execute(_NO_JIT)
        conn.execute(_GRAMS_OF_IDS, {"ids": [sid for sid, _, _ in subjects], "person": PERSON})
        return
    if conn.dialect.name == "sqlite" and last - first + 1 == len(subjects):
        conn.execute(_GRAMS_OF_RANGE, {"first": first, "last": last, "person": PERSON})
        return
    rows = [row for sid, stype, key in subjects for row in gram_rows(sid, stype, key)]
    if rows:
        table = cast(Table, _G.__table__)
        TableWriter(conn.dialect, table, ("gram", "name_key", "subject_id")).write(conn, rows)


#: The index rows of the subjects ``first`` to ``last``, made from their stored name keys:
#: each distinct two-character substring, as :func:`name_grams` (``length`` and ``substr``
#: count characters, as Python does). Saves building and binding a row per bigram in Python
#: (a 20 k-row import registers 16 k organisations: 228 k rows). A bigram a name repeats is
#: left out by the primary key (``OR IGNORE``: the ids are new, so nothing else can conflict,
#: and foreign keys are not subject to it) rather than by ``DISTINCT``, which sorted every row
#: into a temporary index first (the import of 20 k rows: 1.76–1.83 → 1.57–1.70 s).
_GRAMS_OF_RANGE = text(
    "WITH RECURSIVE at(i) AS ("
    " SELECT 1 UNION ALL SELECT i + 1 FROM at"
    " WHERE i < (SELECT max(length(name_key)) FROM subject WHERE id BETWEEN :first AND :last))"
    " INSERT OR IGNORE INTO subject_name_gram (gram, name_key, subject_id)"
    " SELECT substr(s.name_key, at.i, 2), s.name_key, s.id"
    " FROM subject AS s JOIN at ON at.i < length(s.name_key)"
    " WHERE s.id BETWEEN :first AND :last AND s.type != :person"
)


#: :data:`_GRAMS_OF_RANGE` on PostgreSQL, for any set of ids (a sequence shared with other
#: writers may leave gaps): ``substr`` and ``length`` count characters in a UTF-8 database.
#: On the laptop benchmark's 20 k-row import, making the 228 k rows in Python and copying
#: them in took about a sixth of the importing process's time.
_GRAMS_OF_IDS = text(
    "INSERT INTO subject_name_gram (gram, name_key, subject_id)"
    " SELECT DISTINCT substr(s.name_key, i, 2), s.name_key, s.id"
    " FROM subject AS s CROSS JOIN LATERAL generate_series(1, length(s.name_key) - 1) AS i"
    " WHERE s.id = ANY(:ids) AND s.type != :person"
)


#: Before :data:`_GRAMS_OF_IDS`, for the rest of the chunk's transaction. PostgreSQL counts
#: 1,000 rows for each ``generate_series`` call (about 15 here), so it judged every chunk's
#: statement above ``jit_above_cost`` and compiled it: about 90 of 300 ms a chunk
#: of 2,000 rows (the 20 k-row import, alternating, median of five: 4.58 → 3.99 s). ``LOCAL``:
#: the pooled connection's next transaction plans as configured.
_NO_JIT = text("SET LOCAL jit = off")


def _like(key: str) -> str:
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _spread(grams: Sequence[str], n: int) -> list[str]:
    if len(grams) <= n:
        return list(grams)
    step = len(grams) / n
    return [grams[int(i * step)] for i in range(n)]


@dataclass(frozen=True, slots=True)
class GramIndex:
    """The columns of a table of index rows ``(gram, name_key, subject_id)``: the core's, or
    the copy the publication store keeps (``publication.reads`` walks it the same way)."""

    gram: InstrumentedAttribute[str]
    name_key: InstrumentedAttribute[str]
    subject_id: InstrumentedAttribute[int]


CORE_INDEX = GramIndex(_G.gram, _G.name_key, _G.subject_id)


@dataclass(frozen=True, slots=True)
class _Walk:
    """The walk's statements over one index, built once with bound parameters: building a
    statement anew on every search cost more than running it."""

    #: For 1, 2, … grams counted: the first batch in one statement (one round trip) — the
    #: rarest gram (fewest rows, counted up to ``cap``; then the first in order), the exact
    #: names under it by id, then up to ``batch`` other names under it in name order, as
    #: ``(0 exact / 1 other, name_key, subject_id, gram)``.
    first: tuple[Select[Any], ...]
    #: The same first batch in three steps, for SQLite (no round trips, and its planner runs
    #: the three lighter statements faster than the one): for 1, 2, … grams counted, how
    #: many rows each has up to ``cap``; the exact names under a gram; the first other names.
    counts: tuple[Select[Any], ...]
    exact: Select[int]
    others: Select[str, int]
    #: Further names in name order after a ``(name_key, id)``, under a gram already chosen.
    others_after: Select[str, int]


@cache
def _walk(index: GramIndex) -> _Walk:
    def capped(i: int) -> ScalarSelect[Any]:
        """How many index rows gram ``g{i}`` has, counted up to ``cap``."""
        rows = select(index.gram).where(index.gram == bindparam(f"g{i}"))
        return (
            select(func.count()).select_from(rows.limit(bindparam("cap")).subquery())
        ).scalar_subquery()

    def rarest(n: int) -> CTE:
        counted = [
            select(cast_(bindparam(f"g{i}"), String).label("g"), capped(i).label("n"))
            for i in range(n)
        ]
        each = (counted[0] if n == 1 else union_all(*counted)).subquery("counted")
        # Counted once per statement: both arms below read it (a scalar subquery in each
        # place would count the grams again in each).
        return (
            select(each.c.g)
            .order_by(each.c.n, each.c.g)
            .limit(1)
            .cte("rarest")
            .prefix_with("MATERIALIZED")
        )

    def counted(n: int) -> Select[Any]:
        return select(*(capped(i) for i in range(n)))

    def other_names(gram: Any, *columns: Any) -> Select[Any]:
        """``columns`` of the names under ``gram`` that contain the key but are not it, in
        name order."""
        return (
            select(*columns, index.name_key, index.subject_id)
            .where(
                index.gram == gram,
                index.name_key.like(bindparam("like"), escape="\\"),
                index.name_key != bindparam("key"),
            )
            .order_by(index.name_key, index.subject_id)
        )

    def first(n: int) -> Select[Any]:
        rare = rarest(n)
        gram = rare.c.g
        exact = select(
            literal(0).label("k"), index.name_key, index.subject_id, gram.label("gram")
        ).where(index.gram == gram, index.name_key == bindparam("key"))
        # LATERAL: the names are read under the chosen gram as under a constant, in the
        # primary key's order, and the read stops at ``batch`` — a plain join sorted every
        # name under the gram first (thousands under a common one such as 公司).
        others = (
            other_names(gram, literal(1).label("k")).limit(bindparam("batch")).lateral("others")
        )
        later = select(others, gram.label("gram")).select_from(rare.join(others, true()))
        both = union_all(exact, later).subquery("found")
        return select(both).order_by(both.c.k, both.c.name_key, both.c.subject_id)

    others = other_names(bindparam("gram"))
    after = tuple_(index.name_key, index.subject_id) > tuple_(
        bindparam("after_key"), bindparam("after_id")
    )
    return _Walk(
        first=tuple(first(n) for n in range(1, MAX_GRAMS_COUNTED + 1)),
        counts=tuple(counted(n) for n in range(1, MAX_GRAMS_COUNTED + 1)),
        exact=select(index.subject_id)
        .where(index.gram == bindparam("gram"), index.name_key == bindparam("key"))
        .order_by(index.subject_id),
        others=others.limit(bindparam("batch")),
        others_after=others.where(after).limit(bindparam("batch")),
    )


#: Where the walk runs: a session, a connection (plain statements, no ORM), or the driver
#: itself (``db.driver.DriverReads``: the public server's search).
Source = Session | Connection | DriverReads


def _rows(source: Source, statement: Statement, params: dict[str, Any]) -> Sequence[Any]:
    if isinstance(source, DriverReads):
        return source.rows(statement, params)
    return source.execute(statement, params).all()


def _dialect(source: Source) -> str:
    if isinstance(source, DriverReads):
        return source.engine.dialect.name
    if isinstance(source, Connection):
        return source.dialect.name
    return source.get_bind().dialect.name


def _first_in_steps(
    source: Source, walk: _Walk, counted: Sequence[str], params: dict[str, Any]
) -> list[tuple[int, str, int, str]]:
    """The rows of ``walk.first`` (``(0 / 1, name_key, subject_id, gram)``) in three steps."""
    (row,) = _rows(source, walk.counts[len(counted) - 1], params)
    found, gram = min(zip((int(n) for n in row), counted, strict=True))
    if found == 0:
        return []
    key = params["key"]
    exact = _rows(source, walk.exact, {"gram": gram, "key": key})
    others = _rows(source, walk.others, params | {"gram": gram})
    return [(0, key, int(sid), gram) for (sid,) in exact] + [
        (1, k, int(sid), gram) for k, sid in others
    ]


def matching_ids(
    session: Source,
    index: GramIndex,
    key: str,
    *,
    limit: int,
    offset: int = 0,
    cap: int = GRAM_CAP,
) -> list[int]:
    """Ids of the organisations in ``index`` whose current or a former name key contains
    ``key`` (at least two characters), exact names first, then in name order; a subject
    appears once, at its first matching name. ``session``: where it runs (:data:`Source`).

    The walk's first batch is one statement on PostgreSQL and three lighter ones on SQLite
    (:class:`_Walk`); a page that needs more names than it brought (organisations matched
    under several former names) reads on by name."""
    grams = sorted(name_grams(key))
    if not grams or limit <= 0:
        return []
    walk = _walk(index)
    counted = _spread(grams, MAX_GRAMS_COUNTED)
    want = offset + limit
    batch = want + 8  # a few spare rows for organisations matched twice
    params: dict[str, Any] = {f"g{i}": g for i, g in enumerate(counted)}
    params |= {"cap": cap, "key": key, "like": _like(key), "batch": batch}
    rows: Sequence[Sequence[Any]]
    if _dialect(session) == "sqlite":
        rows = _first_in_steps(session, walk, counted, params)
    else:  # one round trip
        rows = _rows(session, walk.first[len(counted) - 1], params)
    order: dict[int, None] = dict.fromkeys(int(row[2]) for row in rows)
    others = [row for row in rows if row[0] == 1]
    while len(order) < want and len(others) == batch:
        last = others[-1]
        batch = want - len(order) + 8
        after = {"gram": last[3], "batch": batch, "after_key": last[1], "after_id": last[2]}
        more = _rows(session, walk.others_after, params | after)
        order.update(dict.fromkeys(int(sid) for _, sid in more))
        others = [(1, k, sid, last[3]) for k, sid in more]
    return list(order)[offset:want]


def search(
    session: Session, key: str, *, limit: int, offset: int = 0, cap: int = GRAM_CAP
) -> list[Subject]:
    """The organisations of :func:`matching_ids` in the core's index, loaded in that order."""
    page = matching_ids(session, CORE_INDEX, key, limit=limit, offset=offset, cap=cap)
    if not page:
        return []
    loaded = {s.id: s for s in session.scalars(select(Subject).where(Subject.id.in_(page)))}
    return [loaded[i] for i in page if i in loaded]
