"""What the disclosure policy needs of a catalogue item version, cached per process.

A published catalogue version never changes its content afterwards (publishing a new version
only marks the previous one ``superseded``), and records bind to published versions, so the
reads of every channel can take the per-field disclosure classes, names and window rule from
memory instead of loading the version's JSON on each request (DESIGN §5: an inquiry by code in
a few milliseconds). Versions not yet published are never cached.

The cache is keyed by the database it came from and the version id; :func:`clear` empties it
(tests that roll back their transactions reuse ids across databases' lifetimes).
"""

from __future__ import annotations

import weakref
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from xinyong.catalogue.models import CatalogueItemVersion, VersionStatus

FROZEN = (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)


@dataclass(frozen=True, slots=True)
class ItemInfo:
    """An immutable snapshot of one catalogue item version."""

    id: int
    code: str
    name: str
    category: str
    disclosure_rule: str
    #: field code → disclosure class (``public``, ``shared``, ``privacy``, ``trade_secret``…).
    classes: Mapping[str, str]
    #: field code → Chinese field name.
    names: Mapping[str, str]
    collection_source: tuple[Mapping[str, Any], ...] = field(default=())

    @classmethod
    def of(cls, v: CatalogueItemVersion) -> ItemInfo:
        fields = v.fields or []
        return cls(
            id=v.id,
            code=v.item.code,
            name=v.name,
            category=v.item.category,
            disclosure_rule=v.disclosure_rule,
            classes=MappingProxyType({f["code"]: f.get("disclosure", "public") for f in fields}),
            names=MappingProxyType({f["code"]: f.get("name_zh", f["code"]) for f in fields}),
            collection_source=tuple(MappingProxyType(dict(s)) for s in (v.collection_source or [])),
        )

    def sector_of(self, provider_code: str | None) -> str | None:
        """The kind of the collection source listing the provider's organisation code (e.g.
        ``market_regulation``): the sector whose publicity overrides apply."""
        if provider_code is None:
            return None
        for source in self.collection_source:
            if provider_code in (source.get("codes") or []):
                return str(source.get("kind"))
        return None


_CACHE: dict[tuple[str, int], ItemInfo] = {}


#: Each engine's URL as text, rendered once (a read looks the cache up by it).
_KEYS: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def _bind_key(session: Session) -> str:
    engine = session.get_bind().engine
    key = _KEYS.get(engine)
    if key is None:
        key = _KEYS[engine] = str(engine.url)
    return key


def cached(session: Session, version_ids: Collection[int]) -> tuple[dict[int, ItemInfo], set[int]]:
    """(found in the cache by version id, ids still to load)."""
    key = _bind_key(session)
    found: dict[int, ItemInfo] = {}
    missing: set[int] = set()
    for vid in version_ids:
        info = _CACHE.get((key, vid))
        if info is None:
            missing.add(vid)
        else:
            found[vid] = info
    return found, missing


def remember(session: Session, versions: Collection[CatalogueItemVersion]) -> dict[int, ItemInfo]:
    """Snapshots of ``versions``; the published ones are kept for the next request."""
    key = _bind_key(session)
    out: dict[int, ItemInfo] = {}
    for v in versions:
        info = ItemInfo.of(v)
        out[v.id] = info
        if v.status in FROZEN:
            _CACHE[(key, v.id)] = info
    return out


def clear() -> None:
    _CACHE.clear()
