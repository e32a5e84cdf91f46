"""name index: its rows found by subject (issue 16, thirteenth round)

``subject_name_gram`` is keyed ``(gram, name_key, subject_id)`` for the fragment search. The
publication reads a chunk's rows by ``subject_id`` and indexing a name asks whether the
subject has that key already; neither could use that key, so each read every row of the
index: at 1 M subjects a first publication of the register copied 192 subjects a second, 333
with this index (``bench`` database, SQLite, one minute each).
``ix_subject_name_gram_subject_id (subject_id, name_key)`` serves both.

Runs while the old release serves (a new index: 11 s on that SQLite database; on PostgreSQL
the table is locked against writes while it builds).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-08 04:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_subject_name_gram_subject_id",
        "subject_name_gram",
        ["subject_id", "name_key"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_subject_name_gram_subject_id", table_name="subject_name_gram")
