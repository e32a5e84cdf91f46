"""Dashboard tests read the tables of every context the panels count (until the registry
lists them all, they are imported here so the session-wide schema holds them)."""

from __future__ import annotations

from datetime import datetime

import xinyong.disclosure.models
import xinyong.documents.models
import xinyong.feed.models
import xinyong.inquiry.models
import xinyong.lists.models
import xinyong.objections.models
import xinyong.records.models
import xinyong.violations.models  # noqa: F401
from xinyong.core.clock import PLATFORM_ZONE, Clock


def at(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> datetime:
    """An instant, platform-local wall time."""
    return Clock(datetime(year, month, day, hour, minute, tzinfo=PLATFORM_ZONE)).now()
