"""Pure rules of objections and own corrections: deadlines, overdue, who handles what.

No I/O: the working-day calendar comes in as a function ``calendar(start, n) -> date`` (the
n-th working day after ``start``, ``start`` not counted — RGT-6).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable
from datetime import date, datetime

from xinyong.core.clock import local_date

WorkingDays = Callable[[date, int], date]

#: Art. 32: "within three working days from the date of receiving the objection application".
OBJECTION_DAYS = 3
#: Art. 32: "if other units need to assist in verifying … within five working days".
OBJECTION_DAYS_WITH_ASSISTANCE = 5
#: Art. 33 (own error found) and Art. 34 (revoked decision): three working days.
CORRECTION_DAYS = 3
#: Correction notices go to organisations that received the record this far back (FCRA §1681i(d)
#: uses 6 months for most recipients).
CORRECTION_NOTICE_MONTHS = 6


def received_on(at: datetime) -> date:
    """The day of receipt is the platform-local (Asia/Shanghai) calendar date of the instant:
    an objection filed at 23:30 Beijing time was received that day, not the UTC one."""
    return local_date(at)


def objection_due(received: date, *, assistance: bool, calendar: WorkingDays) -> date:
    """Art. 32: decided by the 3rd working day after receipt, the 5th when another unit must
    help verify; the day of receipt is not counted."""
    days = OBJECTION_DAYS_WITH_ASSISTANCE if assistance else OBJECTION_DAYS
    return calendar(received, days)


def correction_due(started: date, *, calendar: WorkingDays) -> date:
    """Art. 33, 34: corrected by the 3rd working day after the error was found or the written
    notice of the revoked decision was received."""
    return calendar(started, CORRECTION_DAYS)


def is_overdue(due_on: date, *, today: date, done: bool) -> bool:
    """A deadline is missed from the day after its due date, while the work is not done."""
    return not done and today > due_on


def decided_late(due_on: date, *, decided: datetime) -> bool:
    """Whether a decision (or correction) came after its due date (GOV-1: late ones are
    violations, Art. 44 (5))."""
    return local_date(decided) > due_on


def reason_hash(reason: str) -> str:
    """What makes two filings "the same objection": the reason, normalised (NFKC, collapsed
    white space) so that a retried form with a trailing space is still the same text."""
    text = " ".join(unicodedata.normalize("NFKC", reason).split())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (clamped to the month's last day)."""
    year, month = divmod(day.month - 1 - months, 12)
    year += day.year
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover
