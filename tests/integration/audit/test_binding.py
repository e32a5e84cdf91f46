"""Records, inquiry-log rows and violations bound to the audit log (PLT-2; Art. 18, 20, 44):
an edited field, a deleted version, a changed status — made in the database behind the
platform's back — fail ``xinyong audit verify``, naming the record and version."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from tests.conftest import FROZEN
from tests.factories.accounts import actor_of, make_user
from tests.factories.disclosure import deliver, penalty, tax_fields, uscc
from xinyong.audit import service as audit
from xinyong.audit.binding import verify_bindings
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.cli.main import app
from xinyong.core.actor import SYSTEM, Role
from xinyong.core.config import Settings
from xinyong.core.errors import XinyongError
from xinyong.db.base import Base
from xinyong.db.registry import load_all_models
from xinyong.db.session import make_engine, make_session_factory
from xinyong.inquiry import service as inquiry
from xinyong.records import service as records
from xinyong.records.importing.bulk import import_file
from xinyong.records.models import Record
from xinyong.records.schemas import AmendmentCreate, WithdrawalCreate

DATA = Path(__file__).parents[2] / "data" / "admin_penalty_shuanggongshi.csv"


@pytest.fixture
def url(fresh_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A committed database: the shipped catalogues, one amended and one withdrawn record, a file
    delivered in chunks, an inquiry, a refused deletion on the violation register, and a
    checkpoint."""
    monkeypatch.setenv("XINYONG_DATABASE_URL", fresh_db_url)
    monkeypatch.setenv("XINYONG_AUDIT_KEY_PATH", str(tmp_path / "keys" / "audit.pem"))
    monkeypatch.setenv("XINYONG_VAR_DIR", str(tmp_path / "var"))
    load_all_models()
    engine = make_engine(fresh_db_url)
    Base.metadata.create_all(engine)
    with make_session_factory(engine)() as s:
        load_shipped_catalogues(s, actor=SYSTEM, at=FROZEN)
        s.commit()
        provider = actor_of(make_user(s, at=FROZEN, role=Role.PROVIDER, username="bind_p"))
        first = penalty(
            s, provider, person=False, name="贵州绑定示例有限公司", code=uscc(881),
            decided_on=FROZEN.date(), severity="general", at=FROZEN, doc="筑市监罚〔2026〕881号",
        )  # fmt: skip
        second = penalty(
            s, provider, person=False, name="贵州绑定示例有限公司", code=uscc(881),
            decided_on=FROZEN.date(), severity="general", at=FROZEN, doc="筑市监罚〔2026〕882号",
        )  # fmt: skip
        records.amend_record(
            s, actor=provider, record_id=first, at=FROZEN,
            data=AmendmentCreate(fields={"CF_NR_FK": "0.3"}, reason="罚款金额录入错误"),
        )  # fmt: skip
        records.withdraw_record(
            s, actor=provider, record_id=second, at=FROZEN,
            data=WithdrawalCreate(reason="处罚决定被撤销", basis="行政复议决定书"),
        )  # fmt: skip
        with DATA.open("rb") as fh:
            import_file(
                s, actor=provider, item_code="admin_penalty", stream=fh, filename=DATA.name,
                at=FROZEN, chunk_size=2,
            )  # fmt: skip
        organ = actor_of(make_user(s, at=FROZEN, role=Role.INQUIRER, username="bind_i"))
        inquiry.inquire(s, actor=organ, subject_code=uscc(881), purpose="licensing", at=FROZEN)
        with pytest.raises(XinyongError):
            records.attempt_delete(s, actor=provider, record_id=first, at=FROZEN)
        audit.make_checkpoint(s, at=FROZEN, settings=Settings())
        s.commit()
    engine.dispose()
    return fresh_db_url


def _sql(url: str, sql: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text(sql))
    engine.dispose()


def _record_ids(url: str) -> tuple[int, int, int]:
    """A bulk-delivered record, the amended and the withdrawn one."""
    engine = make_engine(url)
    with Session(engine) as s:
        demo = s.scalar(select(Record.id).where(Record.batch_id.is_not(None)).limit(1))
        amended = s.scalar(select(Record.id).where(Record.current_version == 2).limit(1))
        withdrawn = s.scalar(select(Record.id).where(Record.status == "withdrawn").limit(1))
    engine.dispose()
    assert demo is not None
    assert amended is not None
    assert withdrawn is not None
    return demo, amended, withdrawn


def verify() -> tuple[int, str]:
    result = CliRunner().invoke(app, ["audit", "verify"])
    return result.exit_code, result.output


def test_an_untouched_platform_verifies_every_row(url: str) -> None:
    code, out = verify()
    assert code == 0, out
    engine = make_engine(url)
    with Session(engine) as s:
        result = verify_bindings(s)
    engine.dispose()
    assert result.ok, result.problem
    assert result.rows > 3


def test_an_edited_field_is_named(url: str) -> None:
    _, amended, _ = _record_ids(url)
    _sql(
        url,
        f"UPDATE record_version SET document_no = 'X' WHERE record_id = {amended} AND version = 1",
    )
    code, out = verify()
    assert code == 1
    assert "record_edited" in out
    assert f"record {amended} version 1" in out


def test_a_field_of_a_bulk_delivered_record_is_caught(url: str) -> None:
    demo, _, _ = _record_ids(url)
    _sql(url, f"UPDATE record_version SET severity = 'minor' WHERE record_id = {demo}")
    code, out = verify()
    assert code == 1
    assert "record_edited" in out


def test_a_deleted_version_is_named(url: str) -> None:
    _, amended, _ = _record_ids(url)
    _sql(url, f"DELETE FROM record_version WHERE record_id = {amended} AND version = 2")
    code, out = verify()
    assert code == 1
    assert "record_version_missing" in out
    assert f"record {amended} version 2" in out


def test_a_changed_status_is_named(url: str) -> None:
    _, _, withdrawn = _record_ids(url)
    _sql(url, f"UPDATE record SET status = 'active' WHERE id = {withdrawn}")
    code, out = verify()
    assert code == 1
    assert "record_head_changed" in out
    assert f"record {withdrawn}" in out


def test_inquiry_log_and_violation_rows_are_bound(url: str) -> None:
    _sql(url, "UPDATE inquiry SET purpose = 'personnel'")
    code, out = verify()
    assert code == 1
    assert "inquiry_edited" in out


def test_a_deleted_violation_is_named(url: str) -> None:
    _sql(url, "DELETE FROM violation")
    code, out = verify()
    assert code == 1
    assert "violation_missing" in out


def test_inquiry_log_rows_written_in_bulk_are_bound(url: str) -> None:
    """The office's look at a record writes an inquiry-log row for its subject in bulk
    (Art. 20); editing that row fails verification too."""
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        office = actor_of(make_user(s, at=FROZEN, role=Role.CREDIT_OFFICE, username="bind_o"))
        provider = actor_of(make_user(s, at=FROZEN, role=Role.PROVIDER, username="bind_t"))
        fields = tax_fields(
            person=False, name="贵州绑定示例有限公司", code=uscc(881), on=FROZEN.date()
        )
        shared = deliver(
            s, provider, item="tax_arrears", fields=fields, at=FROZEN, source_id="qs-1",
            severity="general", decided_on=FROZEN.date(),
        )  # fmt: skip
        records.look_at_record(s, actor=office, record_id=shared, at=FROZEN)
        s.commit()
    engine.dispose()
    assert verify()[0] == 0
    _sql(url, "UPDATE inquiry SET purpose = 'licensing' WHERE purpose = 'supervision'")
    code, out = verify()
    assert code == 1
    assert "inquiry_edited" in out
