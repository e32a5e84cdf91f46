"""audit log: sequencing apart from integration (issue 16 item 2)

An append now only takes the next seq (``audit_sequence``) and writes its entry with the leaf
hash; the tree is built in batches afterwards. The tree root after each entry moves from the
insert-only ``audit_entry`` row, where integration could not write it, to ``audit_root`` keyed
by the tree size; the stored roots are copied, so the history keeps every root it had.
``audit_head`` keeps the integrated tree (all of the log, at the time of this migration).
Not reversible in place (see ``downgrade``).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "audit_sequence",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_sequence")),
    )
    op.create_table(
        "audit_root",
        sa.Column("size", BigId, autoincrement=False, nullable=False),
        sa.Column("root", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("size", name=op.f("pk_audit_root")),
    )
    op.execute("INSERT INTO audit_sequence (id, size) SELECT id, size FROM audit_head")
    op.execute("INSERT INTO audit_root (size, root) SELECT seq + 1, root FROM audit_entry")
    with op.batch_alter_table("audit_entry") as batch:
        batch.drop_column("root")


def downgrade() -> None:
    # The old schema keeps each entry's root in its audit_entry row: going back would write
    # into every row of an insert-only table, which nothing in the platform does. Restore the
    # backup taken before upgrading instead (`xinyong backup`, docs/deployment.md).
    raise NotImplementedError(
        "0017 moves the per-entry roots out of the insert-only audit_entry table and cannot "
        "be undone in place: restore the backup taken before the upgrade"
    )
