"""Deadlines every kind of case counts the same way (pure rules, no I/O): the day a case was
received, when it is overdue, when a decision was late. The periods themselves (3 or 5
working days for an objection, the rule set's days for a repair…) are each context's law."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from xinyong.core.clock import local_date

#: ``calendar(start, n)``: the ``n``-th working day after ``start`` (the start not counted).
WorkingDays = Callable[[date, int], date]


def received_on(at: datetime) -> date:
    """The day of receipt is the platform-local (Asia/Shanghai) calendar date of the instant:
    a case filed at 23:30 Beijing time was received that day, not the UTC one."""
    return local_date(at)


def is_overdue(due_on: date, *, today: date, done: bool) -> bool:
    """A deadline is missed from the day after its due date, while the work is not done."""
    return not done and today > due_on


def decided_late(due_on: date, *, decided: datetime) -> bool:
    """Whether a decision (or correction) came after its due date (GOV-1: late ones are
    violations, Art. 44 (5))."""
    return local_date(decided) > due_on
