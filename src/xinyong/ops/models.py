"""The state of each periodic job, shared by every worker process (issue 15 item 4).

One row per job. A worker claims a due job by taking a lease on its row (``lease_owner``,
``lease_until``) in a short transaction — on PostgreSQL ``SELECT … FOR UPDATE SKIP LOCKED``,
on SQLite the write lock every writing transaction takes up front — runs it, then writes the
outcome and the next run. A worker that dies mid-job leaves a lease that runs out, and another
worker takes the job over. Nothing of this lives in process memory.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import UTCDateTime


class JobState(Base):
    __tablename__ = "job_state"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    next_run_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: ``ok`` or ``failed`` (``None`` before the first run).
    last_status: Mapped[str | None] = mapped_column(String(16))
    last_error: Mapped[str | None] = mapped_column(Text)
    last_summary: Mapped[str | None] = mapped_column(String(500))
    last_duration_ms: Mapped[int | None] = mapped_column(Integer)
    last_owner: Mapped[str | None] = mapped_column(String(200))
    runs: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
