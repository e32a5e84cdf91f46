"""The public read by code without a session (issue 16 item 1): the same answer as a session's
read, and on PostgreSQL — where the reader skips the pool's pre-ping — a connection the server
dropped is replaced and the read still answers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, insert, text

from xinyong.publication import reads, store
from xinyong.publication.models import PubNameGram, PubSubject
from xinyong.subjects.rules import name_grams, normalize_name

CODE = "91520100MA6DLP8K2X"


@pytest.fixture
def held(store_engine: Engine) -> Engine:
    with store_engine.begin() as conn:
        conn.execute(
            insert(PubSubject),
            {
                "code_key": store.code_key(CODE),
                "subject_id": 1,
                "type": "legal_person",
                "brief": '{"code":"91520100MA6DLP8K2X","name":"贵阳甲乙商贸有限公司"}',
                "body": '{"subject":{"name":"贵阳甲乙商贸有限公司"}}',
                "refresh_on": None,
                "published_at": datetime(2026, 9, 30, 2, tzinfo=UTC),
            },
        )
    return store_engine


def test_the_reader_answers_as_a_session_does(held: Engine) -> None:
    reader = reads.SubjectReader(held)
    with store.read_factory(held)() as session:
        assert reader(CODE) == reads.subject(session, CODE)
    assert reader(CODE) is not None
    assert reader("91520100MA6DLP8K3X") is None


def test_the_reader_searches_names_as_a_session_does(held: Engine) -> None:
    names = ["贵阳甲乙商贸有限公司", "遵义甲乙商贸有限公司", "贵阳丙丁物流有限公司", "甲乙商贸"]
    with held.begin() as conn:
        for n, name in enumerate(names, start=2):
            conn.execute(
                insert(PubSubject),
                {"code_key": f"k{n}", "subject_id": n, "type": "legal_person",
                 "brief": f'{{"name":"{name}"}}', "body": "{}", "refresh_on": None,
                 "published_at": datetime(2026, 9, 30, 2, tzinfo=UTC)},
            )  # fmt: skip
            key = normalize_name(name)
            conn.execute(
                insert(PubNameGram),
                [{"gram": g, "name_key": key, "subject_id": n} for g in sorted(name_grams(key))],
            )
    reader = reads.SubjectReader(held)
    with store.read_factory(held)() as session:
        for fragment in ("甲乙商贸", "贵阳", "物流", "商贸有限"):
            key = normalize_name(fragment)
            for limit, offset in ((20, 0), (1, 0), (1, 1), (2, 1)):
                expected = reads.search_names(session, key, limit=limit, offset=offset)
                assert reader.names(key, limit=limit, offset=offset) == expected
    # exact name first, then in name order
    assert reader.names(normalize_name("甲乙商贸"), limit=20, offset=0)[0] == '{"name":"甲乙商贸"}'


@pytest.mark.postgresql_only
def test_a_connection_the_server_dropped_is_replaced(held: Engine, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("a dropped server connection is PostgreSQL's")
    reader = reads.SubjectReader(held)
    assert reader(CODE) is not None  # one connection now waits in the reader's pool
    with held.connect() as admin:
        ended = admin.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
    assert ended >= 1
    row = reader(CODE)
    assert row is not None
    assert row[0] == "legal_person"
    reader.driver.engine.dispose()
