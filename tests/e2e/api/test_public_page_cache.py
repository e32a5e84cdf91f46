"""A public subject page is rendered once per stored document and language (issue 16 item 1):
what a visitor sees is what a fresh render shows, a new publication shows at once, and a
visitor with an account always gets a page of their own."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories.accounts import actor_of, make_org, make_user
from tests.factories.disclosure import penalty, uscc
from tests.support.web import log_in
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Actor, Role
from xinyong.core.clock import Clock

COMPANY = "贵阳缓存测试商贸有限公司"
CODE = uscc(301)


@pytest.fixture
def provider(app: FastAPI, db: Session, clock: Clock) -> Actor:
    load_shipped_catalogues(db, actor=SYSTEM, at=clock.now())
    db.commit()
    make_org(db, at=clock.now(), code="GY-SJJ", kind="provider", name="贵阳市市场监督管理局")
    user = make_user(db, at=clock.now(), role=Role.PROVIDER, username="sjj", org_code="GY-SJJ")
    return actor_of(user)


def _deliver(db: Session, provider: Actor, clock: Clock, doc: str) -> None:
    penalty(db, provider, person=False, name=COMPANY, code=CODE, decided_on=date(2026, 8, 1),
            severity="general", at=clock.now(), doc=doc)  # fmt: skip
    db.commit()


def test_a_kept_page_is_the_page_and_a_new_publication_shows_at_once(
    app: FastAPI, client: TestClient, db: Session, clock: Clock, provider: Actor
) -> None:
    _deliver(db, provider, clock, "黔市监罚〔2026〕301号")
    first = client.get(f"/public/subjects/{CODE}")
    assert first.status_code == 200, first.text
    assert "黔市监罚〔2026〕301号" in first.text
    again = client.get(f"/public/subjects/{CODE}")
    assert again.text == first.text
    assert again.headers["content-language"] == first.headers["content-language"] == "zh-CN"

    english = client.get(f"/public/subjects/{CODE}", params={"lang": "en"})
    assert english.headers["content-language"] == "en"
    assert english.text != first.text
    assert 'lang="en"' in english.text

    # A second penalty is delivered: the next read publishes it, and the page shows it.
    _deliver(db, provider, clock, "黔市监罚〔2026〕302号")
    after = client.get(f"/public/subjects/{CODE}")
    assert "黔市监罚〔2026〕302号" in after.text
    assert "黔市监罚〔2026〕301号" in after.text


def test_a_visitor_with_an_account_is_not_served_the_public_copy(
    app: FastAPI, client: TestClient, db: Session, clock: Clock, provider: Actor
) -> None:
    _deliver(db, provider, clock, "黔市监罚〔2026〕303号")
    public = client.get(f"/public/subjects/{CODE}").text
    log_in(client, "sjj")
    own = client.get(f"/public/subjects/{CODE}").text
    assert own != public
    assert "sjj" in own or "贵阳市市场监督管理局" in own
    assert "黔市监罚〔2026〕303号" in own
