"""A route that ends its unit of work itself (``web.transactions.answer_committed``, issue 16
item 2): the write is committed before the answer is built into a response, the response is
the model as FastAPI would send it, and the answer middleware has nothing left to do."""

from __future__ import annotations

import json

from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request

from xinyong.db.uow import UnitOfWork
from xinyong.web.transactions import SCOPE_KEY, RequestWork, answer_committed


class _Answer(BaseModel):
    subject_code: str = Field(serialization_alias="subject")
    records: list[int]


def _request(work: RequestWork | None) -> Request:
    scope = {"type": "http", "method": "POST", "path": "/", "headers": []}
    if work is not None:
        scope[SCOPE_KEY] = work
    return Request(scope)


def test_the_unit_of_work_is_committed_before_the_answer_leaves(
    session_factory: sessionmaker[Session], db: Session
) -> None:
    work = RequestWork()
    with UnitOfWork(session_factory) as uow:
        work.add(uow)
        uow.session.execute(text("CREATE TEMPORARY TABLE answered_now (n INTEGER)"))
        uow.session.execute(text("INSERT INTO answered_now VALUES (7)"))

        response = answer_committed(_request(work), _Answer(subject_code="黔A", records=[1, 2]))

        assert uow.committed  # ended here, not by the middleware
        assert work.open == []
    assert db.execute(text("SELECT n FROM answered_now")).scalar_one() == 7
    assert response.status_code == 200
    assert response.media_type == "application/json"
    assert json.loads(response.body) == {"subject": "黔A", "records": [1, 2]}


def test_without_a_unit_of_work_it_only_answers() -> None:
    response = answer_committed(_request(None), _Answer(subject_code="黔B", records=[]))
    assert json.loads(response.body) == {"subject": "黔B", "records": []}
