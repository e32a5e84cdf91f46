"""TOTP second factor (PLT-1): factors with sealed secrets and the last used time step,
hashed one-time recovery codes, and the security policy row.

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-26 17:17:10.629178
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import xinyong.db.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "security_policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("require_totp_for_admins", sa.Boolean(), nullable=False),
        sa.Column("updated_at", xinyong.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_security_policy")),
    )
    op.create_table(
        "totp_factor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("secret_sealed", sa.String(length=300), nullable=False),
        sa.Column("started_at", xinyong.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", xinyong.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ended_at", xinyong.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_used_step", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_totp_factor_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_totp_factor")),
    )
    with op.batch_alter_table("totp_factor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_totp_factor_user_id"), ["user_id"], unique=False)

    op.create_table(
        "totp_recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("factor_id", sa.Integer(), nullable=False),
        sa.Column("code_sha256", sa.String(length=64), nullable=False),
        sa.Column("used_at", xinyong.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["factor_id"],
            ["totp_factor.id"],
            name=op.f("fk_totp_recovery_code_factor_id_totp_factor"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_totp_recovery_code")),
    )
    with op.batch_alter_table("totp_recovery_code", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_totp_recovery_code_factor_id"), ["factor_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("totp_recovery_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_totp_recovery_code_factor_id"))

    op.drop_table("totp_recovery_code")
    with op.batch_alter_table("totp_factor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_totp_factor_user_id"))

    op.drop_table("totp_factor")
    op.drop_table("security_policy")
