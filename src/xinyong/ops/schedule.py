"""When a job is due next (pure rules; the platform zone decides what "midnight" is)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from xinyong.core.clock import PLATFORM_ZONE


@dataclass(frozen=True, slots=True)
class Schedule:
    """Every ``every`` and, when ``daily_at`` is set, also at that local time each day (the
    earlier of the two). ``every=None``: only daily."""

    every: timedelta | None = None
    daily_at: time | None = None

    def next_after(self, at: datetime) -> datetime:
        candidates: list[datetime] = []
        if self.every is not None:
            candidates.append(at + self.every)
        if self.daily_at is not None:
            candidates.append(next_local(at, self.daily_at))
        if not candidates:
            raise ValueError("a schedule needs an interval or a time of day")
        return min(candidates)

    def describe(self) -> str:
        parts = []
        if self.every is not None:
            parts.append(f"every {int(self.every.total_seconds())} s")
        if self.daily_at is not None:
            parts.append(f"daily at {self.daily_at.isoformat(timespec='seconds')} Asia/Shanghai")
        return ", ".join(parts)


def next_local(at: datetime, when: time) -> datetime:
    """The first instant after ``at`` whose platform-zone wall time is ``when``."""
    local = at.astimezone(PLATFORM_ZONE)
    candidate = datetime.combine(local.date(), when, tzinfo=PLATFORM_ZONE)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), when, tzinfo=PLATFORM_ZONE)
    return candidate
