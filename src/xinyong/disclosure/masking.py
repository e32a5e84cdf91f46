"""Masking of personal data in publicity (Art. 18; DIS-3). Pure functions.

In publicity a resident identity number keeps its first 6 characters (the region) and its check
character, the rest replaced with ``*`` so the length still shows (``110105***********X``); a
natural person's name keeps the surname followed by 某 (two characters for the common compound
surnames). Masking is applied to *every* value served about a natural person — the subject's
own code and name, and any field value holding them or any other identity number — never
relying on a field being dropped alone. Identity numbers are found in every form people write
them — 18 characters, the 15-digit first generation, grouped with spaces (``core.redaction``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from xinyong.core.redaction import mask_identity_number as mask_identity_number
from xinyong.core.redaction import mask_resident_ids, resident_ids_in

#: Common two-character surnames (复姓): the whole surname is kept.
COMPOUND_SURNAMES = frozenset(
    {
        "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
        "宇文", "司徒", "司空", "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门",
        "万俟", "闻人", "澹台", "公冶", "太史", "申屠", "钟离", "呼延", "百里", "赫连",
    }
)  # fmt: skip
PLACEHOLDER = "某"


def mask_person_name(name: str) -> str:
    """``张某``, ``欧阳某``. A name in Latin letters keeps its first letter (``J某``)."""
    n = name.strip()
    if not n:
        return n
    surname = n[:2] if n[:2] in COMPOUND_SURNAMES else n[0]
    return surname + PLACEHOLDER


def mask_text(value: str, *, names: Iterable[str] = ()) -> str:
    """``value`` with every valid resident identity number and every occurrence of one of
    ``names`` (natural persons' full names) masked."""
    masked = mask_resident_ids(value)
    for name in sorted({n for n in names if n.strip()}, key=len, reverse=True):
        masked = masked.replace(name, mask_person_name(name))
    return masked


def identity_numbers_in(value: Any) -> set[str]:
    """Valid resident identity numbers appearing anywhere inside a JSON-like value, so that
    the persons they name can have their names masked too."""
    if isinstance(value, str):
        return resident_ids_in(value)
    if isinstance(value, Mapping):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return set().union(*(identity_numbers_in(v) for v in value)) if value else set()
    return set()


def mask_value(value: Any, *, names: Iterable[str] = ()) -> Any:
    """Mask strings inside any JSON-like value (dicts and lists walked)."""
    names = tuple(names)
    if isinstance(value, str):
        return mask_text(value, names=names)
    if isinstance(value, Mapping):
        return {k: mask_value(v, names=names) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_value(v, names=names) for v in value]
    return value


def mask_subject(*, type_: str, code: str, name: str) -> tuple[str, str]:
    """The (code, name) of a subject as publicity shows it: masked for natural persons."""
    if type_ == "natural_person":
        return mask_identity_number(code), mask_person_name(name)
    return code, name
