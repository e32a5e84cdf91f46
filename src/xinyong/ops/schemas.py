"""What the credit office sees of the periodic jobs."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class JobRead(BaseModel):
    name: str
    title: str
    schedule: str
    next_run_at: datetime | None
    running: bool
    lease_owner: str | None
    last_started_at: datetime | None
    last_finished_at: datetime | None
    last_status: str | None
    last_summary: str | None
    last_error: str | None
    last_duration_ms: int | None
    runs: int
    failures: int
    consecutive_failures: int


class JobsRead(BaseModel):
    items: list[JobRead]
