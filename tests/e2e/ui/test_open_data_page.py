"""Open data of public records in Chromium (issue 17 item 5), on both databases: after a
publication, an anonymous visitor finds the day's penalty file on /public/open-data with its
record count and SHA-256, downloads the CSV through its link, and the download matches its
digest."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import FROZEN
from tests.e2e.ui.conftest import LiveServer
from tests.factories.accounts import actor_of, make_org, make_user
from tests.factories.disclosure import penalty, uscc
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Role
from xinyong.core.clock import Clock
from xinyong.db.session import make_session_factory
from xinyong.publication import store
from xinyong.publication.publish import publish

pytestmark = pytest.mark.browser

#: A decision day no other browser test's records were decided on.
DAY = date(2026, 9, 17)


@pytest.fixture(scope="session")
def published(live_server_each: LiveServer) -> str:
    with live_server_each.session() as session:
        load_shipped_catalogues(session, actor=SYSTEM, at=FROZEN)
        session.commit()
        make_org(
            session, at=FROZEN, code="e2e-od-sjj", kind="provider", name="遵义市市场监督管理局"
        )
        provider = actor_of(
            make_user(
                session, at=FROZEN, role=Role.PROVIDER, username="e2e-od-provider",
                org_code="e2e-od-sjj",
            )
        )  # fmt: skip
        for n in (1, 2):
            penalty(
                session, provider, person=False, name=f"贵州开放数据示例{n}有限公司",
                code=uscc(7800 + n), decided_on=DAY, severity="general", at=FROZEN,
                doc=f"遵市监罚〔2026〕78{n}号",
            )  # fmt: skip
    # What ``xinyong publish`` (or the worker) does: the core into the server's store.
    public_engine = store.store_engine(live_server_each.settings)
    try:
        publish(
            make_session_factory(live_server_each.engine, writes=False, snapshot=False),
            store.write_factory(public_engine),
            Clock(FROZEN),
        )
    finally:
        public_engine.dispose()
    return live_server_each.url


def test_a_visitor_downloads_a_day_of_penalties_that_matches_its_digest(
    page: Page, published: str
) -> None:
    page.goto(published + "/public/open-data")
    expect(page.get_by_role("heading", name="开放数据")).to_be_visible()
    row = (
        page.locator("#open-data tbody tr")
        .filter(has_text=DAY.isoformat())
        .filter(has_text="admin_penalty")
        .filter(has=page.get_by_role("link", name="CSV"))
    )
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(2)).to_have_text("2")
    digest = row.locator("code.digest").inner_text().strip()
    assert len(digest) == 64
    with page.expect_download() as info:
        row.get_by_role("link", name="CSV").click()
    download = info.value
    assert download.suggested_filename == f"admin_penalty-{DAY.isoformat()}.csv"
    content = open(download.path(), "rb").read()  # noqa: SIM115
    assert hashlib.sha256(content).hexdigest() == digest
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert {r["decided_on"] for r in rows} == {DAY.isoformat()}
    assert "遵市监罚〔2026〕781号" in content.decode("utf-8-sig")
