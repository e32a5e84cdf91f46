"""The unit of work owns the transaction (issue 13 item 1; docs/architecture.md,
"Transactions"): a use case that fails halfway leaves nothing written — no record, no audit
entry — on both databases, a use case that ends commits once, and a GET of the objection list
writes nothing (escalating is the job ``xinyong objections escalate``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import FROZEN
from tests.factories.accounts import PASSWORD
from tests.factories.disclosure import penalty, penalty_fields
from tests.factories.objections import World, make_world
from xinyong.audit.models import AuditEntry
from xinyong.cli.objections import escalate_all
from xinyong.core.clock import Clock
from xinyong.db.base import Base
from xinyong.db.session import make_engine, make_session_factory
from xinyong.db.uow import Kept, UnitOfWork, commit_kept, use_case
from xinyong.objections import service as objections
from xinyong.records import service as records_service
from xinyong.records.models import Record
from xinyong.violations.models import Violation

DOC = "筑市监罚〔2026〕9901号"


class Crash(RuntimeError):
    """The process failing between two steps of a use case."""


def held(session: Session, doc: str = DOC) -> tuple[int, int]:
    """Records with ``doc`` and audit entries of deliveries: what a delivery writes."""
    records = session.scalar(select(func.count()).where(Record.document_no == doc))
    entries = session.scalar(select(func.count()).where(AuditEntry.tag == "records:record:create"))
    return int(records or 0), int(entries or 0)


@pytest.fixture
def real(fresh_db_url: str) -> Iterator[tuple[Engine, sessionmaker[Session], World]]:
    """A database of its own with real commits (not the tests' rolled-back outer
    transaction), and the objection world committed in it."""
    engine = make_engine(fresh_db_url)
    Base.metadata.create_all(engine)
    factory = make_session_factory(engine)
    with use_case(factory) as uow:
        world = make_world(uow.session, at=FROZEN)
    yield engine, factory, world
    engine.dispose()


def deliver(session: Session, world: World, doc: str = DOC) -> int:
    return penalty(
        session, world.provider, person=False, name="贵州半途有限公司", code=world.code,
        decided_on=date(2026, 9, 2), severity="general", at=FROZEN, doc=doc,
        store_window=False,
    )  # fmt: skip


def test_a_use_case_failing_halfway_leaves_nothing_written(
    real: tuple[Engine, sessionmaker[Session], World],
) -> None:
    _, factory, world = real
    with factory() as look:
        before = held(look)
    with pytest.raises(Crash), use_case(factory) as uow:  # noqa: PT012 - the use case
        deliver(uow.session, world)  # the record, its version, its audit entry: flushed
        assert held(uow.session) == (1, before[1] + 1)
        raise Crash("the use case fails before its end")
    with factory() as look:  # a new session, a new transaction: only what was committed
        assert held(look) == before

    # The same use case run to its end is committed once, record and audit entry together.
    with use_case(factory) as uow:
        deliver(uow.session, world)
    with factory() as look:
        assert held(look) == (1, before[1] + 1)


def test_a_unit_of_work_commits_only_when_told(
    real: tuple[Engine, sessionmaker[Session], World],
) -> None:
    _, factory, world = real
    with UnitOfWork(factory) as uow:
        deliver(uow.session, world)
        # no uow.commit(): leaving the block rolls back
    with factory() as look:
        assert held(look)[0] == 0
    with UnitOfWork(factory) as uow:
        deliver(uow.session, world)
        uow.commit()
    with factory() as look:
        assert held(look)[0] == 1


def test_a_refusal_record_is_kept_though_its_use_case_fails(
    real: tuple[Engine, sessionmaker[Session], World],
) -> None:
    """A named case (``Kept.DELETION_REFUSED``): the refused ``DELETE`` of a record stays in
    the violation register and the audit log although the request fails (Art. 28, GOV-1)."""
    _, factory, world = real
    with use_case(factory) as uow:
        record_id = deliver(uow.session, world)
    with pytest.raises(Exception) as caught, use_case(factory) as uow:
        records_service.attempt_delete(
            uow.session, actor=world.provider, record_id=record_id, at=FROZEN
        )
    assert getattr(caught.value, "code", None) == "method_not_allowed"
    with factory() as look:
        kinds = [str(v.kind) for v in look.scalars(select(Violation))]
        assert "attempted_deletion" in kinds
        tags = set(look.scalars(select(AuditEntry.tag)))
        assert "records:record:delete_attempted" in tags
        assert held(look)[0] == 1


def test_commit_kept_takes_only_a_named_case(db: Session) -> None:
    with pytest.raises(TypeError):
        commit_kept(db, "whatever")  # type: ignore[arg-type]
    assert Kept.LOGIN_REFUSED in Kept


def login(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@pytest.fixture
def world(db: Session, clock: Clock) -> World:
    return make_world(db, at=clock.now())


def test_a_request_failing_halfway_leaves_nothing_written(
    client: TestClient, db: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``POST /records`` whose use case breaks after the record and its audit entry were
    written: a 500, and neither is kept."""
    provider = login(client, "sjj_staff")
    before = held(db)

    def crash(*_: Any, **__: Any) -> Any:
        raise Crash("after the write, before the answer")

    monkeypatch.setattr(records_service, "record_read", crash)
    body = {
        "item": "admin_penalty",
        "severity": "general",
        "fields": penalty_fields(
            person=False, name="贵州半途有限公司", code=world.code,
            decided_on=date(2026, 9, 2), doc=DOC,
        ),
    }  # fmt: skip
    with TestClient(client.app, raise_server_exceptions=False) as failing:
        r = failing.post("/api/v1/records", json=body, headers=provider)
    assert r.status_code == 500
    db.expire_all()
    assert held(db) == before
    monkeypatch.undo()
    r = client.post("/api/v1/records", json=body, headers=provider)
    assert r.status_code == 201, r.text
    db.expire_all()
    assert held(db) == (1, before[1] + 1)


def writes_during(connection: Connection) -> list[str]:
    """Every INSERT, UPDATE or DELETE sent on ``connection`` from now on."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb in ("INSERT", "UPDATE", "DELETE"):
            seen.append(statement)

    event.listen(connection, "before_cursor_execute", note)
    return seen


def test_a_get_of_the_objection_list_writes_nothing(
    app: FastAPI, client: TestClient, db: Session, world: World, connection: Connection
) -> None:
    objections.file_objection(
        db, actor=world.subject, record_id=world.record_id, reason="金额有误", at=FROZEN
    )
    db.flush()
    late = FROZEN + timedelta(days=30)  # long past the objection's due date
    app.state.clock = Clock(late)
    office = login(client, "office_staff")
    provider = login(client, "sjj_staff")
    writes = writes_during(connection)
    for headers in (office, provider):
        writes.clear()
        r = client.get("/api/v1/objections", headers=headers)
        assert r.status_code == 200, r.text
        (item,) = r.json()["items"]
        assert item["overdue"] is True
        assert item["escalated_at"] is None
        assert writes == []
    assert db.scalars(select(Violation)).all() == []
    # The job escalates it, once.
    assert escalate_all(db, at=late)["objections"] == 1
    assert escalate_all(db, at=late)["objections"] == 0
    assert len(db.scalars(select(Violation)).all()) == 1
