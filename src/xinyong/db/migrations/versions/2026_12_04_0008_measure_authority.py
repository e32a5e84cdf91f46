"""measure authority: organ kinds, unrated checks, notice-then-decision, ends and lifting

Issue 11 items 5–7 and 10 (Art. 23, 28, 29, 36; MEA-5): an organisation's kind of state organ
bounds the measures it may implement; a check may answer no grade (unrated); a disciplinary
measure is notified with a defence deadline before it is decided; an applied measure has an
end (its period) and is lifted with the record or list entry it rests on.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-04 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import xinyong.db.types

revision: str = "0008"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_APPLIED_STATUS = sa.Enum(
    "pending", "applied", "withdrawn", "lifted", name="appliedstatus", native_enum=False, length=32
)


def _when() -> xinyong.db.types.UTCDateTime:
    return xinyong.db.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organ_kind", sa.String(length=32), nullable=True))

    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.add_column(sa.Column("period_months", sa.Integer(), nullable=True))

    with op.batch_alter_table("credit_check", schema=None) as batch_op:
        batch_op.alter_column("grade", existing_type=sa.String(length=2), nullable=True)

    with op.batch_alter_table("applied_measure", schema=None) as batch_op:
        # Rows recorded before this revision were applied at once: they stay ``applied``.
        batch_op.add_column(
            sa.Column("status", _APPLIED_STATUS, nullable=False, server_default="applied")
        )
        batch_op.add_column(sa.Column("record_ids", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("list_entry_ids", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("defence_due_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("statement", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("stated_at", _when(), nullable=True))
        batch_op.add_column(sa.Column("statement_answer", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("answered_at", _when(), nullable=True))
        batch_op.add_column(sa.Column("answered_by_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("decided_at", _when(), nullable=True))
        batch_op.add_column(sa.Column("decided_by_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("decision_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("decision_number", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("ends_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("lifted_at", _when(), nullable=True))
        batch_op.add_column(sa.Column("lift_reason", sa.Text(), nullable=True))

    with op.batch_alter_table("applied_measure", schema=None) as batch_op:
        batch_op.alter_column("status", existing_type=_APPLIED_STATUS, server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("applied_measure", schema=None) as batch_op:
        for name in (
            "lift_reason", "lifted_at", "ends_on", "decision_number", "decision_reason",
            "decided_by_name", "decided_at", "answered_by_name", "answered_at",
            "statement_answer", "stated_at", "statement", "defence_due_on", "list_entry_ids",
            "record_ids", "status",
        ):  # fmt: skip
            batch_op.drop_column(name)

    with op.batch_alter_table("credit_check", schema=None) as batch_op:
        batch_op.alter_column("grade", existing_type=sa.String(length=2), nullable=False)

    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.drop_column("period_months")

    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("organ_kind")
