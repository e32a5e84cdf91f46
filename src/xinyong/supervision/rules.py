"""Pure rules of provider supervision (COL-3; Art. 13: information is to be delivered in a
timely, accurate and complete way). No I/O.

- *timely*: the longest gap allowed between two deliveries of an item follows from its update
  frequency, unless the catalogue states ``max_delivery_gap_days`` for the item; items
  delivered "on event" have no expected interval and are never overdue;
- *accurate*: the rejection rate — rows refused / rows offered;
- *complete*: the share of optional fields that are filled in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

#: Default longest gap (days) per update frequency, when the catalogue states none. Each
#: allows some slack beyond the nominal period (weekends, month lengths, year-end work).
FREQUENCY_MAX_DAYS: dict[str, int | None] = {
    "daily": 3,
    "weekly": 14,
    "monthly": 45,
    "quarterly": 120,
    "yearly": 400,
    "on_event": None,
}


def max_gap_days(frequency: str, explicit: int | None = None) -> int | None:
    """Longest allowed gap between deliveries (Art. 13 "timely"); ``None``: no expectation.

    The catalogue's own ``max_delivery_gap_days`` wins; an ``on_event`` item has none even
    then, because nothing says when its next event will happen.
    """
    if frequency == "on_event":
        return None
    if explicit is not None:
        return explicit
    return FREQUENCY_MAX_DAYS.get(frequency)


@dataclass(frozen=True, slots=True)
class Timeliness:
    days_since: int | None
    overdue: bool
    days_overdue: int


def timeliness(*, last_delivery_on: date | None, today: date, max_days: int | None) -> Timeliness:
    """Whether a provider is overdue with an item (Art. 13): more than ``max_days`` calendar
    days since its last delivery. A provider that has never delivered is not judged here:
    supervision rows exist only for what was delivered at least once."""
    if last_delivery_on is None:
        return Timeliness(None, False, 0)
    since = (today - last_delivery_on).days
    if max_days is None or since <= max_days:
        return Timeliness(since, False, 0)
    return Timeliness(since, True, since - max_days)


def rejection_rate(*, accepted: int, unchanged: int, rejected: int) -> float | None:
    """Share of delivered rows refused (Art. 13 "accurate"); ``None`` when nothing was offered."""
    offered = accepted + unchanged + rejected
    return None if offered == 0 else rejected / offered


def completeness(*, filled: int, records: int, optional_fields: int) -> float | None:
    """Share of optional field slots filled across current records (Art. 13 "complete");
    ``None`` when there is no record or the item has no optional field."""
    slots = records * optional_fields
    return None if slots == 0 else filled / slots
