"""Finding and masking resident identity numbers inside free text (Art. 18; PLT-3, DIS-3).

Shared by what the platform serves (``disclosure.masking``) and what it writes to its logs
(``core.logging``): an identity number is masked in both, in each of the forms people write it:

- the 18-character number (GB 11643-1999), ``11010519491231002X``;
- the 15-digit first-generation number, ``110105491231002`` (region, ``YYMMDD`` birth date of
  the 1900s, sequence; no check digit, so a plausible province and a real date are required);
- either of them written in groups with single spaces, ``110105 19491231 002X`` (or, in a
  logged URL, ``%20`` or ``+``).

A number is masked as ``110105***********X``: the region and the last character kept, the
length of the compact number shown. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from xinyong.core.identifiers import check_resident_id

_EDGE_BEFORE = r"(?<![0-9A-Za-z])"
_EDGE_AFTER = r"(?![0-9A-Za-z])"
# A space between groups, as written by hand, or as it appears in a logged URL (``%20``, ``+``).
_SEP = r"(?: |%20|\+)?"
# Candidates: 18 or 15 characters, each optionally preceded by one separator.
_CANDIDATE_18 = re.compile(_EDGE_BEFORE + rf"\d(?:{_SEP}\d){{16}}{_SEP}[\dXx]" + _EDGE_AFTER)
_CANDIDATE_15 = re.compile(_EDGE_BEFORE + rf"\d(?:{_SEP}\d){{14}}" + _EDGE_AFTER)
# The compact 18-character form with a birth date where one must be (YYYYMMDD from 1800):
# most 18-character codes that are not identity numbers (USCCs) are set aside cheaply.
_SHAPE_18 = re.compile(
    r"\d{6}(?:18|19|20)\d{2}"  # region, century
    r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX]"  # month, day, sequence, check
)
_DIGIT_RUN = re.compile(rf"\d(?:{_SEP}\d){{14}}")
_PROVINCES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
     "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
     "65", "71", "81", "82"}
)  # fmt: skip


def mask_identity_number(value: str) -> str:
    """``110105***********X``: first 6 and the last character kept, the length preserved.
    Short or foreign numbers (passports) keep only their first and last character."""
    v = value.strip()
    if len(v) >= 12:
        return v[:6] + "*" * (len(v) - 7) + v[-1]
    if len(v) > 2:
        return v[0] + "*" * (len(v) - 2) + v[-1]
    return "*" * len(v)


@lru_cache(maxsize=8192)
def is_resident_id_18(compact: str) -> bool:
    """A valid 18-character resident identity number (upper-case ``X``, no spaces)."""
    return _SHAPE_18.fullmatch(compact) is not None and check_resident_id(compact).valid


@lru_cache(maxsize=8192)
def is_resident_id_15(compact: str) -> bool:
    """A plausible 15-digit first-generation number: a province, a real 19YY birth date."""
    if len(compact) != 15 or not compact.isdigit() or compact[:2] not in _PROVINCES:
        return False
    try:
        date(1900 + int(compact[6:8]), int(compact[8:10]), int(compact[10:12]))
    except ValueError:
        return False
    return True


def _compact(found: str) -> str:
    return found.replace("%20", "").replace(" ", "").replace("+", "").upper()


def resident_ids_in(text: str) -> set[str]:
    """The identity numbers (compact, upper case) written anywhere in ``text``."""
    if _DIGIT_RUN.search(text) is None:  # as in ``mask_resident_ids``: most texts have none
        return set()
    found = {c for m in _CANDIDATE_18.findall(text) if is_resident_id_18(c := _compact(m))}
    found |= {c for m in _CANDIDATE_15.findall(text) if is_resident_id_15(c := _compact(m))}
    return found


def _mask_18(match: re.Match[str]) -> str:
    compact = _compact(match.group(0))
    return mask_identity_number(compact) if is_resident_id_18(compact) else match.group(0)


def _mask_15(match: re.Match[str]) -> str:
    compact = _compact(match.group(0))
    return mask_identity_number(compact) if is_resident_id_15(compact) else match.group(0)


def mask_resident_ids(text: str) -> str:
    """``text`` with every resident identity number in it masked, whatever its form."""
    if _DIGIT_RUN.search(text) is None:  # most texts have no run of 15 digits at all
        return text
    return _CANDIDATE_15.sub(_mask_15, _CANDIDATE_18.sub(_mask_18, text))
