"""A request's unit of work ends as its answer starts (``web/transactions.py``), in a worker
thread when ending it does I/O. A unit of work nothing was asked of — a public page whose
visitor has no account, which opens the request session only to learn who asks — ends where
it is, without that hand-off (issue 16 item 1: a hand-off costs more than the page's own
read). One that was used still commits in a worker thread, and what it wrote is kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from xinyong.db.uow import UnitOfWork
from xinyong.web import transactions


@pytest.fixture
def hand_offs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of what ``CommitOnAnswer`` handed to a worker thread."""
    seen: list[str] = []
    real = transactions.run_in_threadpool

    async def counted(fn: Callable[..., Any], *args: Any) -> Any:
        seen.append(getattr(fn, "__name__", repr(fn)))
        return await real(fn, *args)

    monkeypatch.setattr(transactions, "run_in_threadpool", counted)
    return seen


def test_a_page_that_used_no_session_ends_without_a_hand_off(
    client: TestClient, hand_offs: list[str]
) -> None:
    answer = client.get("/public/subjects/91520100MA6DKQ7X3L")  # not registered: a 404 page
    assert answer.status_code == 404
    assert "text/html" in answer.headers["content-type"]
    assert hand_offs == []


def test_a_request_that_used_its_session_still_commits_in_a_worker_thread(
    client: TestClient, hand_offs: list[str]
) -> None:
    answer = client.get("/api/v1/purposes")  # reads the purposes in force: a used session
    assert answer.status_code == 200
    assert answer.json()["items"]
    assert hand_offs == ["finish"]


def test_a_unit_of_work_is_untouched_until_its_session_is_used(
    session_factory: sessionmaker[Session],
) -> None:
    with UnitOfWork(session_factory) as uow:
        assert uow.untouched
        uow.session.execute(select(text("1")))
        assert not uow.untouched
    assert not uow.untouched  # closed: nothing to end
