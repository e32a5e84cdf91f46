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
    # Going back puts the old schema's per-entry root column back, filled from audit_root
    # (no other field of an entry is touched); every entry must be integrated first.
    conn = op.get_bind()
    waiting = conn.scalar(
        sa.text("SELECT s.size - h.size FROM audit_sequence s JOIN audit_head h ON h.id = s.id")
    )
    if waiting:
        raise RuntimeError(
            f"{waiting} audit entries are not integrated yet: run `xinyong audit integrate` "
            "before downgrading (the old schema needs every entry's root)"
        )
    with op.batch_alter_table("audit_entry") as batch:
        batch.add_column(sa.Column("root", sa.LargeBinary(length=32), nullable=True))
    op.execute(
        "UPDATE audit_entry SET root = (SELECT r.root FROM audit_root r "
        "WHERE r.size = audit_entry.seq + 1)"
    )
    with op.batch_alter_table("audit_entry") as batch:
        batch.alter_column("root", existing_type=sa.LargeBinary(length=32), nullable=False)
    op.drop_table("audit_root")
    op.drop_table("audit_sequence")
