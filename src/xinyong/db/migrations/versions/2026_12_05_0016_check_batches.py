"""batch checks (批量比对, issue 17 item 2)

A declared batch check and its rows: each row's subject, status, reason or result.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import xinyong.db.types

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH_STATES = ("queued", "running", "done", "failed")
ROW_STATES = ("pending", "accepted", "rejected")


def _state(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32)


def upgrade() -> None:
    op.create_table(
        "check_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", xinyong.db.types.UTCDateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("user_name", sa.String(length=200), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("org_code", sa.String(length=64), nullable=True),
        sa.Column("org_name", sa.String(length=300), nullable=True),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("matter", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column("status", _state(BATCH_STATES, "batchstatus"), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("started_at", xinyong.db.types.UTCDateTime(), nullable=True),
        sa.Column("finished_at", xinyong.db.types.UTCDateTime(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_batch")),
    )
    op.create_index(op.f("ix_check_batch_user_id"), "check_batch", ["user_id"])
    op.create_index(op.f("ix_check_batch_org_id"), "check_batch", ["org_id"])
    op.create_table(
        "check_batch_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("subject_code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("status", _state(ROW_STATES, "batchrowstatus"), nullable=False),
        sa.Column("reason_code", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("inquiry_id", sa.Integer(), nullable=True),
        sa.Column("check_id", sa.Integer(), nullable=True),
        sa.Column("grade", sa.String(length=2), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("processed_at", xinyong.db.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["check_batch.id"], name=op.f("fk_check_batch_row_batch_id_check_batch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_batch_row")),
    )
    op.create_index(
        "ix_check_batch_row_batch_status", "check_batch_row", ["batch_id", "status", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_check_batch_row_batch_status", table_name="check_batch_row")
    op.drop_table("check_batch_row")
    op.drop_index(op.f("ix_check_batch_org_id"), table_name="check_batch")
    op.drop_index(op.f("ix_check_batch_user_id"), table_name="check_batch")
    op.drop_table("check_batch")
