"""``xinyong org add --kind institution`` files the institution (CSI-1), so that an institution
set up from the command line — as the acceptance suite does — can run authorized inquiries."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.e2e.api.test_cli_accounts import run  # noqa: F401  (the fixture)
from xinyong.audit.models import AuditEntry
from xinyong.db.session import make_engine, make_session_factory
from xinyong.institutions.models import InstitutionFiling

VALID_USCC = "91520000214434146R"


def filings(url: str) -> list[tuple[str, str | None, str, list[str]]]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            rows = session.scalars(select(InstitutionFiling).order_by(InstitutionFiling.org_code))
            tags = list(
                session.scalars(
                    select(AuditEntry.tag).where(AuditEntry.object_type == "institution_filing")
                )
            )
            return [(f.org_code, f.uscc, f.status.value, tags) for f in rows]
    finally:
        engine.dispose()


def add(invoke, *extra: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    return invoke("org", "add", "--name", "某信用服务公司", "--kind", "institution", *extra)  # type: ignore[no-any-return]


def test_an_institution_added_from_the_command_line_is_filed_as_active(
    run,  # noqa: F811
    fresh_db_url: str,
) -> None:  # type: ignore[no-untyped-def]
    code, out = add(run, "--code", "CSI-1")
    assert code == 0, out
    assert "XYFW-2026-000001" in out
    code, out = add(run, "--code", "CSI-2", "--uscc", VALID_USCC)
    assert code == 0, out
    code, out = add(run, "--code", "CSI-3", "--unfiled")
    assert code == 0, out
    assert [f[:3] for f in filings(fresh_db_url)] == [
        ("CSI-1", None, "active"),
        ("CSI-2", VALID_USCC, "active"),
    ]
    assert filings(fresh_db_url)[0][3] == ["institutions:filing:create"] * 2


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (("--code", "CSI-9", "--uscc", "91520000214434146X"), "invalid_uscc"),
        # Any organisation may carry its USCC now (issue 11 item 8); --unfiled is an
        # institution's option alone.
        (("--code", "CSI-9", "--unfiled", "--kind", "provider"), "institutions only"),
    ],
)
def test_bad_filing_options_are_refused_before_anything_is_added(
    run,  # noqa: F811
    fresh_db_url: str,
    extra: tuple[str, ...],
    needle: str,
) -> None:  # type: ignore[no-untyped-def]
    code, out = add(run, *extra)
    assert code == 2
    assert needle in out
    assert filings(fresh_db_url) == []
    code, out = run("org", "list")
    assert "CSI-9" not in out
