"""Pure rules of the catalogue: lifecycle, publication conditions, header matching.

Article 12 of the Regulations on Social Credit of Guizhou Province: a local supplementary item
exists only where a local regulation provides for it; its compilation solicits opinions, is
reported to the higher authority and is then made public.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from xinyong.catalogue.models import Tier, VersionStatus
from xinyong.core.errors import Conflict, RuleViolation

S = VersionStatus

#: The allowed lifecycle steps (CAT-3). Anything else is refused.
TRANSITIONS: Mapping[VersionStatus, frozenset[VersionStatus]] = {
    S.DRAFT: frozenset({S.PUBLIC_COMMENT}),
    S.PUBLIC_COMMENT: frozenset({S.REPORTED}),
    S.REPORTED: frozenset({S.PUBLISHED}),
    S.PUBLISHED: frozenset({S.SUPERSEDED}),
    S.SUPERSEDED: frozenset(),
}

#: Versions that were, at some time, the published catalogue (records may bind to them).
EVER_PUBLISHED = frozenset({S.PUBLISHED, S.SUPERSEDED})


#: The kinds of unit that deliver catalogue items (Art. 12 para. 2, "collection source"). An
#: item names at least one; there is no kind meaning "anyone".
SOURCE_KINDS = (
    "registration",
    "department",
    "listing_department",
    "court",
    "market_regulation",
    "tax",
    "association",
    "subject",
)

#: Kinds no organisation is registered for: the subject states for itself (Art. 15).
UNREGISTRABLE_KINDS = frozenset({"subject"})


class IllegalTransition(Conflict, code="illegal_transition"): ...


class LegalBasisRequired(RuleViolation, code="legal_basis_required"): ...


class CommentClosed(Conflict, code="comment_closed"): ...


class EffectiveDateOrder(RuleViolation, code="effective_date_order"): ...


def transition_allowed(current: VersionStatus, target: VersionStatus) -> bool:
    """Whether a version may move from ``current`` to ``target`` (Art. 12 para. 3: draft →
    public comment → reported to the higher authority → made public)."""
    return target in TRANSITIONS[current]


def ensure_transition(current: VersionStatus, target: VersionStatus) -> None:
    if not transition_allowed(current, target):
        raise IllegalTransition(
            f"目录项版本状态不能从 {current.value} 变为 {target.value}。"
            f" A catalogue item version cannot go from {current.value} to {target.value}.",
            details=[
                {
                    "from": current.value,
                    "to": target.value,
                    "allowed": sorted(s.value for s in TRANSITIONS[current]),
                }
            ],
        )


def ensure_publishable(*, tier: Tier, legal_basis: str | None) -> None:
    """A local supplementary item needs the local regulation that provides for it (Art. 12
    para. 2: "the scope … shall be specially stipulated by local regulations"; CAT-1)."""
    if tier is Tier.LOCAL and not (legal_basis or "").strip():
        raise LegalBasisRequired(
            "地方补充目录项须载明设定该项的地方性法规依据，方可发布。"
            " A local supplementary item cannot be published without its legal basis"
            " (the local regulation that provides for it).",
            details=[{"field": "legal_basis", "reason": "required for a local item"}],
        )


def ensure_effective_after(effective_on: date, previous_effective_on: date | None) -> None:
    """A new version takes effect after the one it replaces, so that exactly one version is
    current on any day."""
    if previous_effective_on is not None and effective_on <= previous_effective_on:
        raise EffectiveDateOrder(
            f"新版本生效日期须晚于现行版本的生效日期 {previous_effective_on.isoformat()}。"
            f" The new version must take effect after {previous_effective_on.isoformat()},"
            " the effective date of the version it replaces.",
            details=[{"field": "effective_on", "reason": "not after the current version"}],
        )


def ensure_comment_open(status: VersionStatus) -> None:
    """Opinions are solicited during public comment (Art. 12 para. 3)."""
    if status is not S.PUBLIC_COMMENT:
        raise CommentClosed(
            f"该版本不在征求意见阶段（当前 {status.value}），不能登记意见。"
            f" Opinions are recorded only during public comment; this version is {status.value}.",
        )


class SourceKindMismatch(RuleViolation, code="source_kind_mismatch"): ...


def source_kind(requested: str | None, item_kinds: Sequence[str]) -> str:
    """The kind of unit an organisation is registered as for an item (Art. 12 para. 2): one
    the item names; when it names a single registrable kind, that one by default."""
    registrable = [k for k in dict.fromkeys(item_kinds) if k not in UNREGISTRABLE_KINDS]
    if requested is None and len(registrable) == 1:
        return registrable[0]
    if requested is not None and requested in registrable:
        return requested
    raise SourceKindMismatch(
        f"该信息项的采集来源类别为 {registrable}，请指明其中之一。"
        f" The item's collection sources are of the kinds {registrable}; name one of them.",
        details=[{"field": "kind", "reason": f"expected one of {registrable}"}],
    )


def normalise_header(header: str) -> str:
    """Spreadsheet headers arrive with BOMs, full-width brackets and stray spaces."""
    text = unicodedata.normalize("NFKC", header).replace("\ufeff", "")
    return "".join(text.split()).casefold()


def match_field(fields: Iterable[Mapping[str, Any]], header: str) -> Mapping[str, Any] | None:
    """The field a CSV/XLSX header names: either its code (``CF_WSH``) or its Chinese column
    name (``行政处罚决定书文号``), compared after normalisation."""
    key = normalise_header(header)
    if not key:
        return None
    for spec in fields:
        if key in (normalise_header(str(spec["code"])), normalise_header(str(spec["name_zh"]))):
            return spec
    return None


def duplicate_names(fields: Sequence[Mapping[str, Any]]) -> list[str]:
    """Codes or Chinese names used twice in one schema (a header would be ambiguous)."""
    seen: set[str] = set()
    dupes: list[str] = []
    for spec in fields:
        for raw in (str(spec["code"]), str(spec["name_zh"])):
            key = normalise_header(raw)
            if key in seen:
                dupes.append(raw)
            seen.add(key)
    return dupes
