"""special reports, watches and batch checks (issue 17 items 1–4)

A department's domain (``organisation.sector``); the register of credit reports gains its kind
and, for a special credit report, its period and domains.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import xinyong.db.types

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organisation") as batch:
        batch.add_column(sa.Column("sector", sa.String(length=32), nullable=True))
    with op.batch_alter_table("credit_report") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=16), server_default="credit", nullable=False)
        )
        batch.add_column(sa.Column("period_from", sa.Date(), nullable=True))
        batch.add_column(sa.Column("period_to", sa.Date(), nullable=True))
        batch.add_column(sa.Column("domains", sa.JSON(), nullable=True))
    op.create_table(
        "feed_consumer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("after_seq", sa.BigInteger(), nullable=False),
        sa.Column("after_id", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_consumer")),
        sa.UniqueConstraint("name", name=op.f("uq_feed_consumer_name")),
    )

    op.create_table(
        "watch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("org_name", sa.String(length=300), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("user_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("authority_items", sa.JSON(), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("subject_code", sa.String(length=64), nullable=False),
        sa.Column("subject_name", sa.String(length=300), nullable=False),
        sa.Column("created_at", xinyong.db.types.UTCDateTime(), nullable=False),
        sa.Column("ended_at", xinyong.db.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch")),
    )
    op.create_index("ix_watch_subject_id", "watch", ["subject_id"])
    op.create_index("ix_watch_org_id", "watch", ["org_id"])


def downgrade() -> None:
    op.drop_index("ix_watch_org_id", table_name="watch")
    op.drop_index("ix_watch_subject_id", table_name="watch")
    op.drop_table("watch")
    op.drop_table("feed_consumer")
    with op.batch_alter_table("credit_report") as batch:
        batch.drop_column("domains")
        batch.drop_column("period_to")
        batch.drop_column("period_from")
        batch.drop_column("kind")
    with op.batch_alter_table("organisation") as batch:
        batch.drop_column("sector")
