"""The public server's search answer spliced from the stored briefs (issue 16 item 1) is the
answer the search model gives, byte for byte, in a session and by the reader."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tests.integration.publication.conftest import COMPANY, ENDING, PERSON
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput
from xinyong.publication import reads, service, store
from xinyong.publication.publish import publish

ASKED = [
    ("公示库", 20, 1),  # organisations by a name fragment
    ("公示库", 1, 1),  # one a page: another page follows
    ("公示库", 1, 2),
    ("公示库", 2, 9),  # past the last page
    ("到期测试", 20, 1),
    ("没有这样的名字", 20, 1),
    (COMPANY[1], 20, 1),  # by code
    (COMPANY[1], 20, 2),
    (PERSON[1], 20, 1),  # a person, by the full identity number only
    ("91520100MA6DXXXXXX", 20, 1),  # a code of no subject
]


@pytest.fixture
def published(core: Session, public_factory: sessionmaker[Session], clock: Clock) -> None:
    factory = sessionmaker(bind=core.get_bind(), join_transaction_mode="create_savepoint")
    publish(factory, public_factory, clock)


@pytest.mark.usefixtures("published")
def test_the_spliced_answer_is_the_models_answer(store_engine: Engine) -> None:
    reader = reads.SubjectReader(store_engine)
    found_any = False
    with store.read_factory(store_engine)() as session:
        for q, limit, page in ASKED:
            for source in (reader, session):
                model = service.public_search(source, q=q, limit=limit, page=page)
                spliced = service.public_search_json(source, q=q, limit=limit, page=page)
                assert spliced == model.model_dump_json(), (q, limit, page)
                found_any = found_any or bool(json.loads(spliced)["items"])
    assert found_any
    names = json.loads(service.public_search_json(reader, q="公示库"))
    assert {COMPANY[0], ENDING[0]} <= {i["name"] for i in names["items"]}


@pytest.mark.usefixtures("published")
@pytest.mark.parametrize(("q", "limit"), [("x", 20), ("公示库", 0), ("公示库", 10_000)])
def test_bad_searches_are_refused_alike(store_engine: Engine, q: str, limit: int) -> None:
    reader = reads.SubjectReader(store_engine)
    with pytest.raises(InvalidInput) as model:
        service.public_search(reader, q=q, limit=limit)
    with pytest.raises(InvalidInput) as spliced:
        service.public_search_json(reader, q=q, limit=limit)
    assert spliced.value.code == model.value.code
