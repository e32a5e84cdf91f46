"""Monthly partitions of the append-only tables on PostgreSQL (issue 15 item 5)."""

from __future__ import annotations

from datetime import datetime

import pytest
from alembic import command
from sqlalchemy import func, select, text

from tests.conftest import FROZEN
from xinyong.core.clock import PLATFORM_ZONE, Clock
from xinyong.db.migrate import alembic_config, upgrade
from xinyong.db.session import make_engine
from xinyong.inquiry.models import Inquiry
from xinyong.ops import partitions
from xinyong.ops.partitions import Month


def inquiry_at(at: datetime) -> dict[str, object]:
    return {
        "at": at, "user_name": "查询员", "subject_code": "91520000214434146R",
        "purpose": "licensing", "channel": "government", "outcome": "answered", "items": [],
        "record_ids": [],
    }  # fmt: skip


#: Only the PostgreSQL run checks anything: coverage is measured on it (tests/conftest.py).
pytestmark = pytest.mark.postgresql_only


@pytest.fixture
def pg_url(backend: str, fresh_db_url: str) -> str:
    if backend != "postgresql":
        pytest.skip("partitions are PostgreSQL's")
    upgrade(fresh_db_url)
    return fresh_db_url


def test_the_large_tables_are_partitioned_by_local_month_with_months_ahead(pg_url: str) -> None:
    engine = make_engine(pg_url)
    this_month = Month.of(Clock().now())
    with engine.begin() as conn:
        for table in partitions.TABLES:
            assert partitions.is_partitioned(conn, table)
            names = partitions.partitions(conn, table)
            assert f"{table}_default" in names
            month = this_month
            for _ in range(partitions.MONTHS_AHEAD + 1):
                assert f"{table}_{month.suffix()}" in names
                month = month.next()
        assert not partitions.is_partitioned(conn, "record_version")  # see the module's note
        assert partitions.ensure_ahead(conn, Clock().now()) == []  # idempotent
    engine.dispose()


def test_a_row_outside_the_created_months_waits_in_default_and_moves_when_its_month_comes(
    pg_url: str,
) -> None:
    engine = make_engine(pg_url)
    old = datetime(2020, 3, 31, 23, 30, tzinfo=PLATFORM_ZONE)  # March locally, UTC too
    local_april = datetime(2020, 4, 1, 0, 30, tzinfo=PLATFORM_ZONE)  # UTC: still March 31st
    with engine.begin() as conn:
        conn.execute(Inquiry.__table__.insert(), [inquiry_at(old), inquiry_at(local_april)])
        assert conn.scalar(text("SELECT count(*) FROM inquiry_default")) == 2
        assert partitions.create_month(conn, "inquiry", Month(2020, 4))
        assert conn.scalar(text("SELECT count(*) FROM inquiry_default")) == 1
        assert conn.scalar(text("SELECT count(*) FROM inquiry_p2020_04")) == 1
        assert conn.scalar(select(func.count()).select_from(Inquiry)) == 2
    engine.dispose()


def test_downgrade_and_upgrade_keep_every_row(pg_url: str) -> None:
    engine = make_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(Inquiry.__table__.insert(), [inquiry_at(FROZEN)] * 3)
    engine.dispose()
    cfg = alembic_config(pg_url)
    command.downgrade(cfg, "0009")
    engine = make_engine(pg_url)
    with engine.begin() as conn:
        assert not partitions.is_partitioned(conn, "inquiry")
        assert conn.scalar(select(func.count()).select_from(Inquiry)) == 3
    engine.dispose()
    command.upgrade(cfg, "head")
    engine = make_engine(pg_url)
    with engine.begin() as conn:
        assert partitions.is_partitioned(conn, "inquiry")
        assert conn.scalar(select(func.count()).select_from(Inquiry)) == 3
        # The id sequence still serves the partitioned table.
        conn.execute(Inquiry.__table__.insert(), [inquiry_at(FROZEN)])
        assert conn.scalar(select(func.max(Inquiry.id))) == 4
    engine.dispose()
