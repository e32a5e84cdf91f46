"""inquiry log: the daily cap's counter (issue 16 item 2)

The screening of an inquiry read the account's answered inquiries of the day by counting the
day's log rows, a cost that grew with every inquiry the account made that day. The count is
now kept in ``inquiry_day_count`` (account, platform day), written in the transaction that
logs each answer. Filled here from the log: answered inquiries on the capped channels
(government, authorized, batch), by the platform-zone (Asia/Shanghai) date of their instant.

Runs while the old release serves (a new table; one pass over the log: on PostgreSQL a single
``GROUP BY``, on SQLite streamed). Inquiries the old release answers after it ran are not
counted: on that day the cap counts what the log held when it ran and what the new release
answers, so restart the servers promptly (docs/deployment.md §7).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 01:00:00
"""

from collections import Counter
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

import xinyong.db.types

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ZONE = "Asia/Shanghai"
CAPPED = ("government", "authorized", "batch")


def upgrade() -> None:
    table = op.create_table(
        "inquiry_day_count",
        sa.Column("user_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "day", name=op.f("pk_inquiry_day_count")),
    )
    assert table is not None
    conn = op.get_bind()
    answered = sa.table(
        "inquiry",
        sa.column("user_id", sa.Integer()),
        sa.column("at", xinyong.db.types.UTCDateTime()),
        sa.column("outcome", sa.String()),
        sa.column("channel", sa.String()),
    )
    where = (
        answered.c.user_id.is_not(None),
        answered.c.outcome == "answered",
        answered.c.channel.in_(CAPPED),
    )
    if conn.dialect.name == "postgresql":
        day = sa.cast(sa.func.timezone(ZONE, answered.c.at), sa.Date)
        counted = (
            sa.select(answered.c.user_id, day, sa.func.count())
            .where(*where)
            .group_by(answered.c.user_id, day)
        )
        op.execute(sa.insert(table).from_select(["user_id", "day", "answered"], counted))
        return
    # SQLite stores instants as UTC text: the platform date is taken in Python.
    zone = ZoneInfo(ZONE)
    days: Counter[tuple[int, object]] = Counter()
    rows = conn.execution_options(yield_per=10_000).execute(
        sa.select(answered.c.user_id, answered.c.at).where(*where)
    )
    for user_id, at in rows:
        days[(user_id, at.astimezone(zone).date())] += 1
    if days:
        op.bulk_insert(
            table,
            [{"user_id": u, "day": d, "answered": n} for (u, d), n in days.items()],
        )


def downgrade() -> None:
    op.drop_table("inquiry_day_count")
