"""When a mark holds (Art. 25, 32, 35, 36; LST-4). Pure functions, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class EntryPeriod:
    """The period of a list entry that governs its record (Art. 35; LST-4; Order 36).

    ``starts_on``: the decision date, from which the period counts (not the publication day);
    ``ends_on``: its last day as set by its basis (3 years unless the basis says otherwise);
    ``ended_on``: the first day it no longer holds when it ended early — repair, removal, or a
    decision (Art. 36).
    """

    starts_on: date | None
    ends_on: date | None
    ended_on: date | None = None

    @property
    def last_day(self) -> date | None:
        """The last day the entry holds (``None``: no end set)."""
        early = self.ended_on - timedelta(days=1) if self.ended_on is not None else None
        if early is None:
            return self.ends_on
        if self.ends_on is None:
            return early
        return min(early, self.ends_on)

    def in_force(self, on: date) -> bool:
        """Whether the entry holds on ``on``: from its first day to its last, both included;
        the day it ends early it holds no more."""
        if self.starts_on is not None and on < self.starts_on:
            return False
        last = self.last_day
        return last is None or on <= last
