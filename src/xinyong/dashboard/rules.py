"""Pure rules of the dashboard: the date range asked for and its monthly buckets. No I/O.

A range is two platform-local dates, both included. Without them the dashboard shows the last
12 calendar months up to today (the current month counts, so its first bucket starts on the
1st of the month eleven months back). Figures over time are bucketed by calendar month; the
first and last buckets are cut at the range's ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from xinyong.accounts.rules import region_problem, region_within
from xinyong.core.clock import PLATFORM_ZONE
from xinyong.core.errors import InvalidInput

#: Months shown by default, the current one included.
DEFAULT_MONTHS = 12
#: The longest range one request may ask for (ten years of monthly buckets).
MAX_MONTHS = 120
#: Panels that export CSV, as the export's path names them.
PANELS = (
    "deliveries",
    "deliveries_by_provider",
    "overdue_providers",
    "objections",
    "inquiries",
    "list_entries",
)
#: "Due soon": open objections due within this many working days (Art. 32 allows 3).
DUE_SOON_WORKING_DAYS = 3

#: The regions the filter offers (GB/T 2260): the province and its nine prefectures, with their
#: English names (the pages translate them). Any other 6-digit division code is accepted too.
REGIONS: tuple[tuple[str, str], ...] = (
    ("520000", "Guizhou Province"),
    ("520100", "Guiyang"),
    ("520200", "Liupanshui"),
    ("520300", "Zunyi"),
    ("520400", "Anshun"),
    ("520500", "Bijie"),
    ("520600", "Tongren"),
    ("522300", "Qianxinan Prefecture"),
    ("522600", "Qiandongnan Prefecture"),
    ("522700", "Qiannan Prefecture"),
)


def parse_region(value: str | None) -> str | None:
    """The region a request asks for (``None``: every region), or ``InvalidInput``."""
    text = (value or "").strip()
    if not text:
        return None
    problem = region_problem(text)
    if problem is not None:
        raise InvalidInput(
            problem,
            code="invalid_region",
            details=[{"field": "region", "reason": "a 6-digit region code (GB/T 2260)"}],
        )
    return text


def orgs_in_region(regions: list[tuple[int, str]], region: str) -> set[int]:
    """The organisations (id, region) whose region lies inside ``region``."""
    return {org for org, where in regions if region_within(where, region)}


@dataclass(frozen=True, slots=True)
class Month:
    """One bucket: a calendar month, cut to the range."""

    label: str
    first: date
    last: date


def first_of_month(day: date, shift: int = 0) -> date:
    """The 1st of ``day``'s month, ``shift`` months later (earlier when negative)."""
    year, month = divmod(day.year * 12 + day.month - 1 + shift, 12)
    return date(year, month + 1, 1)


def default_range(today: date) -> tuple[date, date]:
    """The last 12 calendar months up to ``today``, today's month included."""
    return first_of_month(today, -(DEFAULT_MONTHS - 1)), today


def _parse(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(
            f"日期 {field} 无效：{value!r}，应为 YYYY-MM-DD / {field} must be a date "
            f"YYYY-MM-DD, not {value!r}",
            code="invalid_date",
            details=[{"field": field, "reason": "expected a date YYYY-MM-DD"}],
        ) from None


def parse_range(start: str | None, end: str | None, *, today: date) -> tuple[date, date]:
    """The range a request asks for; missing ends default (``to``: today; ``from``: twelve
    months back from ``to``). Refuses a bad date, an inverted range and one too long."""
    last = _parse(end, "to") if end and end.strip() else today
    first = _parse(start, "from") if start and start.strip() else default_range(last)[0]
    if last < first:
        raise InvalidInput(
            f"结束日期 {last} 早于开始日期 {first} / to ({last}) is before from ({first})",
            code="invalid_range",
            details=[{"field": "to", "reason": "not before from"}],
        )
    if len(months(first, last)) > MAX_MONTHS:
        raise InvalidInput(
            f"时间范围不能超过 {MAX_MONTHS} 个月 / the range may span at most {MAX_MONTHS} months",
            code="range_too_long",
            details=[{"field": "from", "reason": f"at most {MAX_MONTHS} months"}],
        )
    return first, last


def months(first: date, last: date) -> list[Month]:
    """The calendar months from ``first`` to ``last`` (both included), cut to the range."""
    out: list[Month] = []
    start = first
    while start <= last:
        following = first_of_month(start, 1)
        out.append(Month(f"{start:%Y-%m}", start, min(last, following - timedelta(days=1))))
        start = following
        if len(out) > MAX_MONTHS:
            break
    return out


def day_start(day: date) -> datetime:
    """The instant the platform-local ``day`` begins."""
    return datetime.combine(day, time(0), tzinfo=PLATFORM_ZONE)


def instant_ends(buckets: list[Month]) -> list[datetime]:
    """Exclusive upper bounds of the buckets, as instants (for timestamps)."""
    return [day_start(m.last + timedelta(days=1)) for m in buckets]


def date_ends(buckets: list[Month]) -> list[date]:
    """Exclusive upper bounds of the buckets, as dates (for date columns)."""
    return [m.last + timedelta(days=1) for m in buckets]
