"""The bulk path stores exactly what an ordinary insert stores, and allocates fresh keys
(``xinyong.db.bulk``, used by file delivery), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Enum,
    Integer,
    MetaData,
    Table,
    insert,
    select,
    text,
)
from sqlalchemy.orm import Session

from xinyong.db.bulk import TableWriter, allocate_ids
from xinyong.db.types import UTCDateTime
from xinyong.records.models import RecordStatus
from xinyong.subjects.models import Subject

AT = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)


def _raw(db: Session, table: str, ids: list[int]) -> list[tuple[Any, ...]]:
    """Rows as the database holds them, without the column types' conversions."""
    listed = ", ".join(str(i) for i in ids)
    rows = db.execute(text(f"SELECT * FROM {table} WHERE id IN ({listed}) ORDER BY id"))
    return [tuple(r)[1:] for r in rows]  # the id differs by construction


def test_subjects_written_in_bulk_are_stored_as_inserted(db: Session) -> None:
    table = cast(Table, Subject.__table__)
    conn = db.connection()
    values = {
        "type": "legal_person",
        "id_kind": "uscc",
        "id_verified": True,
        "name": "贵州测试商贸有限公司",
        "name_key": "贵州测试商贸有限公司",
        "created_at": AT,
    }
    inserted = conn.execute(
        insert(table).returning(table.c.id), {**values, "code": "91520100000000001M"}
    ).scalar_one()
    ids = allocate_ids(conn, table, 2)
    assert ids[0] > inserted
    assert ids == [ids[0], ids[0] + 1]
    columns = ("id", "type", "code", "id_kind", "id_verified", "name", "name_key")
    TableWriter(conn.dialect, table, columns, {"created_at": AT}).write(
        conn,
        [
            (ids[0], "legal_person", "91520100000000002K", "uscc", True, values["name"],
             values["name_key"]),
            (ids[1], "natural_person", "E12345678", "passport", False, "张三", "张三"),
        ],
    )  # fmt: skip
    stored = _raw(db, "subject", [inserted, ids[0]])
    assert stored[1] == (*stored[0][:1], "91520100000000002K", *stored[0][2:])
    # A key allocated later is fresh, and an ordinary insert does not collide either.
    later = allocate_ids(conn, table, 1)
    assert later[0] > ids[1]
    again = conn.execute(
        insert(table).returning(table.c.id), {**values, "code": "91520100000000003G"}
    ).scalar_one()
    assert again not in ids


def test_typed_values_are_converted_as_an_insert_converts_them(db: Session) -> None:
    """Dates, aware datetimes, enums stored by value, JSON and booleans."""
    conn = db.connection()
    meta = MetaData()
    probe = Table(
        "bulk_writer_probe",
        meta,
        Column("id", Integer, primary_key=True),
        Column("on", Date),
        Column("at", UTCDateTime()),
        Column("doc", JSON),
        Column("state", Enum(RecordStatus, native_enum=False, length=32,
                             values_callable=lambda e: [m.value for m in e])),
        Column("flag", Boolean),
    )  # fmt: skip
    meta.create_all(conn)
    row = (date(2026, 9, 1), {"CF_WSH": "黔市监罚〔2026〕1号", "n": 1}, RecordStatus.ACTIVE, True)
    TableWriter(conn.dialect, probe, ("id", "on", "doc", "state", "flag"), {"at": AT}).write(
        conn, [(1, *row), (2, None, None, None, None)]
    )
    conn.execute(
        insert(probe),
        [
            {"id": 3, "on": row[0], "at": AT, "doc": row[1], "state": row[2], "flag": row[3]},
            {"id": 4, "on": None, "at": AT, "doc": None, "state": None, "flag": None},
        ],
    )
    typed = conn.execute(select(probe).order_by(probe.c.id)).all()
    assert typed[0][1:] == typed[2][1:] == (row[0], AT, row[1], "active", True)
    assert typed[1][1:] == typed[3][1:]
    raw = [tuple(r)[1:] for r in conn.execute(text("SELECT * FROM bulk_writer_probe ORDER BY id"))]
    assert raw[0] == raw[2]
    assert raw[1] == raw[3]
    probe.drop(conn)
