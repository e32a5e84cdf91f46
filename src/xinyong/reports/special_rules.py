"""Pure rules of the special credit report (专项信用报告): the period it may cover and which
records it lists (RGT-1; Art. 31; NDRC and others, 2025: one special report in place of
"no violation" certificates from each department). No I/O."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date

from xinyong.reports.rules import RecordState

#: How far back a special report may reach: five years before the day it is issued.
MAX_YEARS_BACK = 5
#: Domains one report may name (every shipped domain fits).
MAX_DOMAINS = 30


def years_back(day: date, years: int) -> date:
    """``day`` ``years`` years earlier (29 February falls back to the 28th)."""
    year = day.year - years
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def period_problems(start: date, end: date, *, today: date) -> list[tuple[str, str]]:
    """Why a chosen period cannot be reported on, as (field, reason) pairs: the start after the
    end, the end after today, or the start more than five years before today."""
    problems: list[tuple[str, str]] = []
    if start > end:
        problems.append(("from", "起始日期晚于截止日期 / the period starts after it ends"))
    if end > today:
        problems.append(("to", "截止日期不能晚于今天 / the period cannot end after today"))
    earliest = years_back(today, MAX_YEARS_BACK)
    if start < earliest:
        problems.append(
            (
                "from",
                f"最早可查询至 {earliest.isoformat()}（五年内）/ a special report reaches back "
                f"five years at most, to {earliest.isoformat()}",
            )
        )
    return problems


def domain_problems(domains: Sequence[str], known: Sequence[str]) -> list[tuple[str, str]]:
    if not domains:
        return [("domains", "请至少选择一个领域 / choose at least one domain")]
    if len(domains) > MAX_DOMAINS:
        return [("domains", f"最多 {MAX_DOMAINS} 个领域 / at most {MAX_DOMAINS} domains")]
    unknown = [d for d in domains if d not in known]
    if unknown:
        return [("domains", f"未知领域 unknown domains: {', '.join(unknown)}")]
    return []


def listed(
    *, polarity: str, state: RecordState, decided_on: date | None, start: date, end: date
) -> bool:
    """Whether a record appears in a special report over ``start``…``end``: a negative record
    (penalty, list entry, other dishonesty) decided in the period, still in effect or repaired
    (repaired ones are printed marked 已修复). Withdrawn records were never valid, expired ones
    are past their query period (Art. 33–35): neither is printed."""
    if polarity != "negative" or decided_on is None or not start <= decided_on <= end:
        return False
    return state in (RecordState.IN_EFFECT, RecordState.REPAIRED)
