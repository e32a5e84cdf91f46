"""objection scope (Art. 32): objections to an omission or to the handling of information

An objection names its kind (``record``, ``omission``, ``handling``); an omission or handling
objection names a catalogue item or a channel instead of a record, so ``record_id`` becomes
nullable. Existing rows are objections to records (server default ``record``).

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-04 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KIND = sa.Enum("record", "omission", "handling", name="objectionkind", native_enum=False, length=32)


def upgrade() -> None:
    with op.batch_alter_table("objection", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", KIND, server_default="record", nullable=False))
        batch_op.add_column(sa.Column("item_code", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("channel", sa.String(length=32), nullable=True))
        batch_op.alter_column("record_id", existing_type=sa.BigInteger(), nullable=True)


def downgrade() -> None:
    # Objections without a record cannot be kept in the old shape.
    op.execute("DELETE FROM objection WHERE record_id IS NULL")
    with op.batch_alter_table("objection", schema=None) as batch_op:
        batch_op.alter_column("record_id", existing_type=sa.BigInteger(), nullable=False)
        batch_op.drop_column("channel")
        batch_op.drop_column("item_code")
        batch_op.drop_column("kind")
