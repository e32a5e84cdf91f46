"""Bulk delivery of a double-publicity penalty file (COL-1), on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from bench.import_rate import HEADER, penalty_row, write_penalty_csv
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinyong.audit.models import AuditEntry
from xinyong.core.actor import Actor
from xinyong.core.clock import Clock
from xinyong.records.importing.bulk import import_file
from xinyong.records.models import Record, RecordVersion
from xinyong.subjects.models import Subject

DATA = Path(__file__).parents[2] / "data" / "admin_penalty_shuanggongshi.csv"


def _import(db: Session, actor: Actor, path: Path, at: datetime, **kw: object):  # type: ignore[no-untyped-def]
    with path.open("rb") as fh:
        return import_file(
            db, actor=actor, item_code="admin_penalty", stream=fh, filename=path.name, at=at, **kw
        )


def test_real_layout_file_accepts_good_rows_and_names_each_bad_one(
    db: Session, provider: Actor, clock: Clock
) -> None:
    result = _import(db, provider, DATA, clock.now())
    assert result.rows == 10
    assert result.accepted == 4, result.rejected
    by_line = {(r.line, r.field): r.reason for r in result.rejected}
    assert "check character should be R" in by_line[(4, "XDR_SHXYM")]
    assert "date 2026-02-30 does not exist" in by_line[(5, "CF_JDRQ")]
    assert (6, "CF_WSH") in by_line
    assert "negative" in by_line[(7, "CF_NR_FK")]
    assert (8, "XDR_LB") in by_line
    assert "future" in by_line[(11, "CF_JDRQ")]
    assert {r.line for r in result.rejected} == {4, 5, 6, 7, 8, 11}

    records = db.scalars(select(Record).order_by(Record.id)).all()
    assert len(records) == 4
    first = records[0]
    assert first.channel == "file"
    assert first.batch_id == result.batch_id
    assert first.received_by_name
    assert first.provider_org_id == provider.org_id
    assert first.document_no == "黔市监罚〔2026〕101号"
    assert first.severity == "general"  # the item's default
    severe = next(r for r in records if r.document_no == "黔市监罚〔2026〕108号")
    assert severe.severity == "serious"
    assert severe.decided_on.isoformat() == "2026-03-05"
    person = db.get(Subject, records[1].subject_id)
    assert person is not None
    assert person.type == "natural_person"
    assert person.code == "11010519491231002X"
    business = db.get(Subject, records[-1].subject_id)
    assert business is not None
    assert business.type == "unincorporated_org"
    assert db.scalar(select(func.count()).select_from(RecordVersion)) == 4
    chunk_entries = db.scalars(
        select(AuditEntry).where(AuditEntry.tag == "records:batch:chunk")
    ).all()
    assert len(chunk_entries) == 1
    assert chunk_entries[0].after["accepted"] == 4


def test_same_file_twice_adds_nothing(db: Session, provider: Actor, clock: Clock) -> None:
    _import(db, provider, DATA, clock.now())
    again = _import(db, provider, DATA, clock.now())
    assert again.accepted == 0
    assert again.unchanged == 4
    assert len(again.rejected) == 6
    assert db.scalar(select(func.count()).select_from(Record)) == 4


def test_chunks_and_resume_after_interruption(
    db: Session, provider: Actor, clock: Clock, tmp_path: Path
) -> None:
    path = write_penalty_csv(tmp_path / "p.csv", 250)
    seen: list[int] = []
    result = _import(
        db, provider, path, clock.now(), chunk_size=100, progress=lambda n, b: seen.append(n)
    )
    assert seen == [100, 200, 250]
    assert result.accepted == 250
    assert result.rejected == []
    assert db.scalar(select(func.count()).select_from(Record)) == 250
    assert db.scalar(select(func.count(func.distinct(Record.source_key)))) == 250


def test_changed_row_is_rejected_as_a_conflict(
    db: Session, provider: Actor, clock: Clock, tmp_path: Path
) -> None:
    path = write_penalty_csv(tmp_path / "a.csv", 3)
    _import(db, provider, path, clock.now())
    text = path.read_text(encoding="utf-8").replace(",2.01,", ",9.99,")
    changed = tmp_path / "b.csv"
    changed.write_text(text, encoding="utf-8")
    result = _import(db, provider, changed, clock.now())
    assert result.unchanged == 2
    assert [(r.line, r.field) for r in result.rejected] == [(2, "source_id")]
    assert "amend" in result.rejected[0].reason


def test_xlsx_with_date_cells(db: Session, provider: Actor, clock: Clock) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for n in (1, 2, 5):
        row: list[object] = list(penalty_row(n))
        row[12] = datetime(2026, 5, n)  # an Excel date cell
        row[11] = 1.5  # a number cell
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    result = import_file(
        db, actor=provider, item_code="admin_penalty", stream=buf, filename="p.xlsx",
        at=clock.now(),
    )  # fmt: skip
    assert result.accepted == 3, result.rejected
    decided = db.scalars(select(Record.decided_on).order_by(Record.id)).all()
    assert [d.isoformat() for d in decided] == ["2026-05-01", "2026-05-02", "2026-05-05"]
    fields = db.scalars(select(RecordVersion.fields)).first()
    assert fields is not None
    assert fields["CF_NR_FK"] == "1.5"


def test_imported_records_reach_the_change_feed(
    db: Session, provider: Actor, clock: Clock, tmp_path: Path
) -> None:
    from xinyong.feed.models import ChangeEvent

    path = write_penalty_csv(tmp_path / "p.csv", 25)
    result = _import(db, provider, path, clock.now(), chunk_size=10)
    assert result.accepted == 25
    changes = db.execute(
        select(ChangeEvent.record_id, ChangeEvent.kind, ChangeEvent.audit_seq).order_by(
            ChangeEvent.audit_seq, ChangeEvent.id
        )
    ).all()
    ids = db.scalars(select(Record.id).order_by(Record.id)).all()
    assert [c.record_id for c in changes] == list(ids)
    assert {c.kind for c in changes} == {"delivered"}
    assert len({c.audit_seq for c in changes}) == 3  # one audit entry per committed chunk
    _import(db, provider, path, clock.now(), chunk_size=10)  # unchanged: nothing new
    assert db.scalar(select(func.count()).select_from(ChangeEvent)) == 25
