"""Fixtures of the disclosure tests: the shipped catalogue and one actor per channel.

``xinyong.records.models`` and ``xinyong.disclosure.models`` are imported at collection time so
that their tables exist when the session-wide ``engine`` builds the schema (until both contexts
are listed in ``xinyong.db.registry``).
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

import xinyong.disclosure.models
import xinyong.records.models  # noqa: F401
from tests.factories.accounts import actor_of, make_org, make_user
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Actor, Role
from xinyong.core.clock import Clock


@pytest.fixture
def catalogue(db: Session, clock: Clock) -> None:
    load_shipped_catalogues(db, actor=SYSTEM, at=clock.now())
    db.commit()


@pytest.fixture
def provider(db: Session, clock: Clock, catalogue: None) -> Actor:
    make_org(db, at=clock.now(), code="GY-SJJ", kind="provider", name="贵阳市市场监督管理局")
    return actor_of(
        make_user(db, at=clock.now(), role=Role.PROVIDER, username="gy_sjj", org_code="GY-SJJ")
    )


@pytest.fixture
def inquirer(db: Session, clock: Clock, catalogue: None) -> Actor:
    return actor_of(make_user(db, at=clock.now(), role=Role.INQUIRER, username="organ1"))


@pytest.fixture
def institution(db: Session, clock: Clock, catalogue: None) -> Actor:
    return actor_of(make_user(db, at=clock.now(), role=Role.INSTITUTION, username="inst1"))


@pytest.fixture
def auditor(db: Session, clock: Clock, catalogue: None) -> Actor:
    return actor_of(make_user(db, at=clock.now(), role=Role.AUDITOR, username="auditor1"))
