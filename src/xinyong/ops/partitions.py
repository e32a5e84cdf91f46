"""Monthly range partitions of the large append-only tables on PostgreSQL (issue 15 item 5).

Partitioned by ``at`` (the platform's local months, Asia/Shanghai):

- ``audit_entry`` — primary key ``(seq, at)``. ``seq`` stays unique because every append
  takes the audit lock (``pg_advisory_xact_lock``) and numbers the entry after the head.
- ``inquiry`` — primary key ``(id, at)``; ``id`` comes from its sequence.

Not partitioned: ``record_version``. PostgreSQL enforces a unique constraint on a partitioned
table only if it includes the partition key, and ``(record_id, version)`` is what refuses the
second of two concurrent amendments that both computed version n+1 (the record row is not
locked). With ``at`` added the constraint would no longer catch them, so the table stays one
heap; its size is one row per delivered version, indexed by ``record_id``.

No foreign key points at these tables (a partitioned table can be referenced only through a
unique key including the partition key, so that is checked when partitioning).

Each table has a ``DEFAULT`` partition for rows outside the months created (an instant far in
the past from a training clock, a month nobody created ahead). Creating a month moves its rows
out of the default partition first, in the same transaction. The worker's ``partitions`` job
creates the current month and :data:`MONTHS_AHEAD` more every day (:func:`ensure_ahead`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, text

from xinyong.core.clock import PLATFORM_ZONE

TABLES = ("audit_entry", "inquiry")
KEY = "at"
#: Months created beyond the current one.
MONTHS_AHEAD = 3


_PARTITION_NAME = re.compile(rf"^({'|'.join(TABLES)})_(p\d{{4}}_\d{{2}}|default)$")


def include_name(name: str | None, type_: str, _parents: Mapping[str, str | None]) -> bool:
    """Alembic's ``include_name``: the partitions (and their indexes) are the database's, made
    by this module, not tables of the models — comparing models and schema skips them."""
    if type_ == "table" and name is not None:
        return _PARTITION_NAME.match(name) is None
    return True


@dataclass(frozen=True, slots=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, at: datetime) -> Month:
        local = at.astimezone(PLATFORM_ZONE)
        return cls(local.year, local.month)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def start(self) -> str:
        """The first instant of the month in the platform zone, as a timestamptz literal."""
        return f"{date(self.year, self.month, 1).isoformat()} 00:00:00+08:00"

    def suffix(self) -> str:
        return f"p{self.year:04d}_{self.month:02d}"


def is_partitioned(conn: Connection, table: str) -> bool:
    if conn.dialect.name != "postgresql":
        return False
    found = conn.execute(
        text(
            "SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
            "WHERE c.relname = :t AND c.relnamespace = current_schema()::regnamespace"
        ),
        {"t": table},
    ).first()
    return found is not None


def partitions(conn: Connection, table: str) -> list[str]:
    """Names of ``table``'s partitions (PostgreSQL), sorted."""
    rows = conn.execute(
        text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = :t ORDER BY c.relname"
        ),
        {"t": table},
    ).scalars()
    return list(rows)


def create_month(conn: Connection, table: str, month: Month) -> bool:
    """Create ``table``'s partition of ``month`` unless it exists; rows of that month already in
    the default partition move into it. True when created."""
    name = f"{table}_{month.suffix()}"
    exists = conn.execute(text("SELECT to_regclass(:n)"), {"n": name}).scalar()
    if exists is not None:
        return False
    lo, hi = month.start(), month.next().start()
    default = f"{table}_default"
    conn.execute(text(f'CREATE TABLE "{name}" (LIKE "{table}" INCLUDING DEFAULTS)'))
    conn.execute(
        text(
            f'WITH moved AS (DELETE FROM "{default}" WHERE "{KEY}" >= :lo AND "{KEY}" < :hi '
            f'RETURNING *) INSERT INTO "{name}" SELECT * FROM moved'
        ),
        {"lo": lo, "hi": hi},
    )
    conn.execute(
        text(
            f'ALTER TABLE "{table}" ATTACH PARTITION "{name}" '
            f"FOR VALUES FROM ('{lo}') TO ('{hi}')"
        )
    )
    return True


def ensure_ahead(conn: Connection, at: datetime, months: int = MONTHS_AHEAD) -> list[str]:
    """Create the partitions of the current month and ``months`` more for every partitioned
    table; returns the names created (none on SQLite, or where the table is not partitioned)."""
    created: list[str] = []
    for table in TABLES:
        if not is_partitioned(conn, table):
            continue
        month = Month.of(at)
        for _ in range(months + 1):
            if create_month(conn, table, month):
                created.append(f"{table}_{month.suffix()}")
            month = month.next()
    return created


def partition_table(conn: Connection, table: str, pk: tuple[str, ...], at: datetime) -> None:
    """Turn the plain ``table`` into one range-partitioned by month on ``at`` (PostgreSQL), its
    rows, indexes, column defaults and sequences kept; primary key ``pk`` (must hold ``at``)."""
    referenced = conn.execute(
        text(
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND confrelid = to_regclass(:t)"
        ),
        {"t": table},
    ).scalar_one()
    if referenced:
        raise RuntimeError(f"{table} is referenced by foreign keys: cannot partition it")
    indexes = _index_definitions(conn, table)
    sequences = _owned_sequences(conn, table)
    old = f"{table}_unpartitioned"
    conn.execute(text(f'ALTER TABLE "{table}" RENAME TO "{old}"'))
    for seq, _column in sequences:
        conn.execute(text(f'ALTER SEQUENCE "{seq}" OWNED BY NONE'))
    conn.execute(
        text(
            f'CREATE TABLE "{table}" (LIKE "{old}" INCLUDING DEFAULTS) PARTITION BY RANGE ("{KEY}")'
        )
    )
    conn.execute(text(f'CREATE TABLE "{table}_default" PARTITION OF "{table}" DEFAULT'))
    first = conn.execute(text(f'SELECT min("{KEY}") FROM "{old}"')).scalar()
    month = Month.of(first if first is not None else at)
    last = Month.of(at)
    while (month.year, month.month) <= (last.year, last.month):
        create_month(conn, table, month)
        month = month.next()
    ensure_ahead(conn, at)
    conn.execute(text(f'INSERT INTO "{table}" SELECT * FROM "{old}"'))
    conn.execute(text(f'DROP TABLE "{old}"'))
    cols = ", ".join(f'"{c}"' for c in pk)
    conn.execute(text(f'ALTER TABLE "{table}" ADD CONSTRAINT "pk_{table}" PRIMARY KEY ({cols})'))
    for ddl in indexes:
        conn.execute(text(ddl))
    for seq, column in sequences:
        conn.execute(text(f'ALTER SEQUENCE "{seq}" OWNED BY "{table}"."{column}"'))


def _index_definitions(conn: Connection, table: str) -> list[str]:
    """The ``CREATE INDEX`` statements of ``table``'s indexes but its primary key."""
    return list(
        conn.execute(
            text(
                "SELECT indexdef FROM pg_indexes WHERE tablename = :t "
                "AND schemaname = current_schema() AND indexname <> :pk"
            ),
            {"t": table, "pk": f"pk_{table}"},
        ).scalars()
    )


def _owned_sequences(conn: Connection, table: str) -> list[tuple[str, str]]:
    """(sequence, column) of the sequences ``table``'s columns own (serial ids)."""
    return [
        (seq, column)
        for seq, column in conn.execute(
            text(
                "SELECT s.relname, a.attname FROM pg_depend d "
                "JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' "
                "JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
                "WHERE d.refobjid = to_regclass(:t) AND d.deptype = 'a'"
            ),
            {"t": table},
        )
    ]


def unpartition_table(conn: Connection, table: str, pk: tuple[str, ...]) -> None:
    """The reverse of :func:`partition_table` (downgrade)."""
    indexes = _index_definitions(conn, table)
    old = f"{table}_partitioned"
    conn.execute(text(f'ALTER TABLE "{table}" RENAME TO "{old}"'))
    for name in conn.execute(
        text("SELECT indexname FROM pg_indexes WHERE tablename = :t AND indexname <> :pk"),
        {"t": old, "pk": f"pk_{table}"},
    ).scalars():
        conn.execute(text(f'ALTER INDEX "{name}" RENAME TO "{name}_old"'))
    conn.execute(text(f'ALTER TABLE "{old}" RENAME CONSTRAINT "pk_{table}" TO "pk_{table}_old"'))
    conn.execute(text(f'CREATE TABLE "{table}" (LIKE "{old}" INCLUDING DEFAULTS)'))
    conn.execute(text(f'INSERT INTO "{table}" SELECT * FROM "{old}"'))
    sequences = _owned_sequences(conn, old)
    for seq, _column in sequences:
        conn.execute(text(f'ALTER SEQUENCE "{seq}" OWNED BY NONE'))
    conn.execute(text(f'DROP TABLE "{old}" CASCADE'))
    cols = ", ".join(f'"{c}"' for c in pk)
    conn.execute(text(f'ALTER TABLE "{table}" ADD CONSTRAINT "pk_{table}" PRIMARY KEY ({cols})'))
    for ddl in indexes:
        conn.execute(text(ddl.replace(" ONLY ", " ")))
    for seq, column in sequences:
        conn.execute(text(f'ALTER SEQUENCE "{seq}" OWNED BY "{table}"."{column}"'))
