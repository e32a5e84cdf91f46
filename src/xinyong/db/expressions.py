"""SQL expressions that differ between SQLite and PostgreSQL, written once.

``local_day_start(day, days=n)``: the instant (UTC) at which the platform-local calendar day
``day + n`` begins — so that "the platform-local date of ``at`` is after ``due_on``" is
``at >= local_day_start(due_on, days=1)``, evaluated per row in SQL. PostgreSQL converts with
the zone's rules; SQLite, which has no zone database, shifts by the platform zone's offset
(Asia/Shanghai has kept UTC+8 without summer time since 1991).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, SQLColumnExpression
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from xinyong.core.clock import PLATFORM_ZONE
from xinyong.core.config import PLATFORM_TIMEZONE

_OFFSET = datetime(2000, 1, 1, tzinfo=UTC).astimezone(PLATFORM_ZONE).utcoffset()
assert _OFFSET is not None
#: Minutes the platform zone is ahead of UTC (SQLite only).
OFFSET_MINUTES = int(_OFFSET.total_seconds() // 60)


class local_day_start(FunctionElement[datetime]):
    """The UTC instant the platform-local day ``day + days`` starts (a date expression in)."""

    type = DateTime()
    #: ``days`` changes the SQL, and it is not part of a cache key: never cache.
    inherit_cache = False

    def __init__(self, day: SQLColumnExpression[Any], *, days: int = 0) -> None:
        self.days = days
        super().__init__(day)


#: The SQL of ``local_day_start`` per dialect. SQLite: stored instants are naive UTC text
#: ``YYYY-MM-DD HH:MM:SS.ffffff``; datetime() gives the same layout without the fraction, which
#: compares correctly as text.
_LOCAL_DAY_START = {
    "sqlite": "datetime({day}, '{days:+d} days', '{minutes:+d} minutes')",
    "postgresql": "timezone('{zone}', CAST(({day} + {days}) AS TIMESTAMP WITHOUT TIME ZONE))",
}


def _local_day_start(element: local_day_start, compiler: SQLCompiler, **kw: Any) -> str:
    (day,) = element.clauses
    return _LOCAL_DAY_START[compiler.dialect.name].format(
        day=compiler.process(day, **kw),
        days=int(element.days),
        minutes=-OFFSET_MINUTES,
        zone=PLATFORM_TIMEZONE,
    )


for _dialect in _LOCAL_DAY_START:
    compiles(local_day_start, _dialect)(_local_day_start)
