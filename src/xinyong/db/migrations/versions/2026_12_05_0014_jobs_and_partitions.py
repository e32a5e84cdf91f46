"""job state of the periodic work; monthly partitions on PostgreSQL (issue 15 items 4, 5)

``job_state``: one row per periodic job (lease, last run, next run, failures), shared by every
worker process. On PostgreSQL, ``audit_entry`` and ``inquiry`` become range-partitioned by month
on ``at`` (see ``xinyong.ops.partitions`` for why ``record_version`` is not); their primary keys
gain ``at``. SQLite is left as it is.

Revision ID: 0014
Revises: 0009
Create Date: 2026-12-05 06:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from xinyong.core.clock import Clock
from xinyong.db.types import UTCDateTime
from xinyong.ops import partitions

revision: str = "0014"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRIMARY_KEYS = {"audit_entry": ("seq",), "inquiry": ("id",)}


def upgrade() -> None:
    op.create_table(
        "job_state",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("next_run_at", UTCDateTime(), nullable=False),
        sa.Column("lease_owner", sa.String(length=200), nullable=True),
        sa.Column("lease_until", UTCDateTime(), nullable=True),
        sa.Column("last_started_at", UTCDateTime(), nullable=True),
        sa.Column("last_finished_at", UTCDateTime(), nullable=True),
        sa.Column("last_status", sa.String(length=16), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_summary", sa.String(length=500), nullable=True),
        sa.Column("last_duration_ms", sa.Integer(), nullable=True),
        sa.Column("last_owner", sa.String(length=200), nullable=True),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_state")),
    )
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    at = Clock().now()  # the running clock: partitions are for rows being written now
    for table, pk in PRIMARY_KEYS.items():
        if not partitions.is_partitioned(conn, table):
            partitions.partition_table(conn, table, (*pk, partitions.KEY), at)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        for table, pk in PRIMARY_KEYS.items():
            if partitions.is_partitioned(conn, table):
                partitions.unpartition_table(conn, table, pk)
    op.drop_table("job_state")
