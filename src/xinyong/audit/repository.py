"""Every query of the audit log. Never commits.

The sequencer, tree and bulk writes go through Core statements: the sequencer and the tree
head must be re-read from the database under their locks (an ORM identity map could hand back
a stale copy), and Core ``executemany`` keeps batches cheap. The statements an append runs
(:data:`SEQUENCE`, :data:`INSERT_ENTRY`) are built once, at import: an inquiry pays for two
round trips, not for building them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Insert,
    Select,
    Table,
    Text,
    and_,
    bindparam,
    func,
    insert,
    or_,
    select,
    text,
    true,
    type_coerce,
    update,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import UpdateBase

from xinyong.audit import merkle
from xinyong.audit.models import (
    AuditCheckpoint,
    AuditEntry,
    AuditHead,
    AuditNode,
    AuditRoot,
    AuditSequence,
)
from xinyong.db.bulk import TableWriter
from xinyong.db.statements import run

HEAD_ID = 1
#: pg_advisory_xact_lock key covering the creation of the sequencer's row ("xinyong" in ASCII).
PG_LOCK_KEY = 0x78696E796F6E67
#: The same, for the tree head's row.
PG_TREE_LOCK_KEY = PG_LOCK_KEY + 1

entry_t = cast(Table, AuditEntry.__table__)
node_t = cast(Table, AuditNode.__table__)
head_t = cast(Table, AuditHead.__table__)
sequence_t = cast(Table, AuditSequence.__table__)
root_t = cast(Table, AuditRoot.__table__)

#: Take ``n`` seqs: the sequencer row's lock, held to the end of the transaction, and the new
#: size in one statement (SQLite takes the database write lock before reading; PostgreSQL the
#: row lock, and having waited for it returns the row as the previous holder committed it).
SEQUENCE = (
    update(sequence_t)
    .where(sequence_t.c.id == HEAD_ID)
    .values(size=sequence_t.c.size + bindparam("n"))
    .returning(sequence_t.c.size)
)
INSERT_ENTRY = insert(entry_t)
_LOCK_TREE = (
    update(head_t)
    .where(head_t.c.id == HEAD_ID)
    .values(size=head_t.c.size)
    .returning(head_t.c.size, head_t.c.frontier, head_t.c.root)
)
_READ_TREE = select(head_t.c.size, head_t.c.frontier, head_t.c.root).where(head_t.c.id == HEAD_ID)
_READ_SEQUENCE = select(sequence_t.c.size).where(sequence_t.c.id == HEAD_ID)


@dataclass(slots=True)
class Head:
    """The integrated tree: ``size`` entries, their frontier and root."""

    size: int
    frontier: list[bytes]
    root: bytes


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _create_once(session: Session, lock: Any, key: int, params: dict[str, Any]) -> Any:
    """Run the locking ``UPDATE … RETURNING`` ``lock``; ``None`` when its row does not exist
    yet, with the creation covered (PostgreSQL: an advisory lock, then the UPDATE again;
    SQLite: the write lock the UPDATE already took)."""
    row = run(session, lock, params).one_or_none()
    if row is None and _dialect(session) == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})
        row = run(session, lock, params).one_or_none()
    return row


def sequence(session: Session, n: int) -> int:
    """Take ``n`` consecutive seqs for this transaction; the first one. Holds the sequencer's
    lock until the transaction ends: appends are serialised and commit in seq order."""
    row = _create_once(session, SEQUENCE, PG_LOCK_KEY, {"n": n})
    if row is None:
        session.execute(insert(sequence_t).values(id=HEAD_ID, size=n))
        return 0
    return int(row.size) - n


def lock_sequence(session: Session) -> int:
    """Take the sequencer's lock without sequencing (a use case that integrates, then appends,
    takes it first: the lock order is sequencer, then tree); the log's size."""
    return sequence(session, 0)


def sequenced_size(session: Session) -> int:
    """How many entries the log holds (integrated or not)."""
    size = session.scalar(_READ_SEQUENCE)
    return 0 if size is None else int(size)


def lock_tree(session: Session) -> Head:
    """Take the integration lock for the rest of the transaction and read the tree head."""
    row = _create_once(session, _LOCK_TREE, PG_TREE_LOCK_KEY, {})
    if row is None:
        session.execute(
            insert(head_t).values(id=HEAD_ID, size=0, frontier=b"", root=merkle.EMPTY_ROOT)
        )
        return Head(0, [], merkle.EMPTY_ROOT)
    return Head(int(row.size), merkle.unpack_frontier(bytes(row.frontier)), bytes(row.root))


def read_head(session: Session) -> Head | None:
    """The integrated tree, as last committed (or as this transaction left it)."""
    row = session.execute(_READ_TREE).one_or_none()
    if row is None:
        return None
    return Head(int(row.size), merkle.unpack_frontier(bytes(row.frontier)), bytes(row.root))


def save_head(session: Session, head: Head) -> None:
    session.execute(
        update(head_t)
        .where(head_t.c.id == HEAD_ID)
        .values(size=head.size, frontier=merkle.pack_frontier(head.frontier), root=head.root)
    )


def insert_entries(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        run(session, INSERT_ENTRY, list(rows))


#: One entry's INSERT from binds named ``e_<column>`` (so that they do not meet the binds of
#: the statement it is run with, :func:`insert_entry_with`).
_INSERT_ENTRY_BOUND = insert(entry_t).values(
    {c.name: bindparam(f"e_{c.name}", type_=c.type) for c in entry_t.c}
)


@cache
def _insert_and_sequence(row_insert: Insert) -> Select[Any]:
    """``row_insert`` (``… RETURNING id``) and :data:`SEQUENCE` as one statement."""
    inserted, sequenced = row_insert.cte("inserted"), SEQUENCE.cte("sequenced")
    return select(inserted.c.id, sequenced.c.size).select_from(
        inserted.outerjoin(sequenced, true())
    )


@cache
def _entry_with(then: UpdateBase) -> UpdateBase:
    """``then`` with an entry's insert before it (a data-modifying CTE: always run, whole)."""
    return then.add_cte(_INSERT_ENTRY_BOUND.cte("entry"))


def insert_and_sequence(
    session: Session, row_insert: Insert, values: dict[str, Any], n: int
) -> tuple[int, int]:
    """Insert one row with ``row_insert`` (binds for its values, ``RETURNING id``) and take
    ``n`` seqs (:func:`sequence`, same lock); ``(row id, first seq)``. PostgreSQL: one round
    trip (a data-modifying ``WITH``); SQLite (no such ``WITH``): two statements."""
    if _dialect(session) == "postgresql":
        row: Any = run(session, _insert_and_sequence(row_insert), {**values, "n": n}).one()
        if row[1] is not None:
            return int(row[0]), int(row[1]) - n
        return int(row[0]), sequence(session, n)  # the sequencer's first use: create it
    row_id = int(run(session, row_insert, values).scalar_one())
    return row_id, sequence(session, n)


def insert_entry_with(
    session: Session, entry: dict[str, Any], then: UpdateBase, params: dict[str, Any]
) -> None:
    """Insert one entry and run the write ``then`` with ``params`` after it: one round trip on
    PostgreSQL, two statements on SQLite."""
    if _dialect(session) == "postgresql":
        bound = {f"e_{name}": value for name, value in entry.items()}
        run(session, _entry_with(then), {**params, **bound})
    else:
        insert_entries(session, [entry])
        run(session, then, params)


def pending_leaves(session: Session, *, start: int, limit: int) -> list[tuple[int, bytes, Any]]:
    """``(seq, leaf hash, at)`` of up to ``limit`` entries from seq ``start`` on, in order."""
    stmt = (
        select(entry_t.c.seq, entry_t.c.leaf_hash, entry_t.c.at)
        .where(entry_t.c.seq >= start)
        .order_by(entry_t.c.seq)
        .limit(limit)
    )
    return [(int(s), bytes(h), at) for s, h, at in session.execute(stmt)]


# Integration writes a batch's nodes and roots through the driver's bulk path (``COPY`` on
# PostgreSQL): an ``executemany`` hands the interpreter lock back and forth once per row, and
# beside a server's requests each of those hand-overs waits its turn (issue 16: integrating
# about 250 entries beside the inquiry benchmark took 135–264 ms that way, 40–60 ms by COPY).
def insert_nodes(session: Session, nodes: Sequence[tuple[merkle.Node, bytes]]) -> None:
    if nodes:
        conn = session.connection()
        writer = TableWriter(conn.dialect, node_t, ("level", "index", "hash"))
        writer.write(conn, [(lv, ix, h) for (lv, ix), h in nodes])


def insert_roots(session: Session, roots: Sequence[tuple[int, bytes]]) -> None:
    if roots:
        conn = session.connection()
        TableWriter(conn.dialect, root_t, ("size", "root")).write(conn, roots)


def roots_at(session: Session, sizes: Iterable[int]) -> dict[int, bytes]:
    """The stored roots at ``sizes`` (those that exist)."""
    wanted = sorted(set(sizes))
    found: dict[int, bytes] = {}
    for i in range(0, len(wanted), 500):
        stmt = select(root_t.c.size, root_t.c.root).where(root_t.c.size.in_(wanted[i : i + 500]))
        found.update({int(n): bytes(r) for n, r in session.execute(stmt)})
    return found


def roots_between(session: Session, lo: int, hi: int) -> dict[int, bytes]:
    """The stored roots at sizes ``lo < size <= hi``."""
    stmt = select(root_t.c.size, root_t.c.root).where(root_t.c.size > lo, root_t.c.size <= hi)
    return {int(n): bytes(r) for n, r in session.execute(stmt)}


def get_nodes(session: Session, wanted: Iterable[merkle.Node]) -> dict[merkle.Node, bytes]:
    """The hashes of ``wanted`` nodes: leaves from ``audit_entry``, the rest from ``audit_node``."""
    wanted = set(wanted)
    leaves = [ix for lv, ix in wanted if lv == 0]
    inner = [(lv, ix) for lv, ix in wanted if lv > 0]
    found: dict[merkle.Node, bytes] = {}
    if leaves:
        rows = session.execute(
            select(entry_t.c.seq, entry_t.c.leaf_hash).where(entry_t.c.seq.in_(leaves))
        )
        found.update({(0, int(seq)): bytes(h) for seq, h in rows})
    if inner:
        cond = or_(*(and_(node_t.c.level == lv, node_t.c["index"] == ix) for lv, ix in inner))
        stmt = select(node_t.c.level, node_t.c["index"], node_t.c.hash).where(cond)
        found.update({(int(lv), int(ix)): bytes(h) for lv, ix, h in session.execute(stmt)})
    return found


def entries_page(
    session: Session, *, after: int, limit: int, below: int | None = None
) -> Sequence[AuditEntry]:
    """Up to ``limit`` entries with seq greater than ``after`` (and less than ``below``)."""
    stmt = select(AuditEntry).where(AuditEntry.seq > after)
    if below is not None:
        stmt = stmt.where(AuditEntry.seq < below)
    return session.scalars(stmt.order_by(AuditEntry.seq).limit(limit)).all()


def leaf_of(session: Session, seq: int) -> bytes | None:
    h = session.scalar(select(entry_t.c.leaf_hash).where(entry_t.c.seq == seq))
    return None if h is None else bytes(h)


def max_seq(session: Session) -> int:
    """The highest seq in the log, -1 when it is empty."""
    top = session.scalar(select(func.max(entry_t.c.seq)))
    return -1 if top is None else int(top)


def latest_checkpoint(session: Session) -> AuditCheckpoint | None:
    stmt = select(AuditCheckpoint).order_by(AuditCheckpoint.size.desc(), AuditCheckpoint.id.desc())
    return session.scalars(stmt.limit(1)).first()


def all_checkpoints(session: Session) -> Sequence[AuditCheckpoint]:
    stmt = select(AuditCheckpoint).order_by(AuditCheckpoint.size, AuditCheckpoint.id)
    return session.scalars(stmt).all()


def _iso_at(dialect: str) -> ColumnElement[str]:
    """``at`` as canonical ISO UTC text (``…T02:00:00.000000Z``), formatted by the database:
    parsing a datetime per row in Python would cost more than the hashing."""
    if dialect == "postgresql":
        fmt = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'
        return func.to_char(func.timezone("UTC", entry_t.c.at), fmt)
    # SQLite keeps SQLAlchemy's "YYYY-MM-DD HH:MM:SS.ffffff" UTC text.
    return func.replace(type_coerce(entry_t.c.at, Text), " ", "T").concat("Z")


#: Columns after ``seq`` and ``at`` in the order :func:`xinyong.audit.canonical.entry_bytes`
#: takes them, then the stored leaf hash. JSON columns come back as stored text.
_VERIFY_REST = (
    entry_t.c.actor_id,
    entry_t.c.actor_name,
    entry_t.c.actor_role,
    entry_t.c.org_id,
    entry_t.c.org_name,
    entry_t.c.request_id,
    entry_t.c.tag,
    entry_t.c.object_type,
    entry_t.c.object_id,
    entry_t.c.subject_id,
    type_coerce(entry_t.c.before, Text),
    type_coerce(entry_t.c.after, Text),
    entry_t.c.reason,
    entry_t.c.leaf_hash,
)


def stream_entries(session: Session, *, chunk: int = 10_000) -> Iterator[Sequence[Any]]:
    """Every entry in seq order with the stored root after it (``None`` while it waits for
    integration) as its last column (see :func:`stream_entry_chunks`)."""
    for rows in stream_entry_chunks(session, chunk=chunk, roots=True):
        yield from rows


def entry_scan_sql(
    dialect: Dialect, start: int | None = None, end: int | None = None, *, roots: bool = False
) -> str:
    """The SQL text of the verification scan over seqs ``[start, end)`` (whole log by default):
    ``seq``, canonical ``at``, the rest of :func:`~xinyong.audit.canonical.entry_bytes`'s
    arguments, then the stored leaf hash and, with ``roots``, the stored root at size
    ``seq + 1`` (``NULL`` until integrated). Integer bounds only, rendered inline."""
    columns = [entry_t.c.seq, _iso_at(dialect.name), *_VERIFY_REST]
    source: Any = entry_t
    if roots:
        columns.append(root_t.c.root)
        source = entry_t.outerjoin(root_t, root_t.c.size == entry_t.c.seq + 1)
    stmt = select(*columns).select_from(source).order_by(entry_t.c.seq)
    if start is not None:
        stmt = stmt.where(entry_t.c.seq >= int(start))
    if end is not None:
        stmt = stmt.where(entry_t.c.seq < int(end))
    return str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def scan_entries(
    dbapi_connection: Any, sql: str, *, chunk: int = 10_000
) -> Iterator[Sequence[Sequence[Any]]]:
    """Rows of :func:`entry_scan_sql` through the driver's own cursor, in lists of ``chunk``
    rows: no per-row result processing (the scan runs at about twice SQLAlchemy's row rate).
    On PostgreSQL a named (server-side) cursor keeps memory flat whatever the log's size; it
    needs the transaction the caller's connection is in."""
    if type(dbapi_connection).__module__.startswith("psycopg"):
        cursor = dbapi_connection.cursor(name="xinyong_audit_scan")
    else:
        cursor = dbapi_connection.cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(chunk):
            yield rows
    finally:
        cursor.close()


def stream_entry_chunks(
    session: Session, *, chunk: int = 10_000, roots: bool = False
) -> Iterator[Sequence[Sequence[Any]]]:
    """Every entry in seq order (the columns of :func:`entry_scan_sql`), in lists of ``chunk``
    rows, read in the session's transaction (so a caller sees its own appends) with flat
    memory."""
    connection = session.connection()
    sql = entry_scan_sql(connection.dialect, roots=roots)
    yield from scan_entries(connection.connection.driver_connection, sql, chunk=chunk)
