"""Identifier validation (SUB-2): Unified Social Credit Code and resident identity number.

Pure functions, no I/O. The credit office's allow-list of real pilot-region codes that fail
the check is passed in by the caller (``subjects.service`` loads it from the database).

Normalisation is NFKC, trim, upper case — and nothing more. Inner spaces are *not* removed:
a value with a space inside is a pasted fragment, two values run together or a typo, and
silently joining it could turn garbage into someone else's valid code. It is refused with an
error naming the position instead, so the person entering it looks again.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Container
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from operator import mul


class IdentifierKind(StrEnum):
    USCC = "uscc"
    RESIDENT_ID = "resident_id"
    PASSPORT = "passport"
    OTHER = "other"


#: Kinds whose structure and check character the platform can verify.
VERIFIABLE_KINDS = frozenset({IdentifierKind.USCC, IdentifierKind.RESIDENT_ID})

# GB 32100-2015: 31 characters (no I, O, S, V, Z), values 0–30.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_VALUES = {c: i for i, c in enumerate(USCC_CHARSET)}
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_CHARS = frozenset(USCC_CHARSET)

# GB 11643-1999: ISO 7064 MOD 11-2.
RESIDENT_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_CHECK = "10X98765432"
_DIGIT_VALUES = {str(d): d for d in range(10)}

LENGTH = 18
# Province-level codes of GB/T 2260 (first two digits of a region code); "10" is the
# national level that central organs' USCCs carry. Used only to guess which kind an
# all-digit value that fails both checks was meant to be, so the error speaks to it.
_PROVINCE_RANGES = ((11, 15), (21, 23), (31, 37), (41, 46), (50, 54), (61, 65), (71, 71), (81, 83))
_PROVINCES = frozenset(str(n) for lo, hi in _PROVINCE_RANGES for n in range(lo, hi + 1))
_EARLIEST_BIRTH_YEAR = 1850


@dataclass(frozen=True, slots=True)
class IdentifierCheck:
    """The verdict on one value. ``normalized`` is the form that was checked (``None`` only
    for an empty value); ``error`` says exactly what is wrong, Chinese then English."""

    valid: bool
    kind: IdentifierKind | None
    normalized: str | None
    error: str | None


def normalize_identifier(value: str) -> str:
    """NFKC (full-width → half-width), trimmed, upper case. Idempotent."""
    if value.isascii():  # ASCII is its own NFKC form; bulk files are mostly ASCII codes
        return value.strip().upper()
    return unicodedata.normalize("NFKC", value).strip().upper()


def uscc_check_char(first17: str) -> str:
    """The check character of the 17 leading USCC characters (all in the charset)."""
    total = sum(USCC_VALUES[c] * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def _uscc_expected(v: str) -> str:
    # uscc_check_char for a value already known to be 18 charset characters, without the
    # per-character generator (bulk delivery checks two identifiers per row).
    total = sum(map(mul, map(USCC_VALUES.__getitem__, v[:17]), USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def _resident_expected(v: str) -> str:
    # resident_check_char for a value whose first 17 characters are known to be ASCII digits.
    total = sum(map(mul, map(_DIGIT_VALUES.__getitem__, v[:17]), RESIDENT_WEIGHTS))
    return RESIDENT_CHECK[total % 11]


def resident_check_char(first17: str) -> str:
    """The MOD 11-2 check character of the 17 leading digits."""
    total = sum(int(c) * w for c, w in zip(first17, RESIDENT_WEIGHTS, strict=True))
    return RESIDENT_CHECK[total % 11]


def _fail(kind: IdentifierKind | None, normalized: str, zh: str, en: str) -> IdentifierCheck:
    return IdentifierCheck(False, kind, normalized, f"{zh} / {en}")


def _ok(kind: IdentifierKind, normalized: str) -> IdentifierCheck:
    return IdentifierCheck(True, kind, normalized, None)


def _space_error(kind: IdentifierKind | None, v: str) -> IdentifierCheck | None:
    if v.isalnum():  # letters and digits are never spaces: the usual case, checked in C
        return None
    pos = next((i for i, c in enumerate(v, 1) if c.isspace()), None)
    if pos is None:
        return None
    return _fail(
        kind, v, f"第 {pos} 位是空格", f"the identifier contains a space at position {pos}"
    )


def check_uscc(value: str, *, allow_list: Container[str] = frozenset()) -> IdentifierCheck:
    """Check a Unified Social Credit Code (GB 32100-2015); ``allow_list`` holds real codes
    that fail the check character (early pilot regions) and are accepted anyway."""
    kind = IdentifierKind.USCC
    v = normalize_identifier(value)
    if not v:
        return _fail(kind, v, "统一社会信用代码为空", "the Unified Social Credit Code is empty")
    if (err := _space_error(kind, v)) is not None:
        return err
    if len(v) != LENGTH:
        return _fail(
            kind,
            v,
            f"统一社会信用代码应为 18 位，实为 {len(v)} 位",
            f"a Unified Social Credit Code has 18 characters, this one has {len(v)}",
        )
    if not _USCC_CHARS.issuperset(v):
        pos, c = next((p, c) for p, c in enumerate(v, 1) if c not in USCC_VALUES)
        return _fail(
            kind,
            v,
            f"统一社会信用代码中不允许出现字符 '{c}'（第 {pos} 位）",
            f"character '{c}' is not allowed in a Unified Social Credit Code (position {pos})",
        )
    expected = _uscc_expected(v)
    if v[17] != expected and v not in allow_list:
        return _fail(kind, v, f"校验码应为 {expected}", f"check character should be {expected}")
    return _ok(kind, v)


def birth_date_of(first17: str) -> date | None:
    """The birth date in digits 7–14, or ``None`` when it is not a real date."""
    y, m, d = int(first17[6:10]), int(first17[10:12]), int(first17[12:14])
    try:
        return date(y, m, d)
    except ValueError:
        return None


def check_resident_id(value: str, *, today: date | None = None) -> IdentifierCheck:
    """Check an 18-digit resident identity number (GB 11643-1999). With ``today``, a birth
    date after it is refused too."""
    kind = IdentifierKind.RESIDENT_ID
    v = normalize_identifier(value)
    if not v:
        return _fail(kind, v, "公民身份号码为空", "the resident identity number is empty")
    if (err := _space_error(kind, v)) is not None:
        return err
    if len(v) == 15 and v.isascii() and v.isdigit():
        return _fail(
            kind,
            v,
            "15 位第一代身份证号码已停止使用，请填写 18 位号码",
            "15-digit first-generation identity numbers are no longer valid; "
            "give the 18-digit number",
        )
    if len(v) != LENGTH:
        return _fail(
            kind,
            v,
            f"公民身份号码应为 18 位，实为 {len(v)} 位",
            f"a resident identity number has 18 characters, this one has {len(v)}",
        )
    head = v[:17]
    if not (head.isascii() and head.isdigit()):  # ASCII and digits: exactly 0–9
        pos, c = next((p, c) for p, c in enumerate(head, 1) if not ("0" <= c <= "9"))
        return _fail(
            kind,
            v,
            f"公民身份号码前 17 位应为数字，第 {pos} 位是 '{c}'",
            f"the first 17 characters of a resident identity number are digits; "
            f"position {pos} is '{c}'",
        )
    if v[17] not in RESIDENT_CHECK:
        return _fail(
            kind,
            v,
            f"公民身份号码末位应为数字或 X，实为 '{v[17]}'",
            f"the last character of a resident identity number is a digit or X, not '{v[17]}'",
        )
    shown = f"{v[6:10]}-{v[10:12]}-{v[12:14]}"
    born = birth_date_of(v)
    if born is None:
        return _fail(kind, v, f"出生日期 {shown} 不存在", f"birth date {shown} does not exist")
    if today is not None and born > today:
        return _fail(kind, v, f"出生日期 {shown} 晚于今天", f"birth date {shown} is in the future")
    expected = _resident_expected(v)
    if v[17] != expected:
        return _fail(kind, v, f"校验码应为 {expected}", f"check character should be {expected}")
    return _ok(kind, v)


def _resident_shaped(v: str) -> bool:
    return len(v) == LENGTH and v[:17].isascii() and v[:17].isdigit() and v[17] in RESIDENT_CHECK


def guess_kind(value: str) -> IdentifierKind | None:
    """Which verifiable kind a value was meant to be, from its shape alone; ``None`` when it
    is neither. An all-digit 18-character value can be either: see :func:`check_identifier`."""
    v = normalize_identifier(value)
    if len(v) != LENGTH:
        return None
    return IdentifierKind.RESIDENT_ID if _resident_shaped(v) else IdentifierKind.USCC


def check_identifier(
    value: str,
    *,
    kind: IdentifierKind | None = None,
    allow_list: Container[str] = frozenset(),
    today: date | None = None,
) -> IdentifierCheck:
    """Check ``value`` as ``kind``, or recognise its kind when ``kind`` is ``None``.

    Values of 17 digits followed by a digit or X fit both standards (one in 31 random such
    values passes the USCC check by chance). A passing resident check wins; a passing USCC
    check wins when its region digits (3–4) are a province (or allow-listed); otherwise the
    error speaks to the kind the value most plausibly is: a resident number when it starts
    with a province code and carries a plausible birth date, else a code whose region
    digits are a province. A caller that knows the kind passes ``kind`` and avoids this.
    Passport and other kinds cannot be verified: they are normalised and reported invalid
    here only when empty or holding spaces; the subjects register marks them unverified.
    """
    if kind is IdentifierKind.USCC:
        return check_uscc(value, allow_list=allow_list)
    if kind is IdentifierKind.RESIDENT_ID:
        return check_resident_id(value, today=today)
    v = normalize_identifier(value)
    if kind is not None:
        if not v:
            return _fail(kind, v, "证件号码为空", "the identifier is empty")
        return _space_error(kind, v) or IdentifierCheck(True, kind, v, None)
    if not v:
        return _fail(None, v, "标识为空", "the identifier is empty")
    if (err := _space_error(None, v)) is not None:
        return err
    if len(v) == 15 and v.isascii() and v.isdigit():
        return check_resident_id(v, today=today)
    if len(v) != LENGTH:
        return _fail(
            None,
            v,
            f"无法识别：统一社会信用代码和公民身份号码均为 18 位，此值为 {len(v)} 位",
            "not a recognisable identifier: a Unified Social Credit Code and a resident "
            f"identity number both have 18 characters, this one has {len(v)}",
        )
    if not _resident_shaped(v):
        return check_uscc(v, allow_list=allow_list)
    as_person = check_resident_id(v, today=today)
    if as_person.valid:
        return as_person
    as_org = check_uscc(v, allow_list=allow_list)
    org_region = v[2:4] in _PROVINCES or v[2:4] == "10"
    if as_org.valid and (org_region or v in allow_list):
        return as_org
    born = birth_date_of(v)
    if v[:2] in _PROVINCES and born is not None and born.year >= _EARLIEST_BIRTH_YEAR:
        return as_person
    if org_region:
        return as_org
    return as_person if v[:2] in _PROVINCES else as_org


def invalid_hint(value: str) -> tuple[str, str] | None:
    """Why an identifier-shaped value (18 letters and digits) that names no subject is not a
    valid identifier — its check character above all (issue 14 item 5: an invalid identifier
    names the expected one): ``(zh, en)``; ``None`` when it is valid or not shaped like one."""
    v = normalize_identifier(value)
    if len(v) != LENGTH or not (v.isascii() and v.isalnum()):
        return None
    result = check_identifier(v)
    if result.valid or not result.error:
        return None
    zh, _, en = result.error.partition(" / ")
    return zh, en or zh


def not_found_message(zh: str, en: str, value: str) -> str:
    """A "no such subject" message in the services' ``中文 / English`` form, naming what is
    wrong with ``value`` when it is an invalid identifier (e.g. the expected check character)."""
    hint = invalid_hint(value)
    if hint is None:
        return f"{zh} / {en}"
    return f"{zh}（{hint[0]}）/ {en} ({hint[1]})"
