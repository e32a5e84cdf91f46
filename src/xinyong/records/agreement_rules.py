"""Pure rules of delivery agreements (Art. 14, 16; COL-2). No I/O.

Kept apart from ``rules.py`` (field validation) because they decide what an agreement may
cover, not what a delivered row may contain.
"""

from __future__ import annotations

from datetime import date

#: The catalogue publicity attribute of items that are published to everyone.
PUBLIC = "public"


def agreeable(publicity: str) -> bool:
    """Art. 14 ¶2, 16 ¶2: non-public providers (credit service institutions, trade associations,
    enterprises …) deliver *non-public* credit information under an agreement, and non-public
    information is disclosed only by the subject's own disclosure or authorized inquiry. An
    agreement may therefore cover only items whose publicity is not ``public``: a record
    delivered under it must never reach the public channel."""
    return publicity != PUBLIC


def validity_problem(valid_from: date, valid_until: date | None) -> str | None:
    """An agreement's validity is a non-empty span of days (``valid_until`` inclusive, open
    when ``None``)."""
    if valid_until is not None and valid_until < valid_from:
        return "协议截止日早于起始日 / the agreement ends before it starts"
    return None


def in_force(valid_from: date, valid_until: date | None, *, on: date) -> bool:
    """Whether an agreement is in force on ``on`` (both ends inclusive)."""
    return valid_from <= on and (valid_until is None or on <= valid_until)
