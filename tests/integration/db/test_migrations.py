"""The migrations build the schema the models describe, on every backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from xinyong.db.base import Base
from xinyong.db.migrate import upgrade
from xinyong.db.registry import load_all_models
from xinyong.db.session import make_engine
from xinyong.ops import partitions


def test_upgrade_head_matches_models(fresh_db_url: str) -> None:
    load_all_models()
    upgrade(fresh_db_url)
    engine = make_engine(fresh_db_url)
    try:
        with engine.connect() as conn:
            # Monthly partitions (PostgreSQL) are the database's, not tables of the models.
            opts = {"compare_type": True, "include_name": partitions.include_name}
            ctx = MigrationContext.configure(conn, opts=opts)
            diff = compare_metadata(ctx, Base.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
    finally:
        engine.dispose()


def test_upgrade_is_repeatable(fresh_db_url: str) -> None:
    upgrade(fresh_db_url)
    upgrade(fresh_db_url)  # a second run finds nothing to do and does not fail
