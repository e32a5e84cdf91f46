"""record marks: what objections, repairs and list entries put on records, in one lower table

Disclosure read these marks from the objections, repair and lists tables through call-time
imports (one import circle). The marks now live in ``record_mark`` (context ``xinyong.marks``),
written by those contexts in their own transactions. This migration creates the table and
copies the marks that hold today: open objections, granted repairs, list entries with their
periods (an early removal as ``ended_on``) and published red list entries. A list procedure
also records the records its proposal rests on (``ground_record_ids``), so that repairing one
of them ends the entry (Art. 36).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import xinyong.db.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "record_mark",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "under_objection",
                "repaired",
                "serious_dishonesty_entry",
                "red_list_entry",
                name="markkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("source_type", sa.String(length=32), nullable=False),
        sa.Column(
            "source_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("created_at", xinyong.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("ended_at", xinyong.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_mark")),
        sa.UniqueConstraint(
            "kind",
            "source_type",
            "source_id",
            name=op.f("uq_record_mark_kind_source_type_source_id"),
        ),
    )
    with op.batch_alter_table("list_procedure", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ground_record_ids", sa.JSON(), nullable=True))
    op.create_index("ix_record_mark_record_id_kind", "record_mark", ["record_id", "kind"])
    op.create_index("ix_record_mark_subject_id_kind", "record_mark", ["subject_id", "kind"])
    op.execute(
        "INSERT INTO record_mark (record_id, subject_id, kind, source_type, source_id, "
        "created_at) SELECT record_id, subject_id, 'under_objection', 'objection', id, "
        "received_at FROM objection WHERE status IN ('received', 'assistance')"
    )
    op.execute(
        "INSERT INTO record_mark (record_id, subject_id, kind, source_type, source_id, "
        "created_at) SELECT record_id, subject_id, 'repaired', 'repair', id, "
        "COALESCE(decided_at, received_at) FROM repair_application WHERE status = 'repaired'"
    )
    # A removed entry ended on its ``ended_on``; the instant is not kept on the entry, so the
    # publication instant stands in for "ended at some time since" (only ``ended_on`` is read).
    op.execute(
        "INSERT INTO record_mark (record_id, subject_id, kind, source_type, source_id, "
        "starts_on, ends_on, created_at, ended_on, ended_at, end_reason) "
        "SELECT record_id, subject_id, 'serious_dishonesty_entry', 'list_entry', id, "
        "period_start_on, period_end_on, published_at, "
        "CASE WHEN status = 'removed' THEN ended_on END, "
        "CASE WHEN status = 'removed' THEN published_at END, "
        "CASE WHEN status = 'removed' THEN substr(end_reason, 1, 300) END "
        "FROM list_entry WHERE record_id IS NOT NULL AND list_kind = 'serious_dishonesty'"
    )
    op.execute(
        "INSERT INTO record_mark (record_id, subject_id, kind, source_type, source_id, "
        "starts_on, ends_on, created_at) "
        "SELECT record_id, subject_id, 'red_list_entry', 'red_list_entry', id, adopted_on, "
        "valid_until, published_at FROM red_list_entry "
        "WHERE record_id IS NOT NULL AND published_at IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("list_procedure", schema=None) as batch_op:
        batch_op.drop_column("ground_record_ids")
    op.drop_index("ix_record_mark_subject_id_kind", table_name="record_mark")
    op.drop_index("ix_record_mark_record_id_kind", table_name="record_mark")
    op.drop_table("record_mark")
