"""The state of each periodic job, shared by every worker process (issue 15 item 4).

One row per job. A worker claims a due job by taking a lease on its row (``lease_owner``,
``lease_until``) in a short transaction — on PostgreSQL ``SELECT … FOR UPDATE SKIP LOCKED``,
on SQLite the write lock every writing transaction takes up front — runs it, then writes the
outcome and the next run. A worker that dies mid-job leaves a lease that runs out, and another
worker takes the job over. Nothing of this lives in process memory.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import Count, Str16, Str64, Str200, Str500


class JobState(Base):
    name: Mapped[Str64] = mapped_column(primary_key=True)
    next_run_at: Mapped[datetime]
    lease_owner: Mapped[Str200 | None]
    lease_until: Mapped[datetime | None]
    last_started_at: Mapped[datetime | None]
    last_finished_at: Mapped[datetime | None]
    #: ``ok`` or ``failed`` (``None`` before the first run).
    last_status: Mapped[Str16 | None]
    last_error: Mapped[str | None]
    last_summary: Mapped[Str500 | None]
    last_duration_ms: Mapped[int | None]
    last_owner: Mapped[Str200 | None]
    runs: Mapped[Count]
    failures: Mapped[Count]
    consecutive_failures: Mapped[Count]
