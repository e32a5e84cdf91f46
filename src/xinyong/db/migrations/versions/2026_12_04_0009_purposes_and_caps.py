"""purposes and caps: the published inquiry purposes and check matters with their lifecycle
(Art. 19 ¶3), and the credit office's daily caps of inquirers (Art. 18)

The shipped purposes need no rows: they are in force until the credit office takes a step on
one (``xinyong.inquiry.purposes``). The inquiry log's ``channel`` gains values (``record``,
``list_procedure``, ``feed``, ``export``: logged looks, Art. 20, 31); it is a plain string
column without a check constraint, so nothing changes in the schema for it.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-04 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import xinyong.db.types

revision: str = "0009"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inquiry_purpose",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "published",
                "retired",
                name="purposestatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("shipped", sa.Boolean(), nullable=False),
        sa.Column("created_at", xinyong.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status_at", xinyong.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("by_name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inquiry_purpose")),
        sa.UniqueConstraint("code", name=op.f("uq_inquiry_purpose_code")),
    )
    op.create_table(
        "inquiry_cap",
        sa.Column("scope", sa.String(length=32), nullable=False),
        sa.Column("per_day", sa.Integer(), nullable=False),
        sa.Column("set_at", xinyong.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("set_by_name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_inquiry_cap")),
    )


def downgrade() -> None:
    op.drop_table("inquiry_cap")
    op.drop_table("inquiry_purpose")
