"""Alembic environment: one metadata for every context, batch mode for SQLite."""

from __future__ import annotations

from alembic import context

from xinyong.db.base import Base
from xinyong.db.registry import load_all_models
from xinyong.db.session import make_engine
from xinyong.ops.partitions import include_name

load_all_models()
config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
    assert url
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
            include_name=include_name,  # type: ignore[arg-type]
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url)
    with engine.connect() as conn:
        context.configure(
            connection=conn,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
            include_name=include_name,  # type: ignore[arg-type]
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
