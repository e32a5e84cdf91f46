"""Objection tests build the tables of the contexts they touch (until the registry lists
them) and a small world: provider, record, subject account, credit office."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

import xinyong.disclosure.models
import xinyong.documents.models
import xinyong.inquiry.models
import xinyong.objections.models
import xinyong.records.models
import xinyong.violations.models  # noqa: F401
from tests.factories.objections import World, make_world
from xinyong.core.clock import Clock


@pytest.fixture
def world(db: Session, clock: Clock) -> World:
    return make_world(db, at=clock.now())
