"""The only place that reads the wall clock. Everything else is handed a :class:`Clock`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from xinyong.core.config import PLATFORM_TIMEZONE

PLATFORM_ZONE = ZoneInfo(PLATFORM_TIMEZONE)


class Clock:
    """Wall clock; ``frozen_at`` pins it (``XINYONG_NOW``, tests, training environments)."""

    def __init__(self, frozen_at: datetime | None = None) -> None:
        if frozen_at is not None and frozen_at.tzinfo is None:
            # A naive instant is read as platform local time.
            frozen_at = frozen_at.replace(tzinfo=PLATFORM_ZONE)
        self.frozen_at = frozen_at.astimezone(UTC) if frozen_at is not None else None

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None

    def now(self) -> datetime:
        """The current instant, aware, in the platform zone (API.md: times carry the
        Asia/Shanghai offset); compare and store it as any aware instant."""
        if self.frozen_at is not None:
            return self.frozen_at.astimezone(PLATFORM_ZONE)
        return datetime.now(UTC).astimezone(PLATFORM_ZONE)

    def local_now(self) -> datetime:
        return self.now().astimezone(PLATFORM_ZONE)

    def today(self) -> date:
        """Today's date in the platform zone (Asia/Shanghai)."""
        return self.local_now().date()


def local_date(at: datetime) -> date:
    """The platform-zone calendar date of an aware instant."""
    return at.astimezone(PLATFORM_ZONE).date()
