"""Pure rules of documents (PLT-4): how a number is written."""

from __future__ import annotations

import re

#: ``PREFIX-YYYY-NNNNNN``: prefix names the kind, the year is the platform-local issue year.
NUMBER_PATTERN = re.compile(r"^[A-Z]{2,8}-\d{4}-\d{6,}$")


def document_number(prefix: str, year: int, seq: int) -> str:
    """The ``seq``-th document of ``prefix`` in ``year`` (Art. 32, 34 require written notices;
    a number lets the recipient cite it and anyone find it)."""
    if seq < 1:
        raise ValueError("document sequence numbers start at 1")
    return f"{prefix}-{year:04d}-{seq:06d}"


def looks_like_number(value: str) -> bool:
    return bool(NUMBER_PATTERN.match(value))
