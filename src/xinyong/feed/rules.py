"""Pure rules of interconnection (COL-4; Art. 6): feed cursors, who sees which change, and
the retry schedule of webhook deliveries. No I/O."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Collection
from datetime import timedelta

from xinyong.core.errors import InvalidInput

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
#: Attempts made before a delivery is declared dead.
MAX_ATTEMPTS = 8
#: Wait after the first failed attempt; doubled after each further one (1, 2, 4 … 64 min).
FIRST_RETRY = timedelta(minutes=1)
_CURSOR_PREFIX = "v1"


class InvalidCursor(InvalidInput, code="invalid_cursor"): ...


def encode_cursor(audit_seq: int, change_id: int) -> str:
    """An opaque position in the feed: after the change ``(audit_seq, change_id)``."""
    raw = f"{_CURSOR_PREFIX}:{audit_seq}:{change_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, int]:
    """The position a cursor names; :class:`InvalidCursor` (422) for anything else."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
        prefix, seq, cid = text.split(":")
        if prefix != _CURSOR_PREFIX or not seq.isdigit() or not cid.isdigit():
            raise ValueError(text)
        # Only the canonical spelling is a cursor (decoding alone tolerates stray characters).
        if encode_cursor(int(seq), int(cid)) != cursor:
            raise ValueError(cursor)
        return int(seq), int(cid)
    except (ValueError, UnicodeError, binascii.Error):
        raise InvalidCursor(
            "游标无效，请使用上一页返回的 next / the cursor is not valid; pass the `next` "
            "value of a previous page",
            details=[{"field": "after", "reason": "invalid cursor"}],
        ) from None


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(
            f"limit 须在 1 到 {MAX_LIMIT} 之间 / limit must be 1..{MAX_LIMIT}",
            details=[{"field": "limit", "reason": f"1..{MAX_LIMIT}"}],
        )
    return limit


def may_see(
    *,
    role: str,
    org_id: int | None,
    authority_items: Collection[str] | None,
    change_org_id: int | None,
    change_item: str,
) -> bool:
    """Who sees a change (Art. 6 sharing within authority): the credit office every change;
    a provider the changes of its own records; an inquirer (a state organ's system) the
    changes of items within its account's authority (``None``: every item)."""
    if role == "credit_office":
        return True
    if role == "provider":
        return org_id is not None and change_org_id == org_id
    if role == "inquirer":
        return authority_items is None or change_item in authority_items
    return False


def retry_delay(attempt: int) -> timedelta | None:
    """Wait before the next attempt after failed attempt number ``attempt`` (1-based);
    ``None`` when it was the last one (the delivery is dead)."""
    if attempt >= MAX_ATTEMPTS:
        return None
    factor: int = 2 ** (attempt - 1)
    return FIRST_RETRY * factor
