"""Fixtures of the publication tests: a core with public, expiring and non-public records,
and an empty publication store of the same backend (its own database)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

import xinyong.disclosure.models
import xinyong.records.models  # noqa: F401
from tests.factories.accounts import actor_of, make_org, make_user
from tests.factories.disclosure import (
    deliver,
    penalty,
    penalty_fields,
    resident_id,
    tax_fields,
    uscc,
)
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Actor, Role
from xinyong.core.clock import Clock
from xinyong.db.session import make_engine
from xinyong.publication import store

PERSON = ("欧阳明华", resident_id(61))
#: A person whose only record is past its window: never in the store.
EXPIRED_PERSON = ("王卫东", resident_id(62))
#: The legal representative's number: a privacy field of a public record.
REPRESENTATIVE_ID = resident_id(63)
COMPANY = ("贵州公示库测试有限公司", uscc(611))
#: Its penalty's window ends a day or so after the frozen instant (2026-09-30).
ENDING = ("贵阳公示库到期测试商贸有限公司", uscc(612))
TAXED = ("遵义公示库欠税测试有限公司", uscc(613))
TAX_OFFICE = "国家税务总局贵阳市税务局"


@pytest.fixture
def provider(db: Session, clock: Clock) -> Actor:
    load_shipped_catalogues(db, actor=SYSTEM, at=clock.now())
    db.commit()
    make_org(db, at=clock.now(), code="GY-GSK", kind="provider", name="贵阳市市场监督管理局")
    return actor_of(
        make_user(db, at=clock.now(), role=Role.PROVIDER, username="gsk_provider",
                  org_code="GY-GSK")
    )  # fmt: skip


@pytest.fixture
def core(db: Session, clock: Clock, provider: Actor) -> Session:
    at = clock.now()
    name, pid = PERSON
    penalty(db, provider, person=True, name=name, code=pid, decided_on=date(2026, 7, 1),
            severity="general", at=at, doc="黔公示罚〔2026〕1号")  # fmt: skip
    name, pid = EXPIRED_PERSON
    penalty(db, provider, person=True, name=name, code=pid, decided_on=date(2025, 1, 2),
            severity="general", at=at, doc="黔公示罚〔2025〕2号")  # fmt: skip
    name, code = COMPANY
    fields = penalty_fields(
        person=False, name=name, code=code, decided_on=date(2026, 8, 1), doc="黔公示罚〔2026〕3号",
        FRDB="张建国", FR_ZJLX="护照号", FR_ZJHM=REPRESENTATIVE_ID,
        CF_SY=f"经查，该公司员工{PERSON[0]}（身份证号{PERSON[1]}）未按规定操作。",
    )  # fmt: skip
    deliver(db, provider, item="admin_penalty", fields=fields, at=at, severity="general",
            source_id="GSK-3")  # fmt: skip
    name, code = ENDING
    # A general penalty is public for 12 months from its decision: its window ends within
    # days of the frozen instant (the tests read the day from the store).
    penalty(db, provider, person=False, name=name, code=code, decided_on=date(2025, 10, 1),
            severity="general", at=at, doc="黔公示罚〔2025〕4号")  # fmt: skip
    name, code = TAXED
    fields = tax_fields(person=False, name=name, code=code, on=date(2026, 9, 1))
    deliver(db, provider, item="tax_arrears", severity="general", source_id="GSK-5",
            fields=fields, at=at)  # fmt: skip
    return db


@pytest.fixture
def store_engine(fresh_db_url: str) -> Iterator[Engine]:
    engine = make_engine(fresh_db_url)
    store.ensure_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def public_factory(store_engine: Engine) -> sessionmaker[Session]:
    return store.write_factory(store_engine)
