"""Every query of the audit log. Never commits.

The head, node and bulk entry writes go through Core statements: the head must be re-read
from the database under the lock on every append (an ORM identity map could hand back a
stale copy), and Core ``executemany`` keeps bulk appends cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Table,
    Text,
    and_,
    func,
    insert,
    or_,
    select,
    text,
    type_coerce,
    update,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from xinyong.audit import merkle
from xinyong.audit.models import AuditCheckpoint, AuditEntry, AuditHead, AuditNode

HEAD_ID = 1
#: pg_advisory_xact_lock key serialising appends ("xinyong" in ASCII, as a number).
PG_LOCK_KEY = 0x78696E796F6E67

entry_t = cast(Table, AuditEntry.__table__)
node_t = cast(Table, AuditNode.__table__)
head_t = cast(Table, AuditHead.__table__)


@dataclass(slots=True)
class Head:
    size: int
    frontier: list[bytes]
    root: bytes


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def lock_head(session: Session) -> Head:
    """Take the append lock for the rest of the transaction and read the head, in one
    statement once the head row exists.

    A no-op ``UPDATE … RETURNING`` on the head row is the lock: SQLite takes the database write
    lock before reading; PostgreSQL takes the row lock and, having waited for it, returns the
    row as the previous holder committed it (so appends are serialised). Creating the head
    row (the very first append) is covered by a transaction-scoped advisory lock on
    PostgreSQL and by the write lock the UPDATE already took on SQLite.
    """
    lock = (
        update(head_t)
        .where(head_t.c.id == HEAD_ID)
        .values(size=head_t.c.size)
        .returning(head_t.c.size, head_t.c.frontier, head_t.c.root)
    )
    row = session.execute(lock).one_or_none()
    if row is None and _dialect(session) == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_LOCK_KEY})
        row = session.execute(lock).one_or_none()
    if row is None:
        session.execute(
            insert(head_t).values(id=HEAD_ID, size=0, frontier=b"", root=merkle.EMPTY_ROOT)
        )
        return Head(0, [], merkle.EMPTY_ROOT)
    return Head(int(row.size), merkle.unpack_frontier(bytes(row.frontier)), bytes(row.root))


def read_head(session: Session) -> Head | None:
    row = session.execute(
        select(head_t.c.size, head_t.c.frontier, head_t.c.root).where(head_t.c.id == HEAD_ID)
    ).one_or_none()
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
        session.execute(insert(entry_t), list(rows))


def insert_nodes(session: Session, nodes: Sequence[tuple[merkle.Node, bytes]]) -> None:
    if nodes:
        session.execute(
            insert(node_t), [{"level": lv, "index": ix, "hash": h} for (lv, ix), h in nodes]
        )


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


def entries_page(session: Session, *, after: int, limit: int) -> Sequence[AuditEntry]:
    stmt = select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq).limit(limit)
    return session.scalars(stmt).all()


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
#: takes them, then the stored leaf hash and root. JSON columns come back as stored text.
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
    entry_t.c.root,
)


def stream_entries(session: Session, *, chunk: int = 10_000) -> Iterator[Sequence[Any]]:
    """Every entry in seq order (see :func:`stream_entry_chunks`)."""
    for rows in stream_entry_chunks(session, chunk=chunk):
        yield from rows


def entry_scan_sql(dialect: Dialect, start: int | None = None, end: int | None = None) -> str:
    """The SQL text of the verification scan over seqs ``[start, end)`` (whole log by default):
    ``seq``, canonical ``at``, the rest of :func:`~xinyong.audit.canonical.entry_bytes`'s
    arguments, then the stored leaf hash and root. Integer bounds only, rendered inline."""
    stmt = select(entry_t.c.seq, _iso_at(dialect.name), *_VERIFY_REST).order_by(entry_t.c.seq)
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
    session: Session, *, chunk: int = 10_000
) -> Iterator[Sequence[Sequence[Any]]]:
    """Every entry in seq order, in lists of ``chunk`` rows, read in the session's
    transaction (so a caller sees its own appends) with flat memory."""
    connection = session.connection()
    sql = entry_scan_sql(connection.dialect)
    yield from scan_entries(connection.connection.driver_connection, sql, chunk=chunk)
