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


#: Longest text whose normal form is remembered: a file repeats its authorities, legal bases
#: and facts on row after row, and NFKC of Chinese text with full-width punctuation costs
#: microseconds. Bounded, so that memory stays flat.
_CACHED_TEXT = 256


@lru_cache(maxsize=1 << 13)
def _nfkc_text(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def text_of(value: Any) -> str:
    """A cell as trimmed NFKC text (full-width digits and brackets become half-width)."""
    if value.__class__ is str:  # the usual cell; ASCII is its own NFKC form
        if value.isascii():
            return value.strip()
        if len(value) <= _CACHED_TEXT:
            return _nfkc_text(value)
        return unicodedata.normalize("NFKC", value).strip()
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
def _checked(
    value: str, kind: IdentifierKind | None, allow_list: frozenset[str], today: date | None
) -> IdentifierCheck:
    return check_identifier(value, kind=kind, allow_list=allow_list, today=today)


#: Values found valid when their kind was recognised (normalised value → kind, allow-list).
#: A row's party identifier is checked twice — as a field, kind unknown, then as the
#: subject's, kind known — and every row of a file names a new party, so the cache above
#: does not help. Bounded: emptied when full.
_RECOGNISED: dict[str, tuple[IdentifierKind, frozenset[str]]] = {}
_RECOGNISED_MAX = 1 << 12


def check_id(
    value: str, kind: IdentifierKind | None, allow_list: frozenset[str], today: date | None
) -> IdentifierCheck:
    """``check_identifier``, remembered: identifier checks are pure, and a file repeats the
    same authority codes on every row."""
    if kind is not None and today is None:
        seen = _RECOGNISED.get(value)
        # Valid as USCC with this allow-list, or as a resident number born by some date:
        # then the check of that kind alone (no date) passes too, with the same value.
        if (
            seen is not None
            and seen[0] is kind
            and (kind is IdentifierKind.RESIDENT_ID or seen[1] == allow_list)
        ):
            return IdentifierCheck(True, kind, value, None)
    result = _checked(value, kind, allow_list, today)
    if kind is None and result.valid and result.kind is not None:
        if len(_RECOGNISED) >= _RECOGNISED_MAX:
            _RECOGNISED.clear()
        _RECOGNISED[result.normalized or value] = (result.kind, allow_list)
    return result


@lru_cache(maxsize=1 << 12)
def date_text(value: str) -> str:
    """The stored (ISO) form of a date cell; a file repeats the same few dates on every row."""
    return parse_date(value).isoformat()


@lru_cache(maxsize=1 << 14)
def amount_text(value: str) -> str:
    """The stored form of an amount cell: normalised so that "1.50" and "1.5" are the same
    content; ``f`` avoids "1E+1"."""
    return format(parse_amount(value).normalize(), "f")


def parse_boolean(value: Any) -> bool:
    text = text_of(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"'{text}' 不是 是/否 / '{text}' is not yes/no")
