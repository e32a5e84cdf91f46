"""Pure rules of the subjects register (SUB-1…3; Art. 2, 7, 27). No I/O."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from xinyong.core.identifiers import IdentifierKind
from xinyong.subjects.models import SubjectType

MAX_NAME_LENGTH = 300


@dataclass(frozen=True, slots=True)
class SubjectRef:
    """A subject as a record or a delivered row names it: its type, identifier and name, and
    the ``IdentifierKind`` value of the identifier (``None``: the one the type expects)."""

    type: str
    id_value: str
    name: str
    id_kind: str | None = None
    #: The name's matching key, ``normalize_name(clean_name(name))``, computed when the
    #: reference is made: a bulk import makes its references where it checks the rows, in
    #: a helper process, and the key comes back with them.
    name_key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name_key", normalize_name(clean_name(self.name)))

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled (to and from the bulk import's helper) as one tuple, the key included: a
        # fraction of the default state's cost, and the key is not computed again.
        return _restored_ref, (self.type, self.id_value, self.name, self.id_kind, self.name_key)


def _restored_ref(
    type_: str, id_value: str, name: str, id_kind: str | None, name_key: str
) -> SubjectRef:
    ref = object.__new__(SubjectRef)
    for attribute, value in zip(
        ("type", "id_value", "name", "id_kind", "name_key"),
        (type_, id_value, name, id_kind, name_key),
        strict=True,
    ):
        object.__setattr__(ref, attribute, value)
    return ref


# NFKC already maps full-width （） to (); these other bracket pairs are used
# interchangeably in registered names (e.g. 贵州某某（集团）有限公司 vs 【集团】).
_BRACKETS = str.maketrans({"〔": "(", "〕": ")", "【": "(", "】": ")", "[": "(", "]": ")"})
# Middle dots in transliterated names (阿依古丽·买买提) come in several code points.
_DOTS = str.maketrans({"•": "·", "‧": "·", "・": "·", "∙": "·"})
_SPACES = re.compile(r"\s+")


def normalize_name(name: str) -> str:
    """The matching key of a name (SUB-3): NFKC, brackets and middle dots unified,
    every space removed, case-folded. Idempotent."""
    key = unicodedata.normalize("NFKC", name).translate(_BRACKETS).translate(_DOTS)
    key = _SPACES.sub("", key).casefold()
    # Removing a space or folding case can leave a combining mark next to a new base
    # letter ("A´" → "a" + U+0301): compose again so that the key is a fixed point.
    return _SPACES.sub("", unicodedata.normalize("NFKC", key))


def name_grams(key: str) -> set[str]:
    """The distinct two-character substrings of a name key: what the name index holds, and
    what a fragment of two or more characters must all have in common with a name it is in."""
    return {key[i : i + 2] for i in range(len(key) - 1)}


def clean_name(name: str) -> str:
    """The display form: trimmed, runs of spaces collapsed; otherwise as given."""
    return _SPACES.sub(" ", name).strip()


def name_problem(name: str) -> str | None:
    """Why a (cleaned) name cannot be registered, or None."""
    if not name:
        return "名称不能为空 / the name is empty"
    if len(name) > MAX_NAME_LENGTH:
        return (
            f"名称不能超过 {MAX_NAME_LENGTH} 个字符 / the name is longer than "
            f"{MAX_NAME_LENGTH} characters"
        )
    return None


def expected_id_kind(subject_type: SubjectType) -> IdentifierKind:
    """Persons carry a resident identity number, organisations a USCC (SUB-2)."""
    if subject_type is SubjectType.NATURAL_PERSON:
        return IdentifierKind.RESIDENT_ID
    return IdentifierKind.USCC


#: Which identifier kinds each type may carry: persons may be foreigners (passport);
#: "other" covers legacy registration numbers, accepted unverified.
_ALLOWED_KINDS = {
    SubjectType.NATURAL_PERSON: frozenset(
        {IdentifierKind.RESIDENT_ID, IdentifierKind.PASSPORT, IdentifierKind.OTHER}
    ),
    SubjectType.LEGAL_PERSON: frozenset({IdentifierKind.USCC, IdentifierKind.OTHER}),
    SubjectType.UNINCORPORATED_ORG: frozenset({IdentifierKind.USCC, IdentifierKind.OTHER}),
    SubjectType.STATE_ORGAN: frozenset({IdentifierKind.USCC, IdentifierKind.OTHER}),
}


def id_kind_problem(subject_type: SubjectType, kind: IdentifierKind) -> str | None:
    """Why ``kind`` does not fit ``subject_type``, or None."""
    if kind in _ALLOWED_KINDS[subject_type]:
        return None
    allowed = ", ".join(sorted(_ALLOWED_KINDS[subject_type]))
    return (
        f"{subject_type.value} 类主体不能使用 {kind.value} 类证件（可用：{allowed}） / a "
        f"{subject_type.value} cannot be identified by a {kind.value} (allowed: {allowed})"
    )


def is_organisation(subject_type: SubjectType) -> bool:
    return subject_type is not SubjectType.NATURAL_PERSON
