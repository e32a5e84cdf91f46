"""Fixtures of the feed tests: the shipped catalogue, two providers, the office.

The collection and feed models are imported at collection time so that their tables exist
before the session-wide ``engine`` fixture creates the schema (until they are listed in
``xinyong.db.registry``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

import xinyong.feed.models
import xinyong.records.models  # noqa: F401
from tests.factories.accounts import actor_of, make_org, make_user
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Actor, Role
from xinyong.core.clock import Clock

DATA = Path(__file__).parents[2] / "data" / "admin_penalty_shuanggongshi.csv"


@pytest.fixture(autouse=True)
def _local_receivers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test endpoints listen on loopback, which the egress policy refuses unless the
    operator allows it (``xinyong.feed.egress``)."""
    monkeypatch.setenv("XINYONG_WEBHOOK_ALLOWED_NETWORKS", "127.0.0.1/32")


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
def other_provider(db: Session, clock: Clock, catalogue: None) -> Actor:
    make_org(db, at=clock.now(), code="GY-SWJ", kind="provider", name="贵阳市税务局")
    return actor_of(
        make_user(db, at=clock.now(), role=Role.PROVIDER, username="gy_swj", org_code="GY-SWJ")
    )


@pytest.fixture
def office(db: Session, clock: Clock, catalogue: None) -> Actor:
    return actor_of(make_user(db, at=clock.now(), role=Role.CREDIT_OFFICE, username="office1"))
