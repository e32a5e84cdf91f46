"""Reading the values of delivered cells: text, dates, amounts, classes, identifiers (COL-1).

Pure; shared by every delivery channel. Messages are Chinese first, then English.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from xinyong.core.identifiers import IdentifierCheck, IdentifierKind, check_identifier

#: Longest text accepted in one field; longer is a pasted document, not a field value.
MAX_TEXT = 4000
#: Amounts (e.g. ``CF_NR_FK``, in 10 k CNY) carry at most this many decimals.
MAX_DECIMALS = 6
SEVERITIES = {
    "minor": "minor",
    "general": "general",
    "serious": "serious",
    "轻微": "minor",
    "一般": "general",
    "严重": "serious",
}

#: ID types (XDR_ZJLX) that are the resident identity card.
RESIDENT_ID_TYPES = frozenset(
    {"", "身份证", "居民身份证", "中华人民共和国居民身份证", "resident_id"}
)

_DATE_PATTERNS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_TRUE = frozenset({"true", "1", "yes", "y", "是"})
_FALSE = frozenset({"false", "0", "no", "n", "否"})


def text_of(value: Any) -> str:
    """A cell as trimmed NFKC text (full-width digits and brackets become half-width)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFKC", str(value)).strip()


def parse_date(value: Any) -> date:
    """``YYYY-MM-DD``, ``YYYY/MM/DD``, ``YYYY年M月D日``, ``YYYY.MM.DD``, ``YYYYMMDD``, or a date
    cell of a spreadsheet. A date that does not exist (2026-02-30) is refused, not rolled over."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = text_of(value)
    if " " in text or "T" in text:
        # "2026-09-01 00:00:00" as spreadsheets export a date cell.
        head, _, rest = text.replace("T", " ").partition(" ")
        if re.fullmatch(r"0{1,2}:0{2}(:0{2}(\.0+)?)?", rest.strip()):
            text = head
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            try:
                return date(y, mo, d)
            except ValueError:
                shown = f"{y:04d}-{mo:02d}-{d:02d}"
                raise ValueError(f"日期 {shown} 不存在 / date {shown} does not exist") from None
    raise ValueError(
        f"无法识别的日期 '{text}'，应为 YYYY-MM-DD / "
        f"'{text}' is not a date; expected YYYY-MM-DD, YYYY/MM/DD or YYYY年M月D日"
    )


def parse_amount(value: Any) -> Decimal:
    """A non-negative decimal with at most :data:`MAX_DECIMALS` decimals (amounts in 10 k CNY)."""
    text = text_of(value).replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"'{text}' 不是数字 / '{text}' is not a number") from None
    if not amount.is_finite():
        raise ValueError(f"'{text}' 不是数字 / '{text}' is not a number")
    if amount < 0:
        raise ValueError(f"金额不能为负数：{text} / an amount cannot be negative: {text}")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_DECIMALS:
        raise ValueError(
            f"小数位数最多 {MAX_DECIMALS} 位：{text} / at most {MAX_DECIMALS} decimals: {text}"
        )
    return amount


def parse_severity(value: Any) -> str:
    text = text_of(value)
    key = SEVERITIES.get(text) or SEVERITIES.get(text.lower())
    if key is None:
        raise ValueError(
            f"严重程度应为 轻微/一般/严重，实为 '{text}' / "
            f"severity must be minor, general or serious, not '{text}'"
        )
    return key


@lru_cache(maxsize=1 << 16)
def check_id(
    value: str, kind: IdentifierKind | None, allow_list: frozenset[str], today: date | None
) -> IdentifierCheck:
    """Identifier checks are pure; a file repeats the same authority codes on every row."""
    return check_identifier(value, kind=kind, allow_list=allow_list, today=today)


def parse_boolean(value: Any) -> bool:
    text = text_of(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"'{text}' 不是 是/否 / '{text}' is not yes/no")
