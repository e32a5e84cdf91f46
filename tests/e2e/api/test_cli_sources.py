"""``xinyong org add --source-of ITEM`` (API.md; issue 11 item 2): the organisation is
registered as a collection source of the items, and a wrong item adds nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.e2e.api.test_cli_accounts import run  # noqa: F401  (the fixture)
from xinyong.accounts.models import Organisation
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.catalogue.models import SourceRegistration
from xinyong.core.actor import SYSTEM
from xinyong.core.clock import Clock
from xinyong.db.session import make_engine, make_session_factory

COURT_USCC = "11520000MB00000047"


def registered(url: str) -> list[tuple[str, str, str, str | None]]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            rows = session.scalars(select(SourceRegistration).order_by(SourceRegistration.id))
            return [(r.item.code, r.org_code, r.kind, r.registered_by) for r in rows]
    finally:
        engine.dispose()


def organisations(url: str) -> dict[str, str | None]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            return {o.code: o.uscc for o in session.scalars(select(Organisation))}
    finally:
        engine.dispose()


@pytest.fixture
def catalogue(run, fresh_db_url: str, clock: Clock) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    engine = make_engine(fresh_db_url)
    try:
        with make_session_factory(engine)() as session:
            load_shipped_catalogues(session, actor=SYSTEM, at=clock.now())
            session.commit()
    finally:
        engine.dispose()


def test_source_of_registers_the_organisation(
    run,  # noqa: F811
    catalogue: None,
    fresh_db_url: str,
) -> None:  # type: ignore[no-untyped-def]
    code, out = run(
        "org", "add", "--code", "GZ-FY", "--name", "贵州省高级人民法院", "--kind", "provider",
        "--uscc", COURT_USCC, "--source-of", "judgment_default",
        "--source-of", "court_judgment:court",
    )  # fmt: skip
    assert code == 0, out
    assert "judgment_default" in out
    assert registered(fresh_db_url) == [
        ("judgment_default", "GZ-FY", "court", "本机操作员 local operator (cli)"),
        ("court_judgment", "GZ-FY", "court", "本机操作员 local operator (cli)"),
    ]
    assert organisations(fresh_db_url) == {"GZ-FY": COURT_USCC}


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (("--kind", "provider", "--source-of", "no_such_item"), "no_such_item"),
        (("--kind", "provider", "--source-of", "judgment_default:department"), "court"),
        (("--kind", "institution", "--source-of", "judgment_default"), "Art. 14"),
    ],
)
def test_a_wrong_source_adds_nothing(
    run,  # noqa: F811
    catalogue: None,
    fresh_db_url: str,
    extra: tuple[str, ...],
    needle: str,
) -> None:  # type: ignore[no-untyped-def]
    code, out = run("org", "add", "--code", "X-1", "--name", "某单位", *extra)
    assert code != 0
    assert needle in out
    assert organisations(fresh_db_url) == {}
    assert registered(fresh_db_url) == []


def test_cli_import_of_a_list_item_needs_a_registered_source(
    run,  # noqa: F811
    catalogue: None,
    fresh_db_url: str,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    """``xinyong import --item serious_dishonesty --org C`` goes through the same gate."""
    from tests.integration.records.test_collection_sources import listing_fields

    fields = listing_fields()
    path = tmp_path / "yz.csv"
    path.write_text(",".join(fields) + "\n" + ",".join(fields.values()) + "\n", encoding="utf-8")
    assert run("org", "add", "--code", "GZ-SJJ", "--name", "某局", "--kind", "provider")[0] == 0
    code, out = run("import", str(path), "--item", "serious_dishonesty", "--org", "GZ-SJJ")
    assert code != 0
    assert "not_a_collection_source" in out or "collection source" in out
    code, out = run(
        "org", "add", "--code", "GZ-SJJ2", "--name", "某局二", "--kind", "provider",
        "--source-of", "serious_dishonesty",
    )  # fmt: skip
    assert code == 0, out
    code, out = run("import", str(path), "--item", "serious_dishonesty", "--org", "GZ-SJJ2")
    assert code == 0, out
