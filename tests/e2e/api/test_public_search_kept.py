"""Public name search answers are kept per process under how far the store is published
(issue 16 item 1): the same question gets the same answer without the index walk, and a new
publication shows at once."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories.accounts import actor_of, make_org, make_user
from tests.factories.disclosure import penalty, uscc
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Actor, Role
from xinyong.core.clock import Clock

FIRST = ("贵阳检索保留一号商贸有限公司", uscc(401))
SECOND = ("遵义检索保留二号商贸有限公司", uscc(402))


@pytest.fixture
def provider(db: Session, clock: Clock) -> Actor:
    load_shipped_catalogues(db, actor=SYSTEM, at=clock.now())
    db.commit()
    make_org(db, at=clock.now(), code="GY-JSBL", kind="provider", name="贵阳市市场监督管理局")
    user = make_user(db, at=clock.now(), role=Role.PROVIDER, username="jsbl", org_code="GY-JSBL")
    return actor_of(user)


def _deliver(db: Session, provider: Actor, clock: Clock, company: tuple[str, str], n: int) -> None:
    name, code = company
    penalty(db, provider, person=False, name=name, code=code, decided_on=date(2026, 8, 1),
            severity="general", at=clock.now(), doc=f"黔检保罚〔2026〕{n}号")  # fmt: skip
    db.commit()


def _names(body: dict[str, list[dict[str, str]]]) -> set[str]:
    return {item["name"] for item in body["items"]}


def test_a_kept_answer_is_the_answer_and_a_new_publication_shows_at_once(
    app: FastAPI, client: TestClient, db: Session, clock: Clock, provider: Actor
) -> None:
    _deliver(db, provider, clock, FIRST, 1)
    first = client.get("/api/v1/public/subjects", params={"q": "检索保留"})
    assert first.status_code == 200, first.text
    assert _names(first.json()) == {FIRST[0]}
    again = client.get("/api/v1/public/subjects", params={"q": "检索保留"})
    assert again.content == first.content
    assert len(app.state.kept_searches) == 1  # asked twice, walked once

    # Another page of the same question is another answer.
    other_page = client.get("/api/v1/public/subjects", params={"q": "检索保留", "page": 2})
    assert other_page.json()["items"] == []
    assert len(app.state.kept_searches) == 2

    # A second company is delivered: the next search publishes it, and the answer shows it.
    _deliver(db, provider, clock, SECOND, 2)
    after = client.get("/api/v1/public/subjects", params={"q": "检索保留"})
    assert _names(after.json()) == {FIRST[0], SECOND[0]}
