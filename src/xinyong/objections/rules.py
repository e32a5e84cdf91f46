"""Pure rules of objections and own corrections: deadlines, overdue, who handles what.

No I/O: the working-day calendar comes in as a function ``calendar(start, n) -> date`` (the
n-th working day after ``start``, ``start`` not counted — RGT-6).
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import date

from xinyong.handling.deadlines import WorkingDays, decided_late, is_overdue, received_on

__all__ = ["WorkingDays", "decided_late", "is_overdue", "received_on"]


#: Art. 32: "within three working days from the date of receiving the objection application".
OBJECTION_DAYS = 3
#: Art. 32: "if other units need to assist in verifying … within five working days".
OBJECTION_DAYS_WITH_ASSISTANCE = 5
#: Art. 33 (own error found) and Art. 34 (revoked decision): three working days.
CORRECTION_DAYS = 3
#: Correction notices go to organisations that received the record this far back (FCRA §1681i(d)
#: uses 6 months for most recipients).
CORRECTION_NOTICE_MONTHS = 6


def objection_due(received: date, *, assistance: bool, calendar: WorkingDays) -> date:
    """Art. 32: decided by the 3rd working day after receipt, the 5th when another unit must
    help verify; the day of receipt is not counted."""
    days = OBJECTION_DAYS_WITH_ASSISTANCE if assistance else OBJECTION_DAYS
    return calendar(received, days)


#: Art. 32 (first paragraph): the channels through which information is collected, disclosed
#: or used, as a handling objection names them — delivery to the platform, publicity,
#: government sharing, authorized inquiry (Art. 13–16).
HANDLING_CHANNELS = ("collection", "publicity", "government", "authorized")
#: Channels the platform itself operates (Art. 16): their handling is the credit office's.
PLATFORM_CHANNELS = frozenset({"publicity", "government", "authorized"})


def assistance_open(*, today: date, due_without_assistance: date) -> bool:
    """Art. 32: another unit's help to verify extends the deadline to the 5th working day, but
    the need for it must appear within the first 3 working days after receipt — once the 3rd
    working day has passed the objection is simply overdue, and a late request for assistance
    cannot retroactively make it timely."""
    return today <= due_without_assistance


def objection_handler(
    *,
    kind: str,
    record_provider: int | None,
    item_providers: frozenset[int],
    channel: str | None,
) -> int | None:
    """Where an objection goes (Art. 32: "the information provider or the credit office"):
    a record's to its provider (the office for self-declared records); an omission, or the
    collection of an item, to the item's provider when it has exactly one; anything else —
    several possible providers, or the platform's own channels — to the credit office
    (``None``), which verifies it with the units concerned."""
    if kind == "record":
        return record_provider
    if channel in PLATFORM_CHANNELS:
        return None
    return next(iter(item_providers)) if len(item_providers) == 1 else None


CHANNEL_ZH = {"collection": "采集报送", "publicity": "公示", "government": "政务共享",
              "authorized": "授权查询"}  # fmt: skip


def objection_matter(
    *, kind: str, record_id: int | None, item: str | None, channel: str | None
) -> tuple[str, str]:
    """What an objection is about, in Chinese and English, for its notices (Art. 32 ¶1)."""
    if kind == "record":
        return f"信用记录 #{record_id}", f"record #{record_id}"
    if kind == "omission":
        return f"信息项 {item} 的遗漏", f"the omission of {item}"
    where_zh = "、".join(x for x in (item, CHANNEL_ZH.get(channel or "", channel)) if x)
    where_en = ", ".join(x for x in (item, channel) if x)
    return (
        f"信息（{where_zh}）的采集、公开或使用",
        f"how its information ({where_en}) was collected, disclosed or used",
    )


def correction_due(started: date, *, calendar: WorkingDays) -> date:
    """Art. 33, 34: corrected by the 3rd working day after the error was found or the written
    notice of the revoked decision was received."""
    return calendar(started, CORRECTION_DAYS)


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
