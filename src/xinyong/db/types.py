"""Column types shared by every context."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from xinyong.core.clock import PLATFORM_ZONE


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored as UTC; naive values are refused, reads come back aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        # Stored as UTC; read back in the platform zone so that every time the API and the
        # pages show carries the Asia/Shanghai offset (API.md).
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC).astimezone(PLATFORM_ZONE)
        return value.astimezone(PLATFORM_ZONE)
