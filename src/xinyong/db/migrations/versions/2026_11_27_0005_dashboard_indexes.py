"""dashboard indexes: records by the instant they were received (deliveries over time)

The credit office's dashboard counts the records received per month and provider over a range
of dates (DESIGN §6); without this index every dashboard view scans the whole record table.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 10:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain CREATE INDEX on both databases: a batch operation could copy the whole table on SQLite.


def upgrade() -> None:
    op.create_index(
        "ix_record_received_at_provider_org_id",
        "record",
        ["received_at", "provider_org_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_record_received_at_provider_org_id", table_name="record")
