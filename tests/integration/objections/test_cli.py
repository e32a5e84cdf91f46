"""``xinyong objections escalate`` on a real, committed database (RGT-2, GOV-1)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import typer
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from tests.conftest import FROZEN
from tests.factories.objections import make_world
from xinyong.cli import objections as objections_cli
from xinyong.cli import periodic
from xinyong.core.clock import PLATFORM_ZONE
from xinyong.core.config import Settings
from xinyong.db.base import Base
from xinyong.db.session import make_engine, make_session_factory
from xinyong.db.uow import use_case
from xinyong.objections import service
from xinyong.objections.models import Objection
from xinyong.violations.models import Violation


def test_escalate_command(fresh_db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(fresh_db_url)
    Base.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        world = make_world(session, at=FROZEN)
        service.file_objection(
            session, actor=world.subject, record_id=world.record_id, reason="金额有误", at=FROZEN
        )
        session.commit()  # the test's own use case ends here
    root = typer.Typer()
    objections_cli.register(root)
    root.command("noop")(lambda: None)  # a group needs two commands to keep its name
    monkeypatch.setenv("XINYONG_DATABASE_URL", fresh_db_url)
    runner = CliRunner()

    monkeypatch.setenv("XINYONG_NOW", "2026-10-10T18:00:00+08:00")
    result = runner.invoke(root, ["objections", "escalate"])
    assert result.exit_code == 0, result.output
    assert "escalated: 0" in result.output

    monkeypatch.setenv("XINYONG_NOW", "2026-10-12T09:00:00+08:00")
    result = runner.invoke(root, ["objections", "escalate"])
    assert result.exit_code == 0, result.output
    assert "overdue objections escalated: 1" in result.output
    with Session(engine) as session:
        assert session.scalars(select(Objection.escalated_at)).one() is not None
        assert len(session.scalars(select(Violation)).all()) == 1
    engine.dispose()


def test_the_periodic_pass_escalates_in_its_own_unit_of_work(
    fresh_db_url: str, tmp_path: Path
) -> None:
    """``xinyong serve``'s periodic thread runs the escalation job: what no listing writes
    any more arrives without anyone looking, committed (issue 13)."""
    engine = make_engine(fresh_db_url)
    Base.metadata.create_all(engine)
    with use_case(make_session_factory(engine)) as uow:
        world = make_world(uow.session, at=FROZEN)
        service.file_objection(
            uow.session, actor=world.subject, record_id=world.record_id, reason="金额有误",
            at=FROZEN,
        )  # fmt: skip
    settings = Settings(
        var_dir=tmp_path / "var", database_url=fresh_db_url, secret_key="periodic-test-key",
        now=datetime(2026, 10, 12, 9, 0, tzinfo=PLATFORM_ZONE),
        audit_key_path=tmp_path / "keys" / "audit.pem",
    )  # fmt: skip
    periodic.run_once(settings)
    periodic.run_once(settings)  # idempotent: each case escalates once
    with Session(engine) as session:
        assert session.scalars(select(Objection.escalated_at)).one() is not None
        assert len(session.scalars(select(Violation)).all()) == 1
    engine.dispose()
