"""Bounds every input shares (issue 12 item 3): what the database and the law can hold.

- An id or count is a signed 64-bit integer (``BIGINT``/SQLite ``INTEGER``): a larger one can
  name nothing, and reaching the database with it is an overflow, not a miss.
- A text value holds neither NUL (PostgreSQL ``text`` cannot) nor a lone UTF-16 surrogate (no
  UTF-8 encoding exists for it).
- A date of a decision, filing or publication lies in the era of the People's Republic's
  administrative law: no organ can have decided anything before 1949-10-01, and the platform's
  working-day calendar ends in 2200.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Annotated, Any

from pydantic import Field

MAX_INT = 2**63 - 1
MIN_INT = -(2**63)

#: An id of a stored row: 1 … 2**63 - 1.
Id64 = Annotated[int, Field(ge=1, le=MAX_INT)]
#: Any integer the database can hold.
Int64 = Annotated[int, Field(ge=MIN_INT, le=MAX_INT)]

EARLIEST_DECISION = date(1949, 10, 1)
LATEST_DATE = date(2200, 12, 31)
#: A date an organ of the state can have decided, filed, served or published on.
LawDate = Annotated[date, Field(ge=EARLIEST_DECISION, le=LATEST_DATE)]

#: A scalar value of a record's field (``fields`` of a delivery or a correction): never an
#: object or a list, which would be stringified into the record.
FieldValue = str | Int64 | float | bool | None


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None."""
    if "\x00" in value:
        return "NUL characters are not allowed / 不允许 NUL 字符"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "lone surrogate characters are not allowed / 不允许孤立代理字符"
    return None


def json_problems(value: Any, path: str = "") -> list[dict[str, str | None]]:
    """Every place in a decoded JSON document that no field of the platform can hold: text with
    NUL or a lone surrogate (keys too), an integer beyond 64 bits, a number that is not finite."""
    problems: list[dict[str, str | None]] = []
    if isinstance(value, str):
        reason = text_problem(value)
        if reason:
            problems.append({"field": path or None, "reason": reason})
    elif isinstance(value, bool):
        pass
    elif isinstance(value, int):
        if not MIN_INT <= value <= MAX_INT:
            problems.append(
                {"field": path or None, "reason": "integer beyond 64 bits / 整数超出 64 位范围"}
            )
    elif isinstance(value, float):
        if not math.isfinite(value):
            problems.append({"field": path or None, "reason": "number is not finite / 数值无效"})
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            reason = text_problem(str(key))
            if reason:
                problems.append({"field": path or None, "reason": reason})
                continue
            problems.extend(json_problems(item, where))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            problems.extend(json_problems(item, f"{path}.{index}" if path else str(index)))
    return problems
