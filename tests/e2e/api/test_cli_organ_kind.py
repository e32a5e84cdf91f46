"""``xinyong org add --organ-kind``: the kind of state organ that bounds the measures an
organisation may implement (Art. 23, 29; issue 11 item 5)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from xinyong.accounts.models import Organisation
from xinyong.cli.main import app
from xinyong.db.base import Base
from xinyong.db.registry import load_all_models
from xinyong.db.session import make_engine, make_session_factory


@pytest.fixture
def run(fresh_db_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    load_all_models()
    engine = make_engine(fresh_db_url)
    Base.metadata.create_all(engine)
    engine.dispose()
    monkeypatch.setenv("XINYONG_DATABASE_URL", fresh_db_url)
    monkeypatch.setenv("XINYONG_NOW", "2026-09-30T10:00:00+08:00")
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, list(args))
        return result.exit_code, result.output

    return invoke


def test_org_add_records_the_organ_kind(run, fresh_db_url: str) -> None:  # type: ignore[no-untyped-def]
    base = ["org", "add", "--kind", "organ", "--region", "520100"]
    code, out = run(
        *base, "--code", "GY-ZY", "--name", "贵阳市中级人民法院", "--organ-kind", "court"
    )
    assert code == 0, out
    code, out = run(*base, "--code", "GY-X", "--name", "x", "--organ-kind", "everyone")
    assert code == 2
    assert "everyone" in out
    engine = make_engine(fresh_db_url)
    try:
        with make_session_factory(engine)() as session:
            kinds = dict(session.execute(select(Organisation.code, Organisation.organ_kind)).all())
    finally:
        engine.dispose()
    assert kinds == {"GY-ZY": "court"}
