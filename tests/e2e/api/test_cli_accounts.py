"""``xinyong org`` and ``xinyong user`` against a real, committed database."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tests.factories.accounts import PASSWORD
from xinyong.accounts.models import UserAccount
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


def users(url: str) -> list[UserAccount]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            return list(session.scalars(select(UserAccount).order_by(UserAccount.username)))
    finally:
        engine.dispose()


def test_add_organisations_and_users(run, fresh_db_url: str) -> None:  # type: ignore[no-untyped-def]
    code, out = run(
        "org",
        "add",
        "--code",
        "GZ-SCO",
        "--name",
        "贵州省信用办",
        "--kind",
        "office",
        "--region",
        "520000",
    )
    assert code == 0, out
    code, out = run(
        "org",
        "add",
        "--code",
        "GY-GOV",
        "--name",
        "贵阳市人民政府",
        "--kind",
        "organ",
        "--region",
        "520100",
        "--parent",
        "GZ-SCO",
    )
    assert code == 0, out
    code, out = run(
        "user",
        "add",
        "--username",
        "admin",
        "--password",
        PASSWORD,
        "--org",
        "GZ-SCO",
        "--role",
        "sysadmin",
    )
    assert code == 0, out
    code, out = run(
        "user",
        "add",
        "--username",
        "chaxun",
        "--password",
        PASSWORD,
        "--org",
        "GY-GOV",
        "--role",
        "inquirer",
        "--purpose",
        "licensing",
        "--purpose",
        "inspection",
        "--item",
        "admin_penalty",
    )
    assert code == 0, out
    stored = {u.username: u for u in users(fresh_db_url)}
    assert set(stored) == {"admin", "chaxun"}
    assert stored["chaxun"].created_at.isoformat() == "2026-09-30T10:00:00+08:00"

    code, out = run("user", "list")
    assert code == 0
    assert "chaxun" in out
    assert "licensing" in out
    assert "admin_penalty" in out
    code, out = run("org", "list")
    assert code == 0
    assert "GY-GOV" in out
    assert "GZ-SCO" in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            [
                "user",
                "add",
                "--username",
                "u1",
                "--password",
                "weak",
                "--org",
                "GZ-SCO",
                "--role",
                "sysadmin",
            ],
            "weak_password",
        ),
        (
            [
                "user",
                "add",
                "--username",
                "u1",
                "--password",
                PASSWORD,
                "--org",
                "NOPE",
                "--role",
                "sysadmin",
            ],
            "unknown_organisation",
        ),
        (
            [
                "user",
                "add",
                "--username",
                "admin",
                "--password",
                PASSWORD,
                "--org",
                "GZ-SCO",
                "--role",
                "secadmin",
            ],
            "username_taken",
        ),
        (
            [
                "user",
                "add",
                "--username",
                "u1",
                "--password",
                PASSWORD,
                "--org",
                "GZ-SCO",
                "--role",
                "superuser",
            ],
            "superuser",
        ),
        (
            [
                "user",
                "add",
                "--username",
                "u1",
                "--password",
                PASSWORD,
                "--org",
                "GZ-SCO",
                "--role",
                "provider",
            ],
            "provider",
        ),
        (
            [
                "user",
                "add",
                "--username",
                "u1",
                "--password",
                PASSWORD,
                "--org",
                "GZ-SCO",
                "--role",
                "inquirer",
                "--purpose",
                "gossip",
            ],
            "gossip",
        ),
        (
            ["org", "add", "--code", "GZ-SCO", "--name", "again", "--kind", "office"],
            "organisation_exists",
        ),
        (["org", "add", "--code", "X", "--name", "x", "--kind", "bureau"], "bureau"),
        (
            ["org", "add", "--code", "X", "--name", "x", "--kind", "office", "--region", "52"],
            "GB/T 2260",
        ),
    ],
)
def test_bad_input_is_a_clear_error_and_exit_2(run, args: list[str], expected: str) -> None:  # type: ignore[no-untyped-def]
    assert run("org", "add", "--code", "GZ-SCO", "--name", "信用办", "--kind", "office")[0] == 0
    ok = run(
        "user",
        "add",
        "--username",
        "admin",
        "--password",
        PASSWORD,
        "--org",
        "GZ-SCO",
        "--role",
        "sysadmin",
    )
    assert ok[0] == 0, ok[1]
    code, out = run(*args)
    assert code == 2, out
    assert expected in out.replace("\n", " ")
    assert "Traceback" not in out
