"""collection sources: the registry of (organisation, item), restricted items, an organ's USCC

Issue 11 items 2 and 8 (Art. 12, 25, 26): the credit office binds real organisations to the
kinds of unit a catalogue item names (``source_registration``); an item version states whether
only its registered sources may deliver it (``restricted_sources``: on for the serious
dishonesty list, the red list and judgment defaulters, also on versions already published,
whose collection source this migration corrects); an organisation carries its USCC, which a
list decision names its deciding organ by.

Revision ID: 0007
Revises: 0010
Create Date: 2026-12-04 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import xinyong.db.types

revision: str = "0007"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RESTRICTED = ("serious_dishonesty", "red_list", "judgment_default")


def upgrade() -> None:
    with op.batch_alter_table("catalogue_item_version", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("restricted_sources", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("catalogue_item_version", schema=None) as batch_op:
        batch_op.alter_column("restricted_sources", server_default=None)
    version = sa.table(
        "catalogue_item_version",
        sa.column("item_id", sa.Integer()),
        sa.column("restricted_sources", sa.Boolean()),
    )
    item = sa.table("catalogue_item", sa.column("id", sa.Integer()), sa.column("code"))
    op.execute(
        version.update()
        .where(version.c.item_id.in_(sa.select(item.c.id).where(item.c.code.in_(RESTRICTED))))
        .values(restricted_sources=True)
    )

    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uscc", sa.String(length=18), nullable=True))

    op.create_table(
        "source_registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("org_code", sa.String(length=64), nullable=False),
        sa.Column("org_name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("registered_at", xinyong.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("registered_by", sa.String(length=200), nullable=False),
        sa.Column("ended_at", xinyong.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(length=200), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["catalogue_item.id"],
            name=op.f("fk_source_registration_item_id_catalogue_item"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_registration")),
        sa.UniqueConstraint(
            "item_id", "org_id", name=op.f("uq_source_registration_item_id_org_id")
        ),
    )
    with op.batch_alter_table("source_registration", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_source_registration_item_id"), ["item_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_source_registration_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("source_registration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_registration_org_id"))
        batch_op.drop_index(batch_op.f("ix_source_registration_item_id"))
    op.drop_table("source_registration")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("uscc")
    with op.batch_alter_table("catalogue_item_version", schema=None) as batch_op:
        batch_op.drop_column("restricted_sources")
