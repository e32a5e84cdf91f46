"""Tables of the catalogue of public credit information (Art. 12; CAT-1…4).

An item is the stable identity (its ``code`` never changes); what the item means lives in its
versions. Records bind to a version id, so a published version is never edited: a change is a
new version, and publishing it only marks the old one ``superseded``.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from sqlalchemy import (
    ForeignKey,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from xinyong.db.base import Base
from xinyong.db.types import IndexedInt, IntPk, Str6, Str64, Str200, Str300, UniqueStr64


class Tier(StrEnum):
    NATIONAL = "national"
    LOCAL = "local"


class VersionStatus(StrEnum):
    DRAFT = "draft"
    PUBLIC_COMMENT = "public_comment"
    REPORTED = "reported"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class Publicity(StrEnum):
    PUBLIC = "public"
    SHARED = "shared"
    AUTHORIZED = "authorized"


class Polarity(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class Severity(StrEnum):
    MINOR = "minor"
    GENERAL = "general"
    SERIOUS = "serious"


class UpdateFrequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"
    ON_EVENT = "on_event"


class FieldType(StrEnum):
    STRING = "string"
    DATE = "date"
    DECIMAL = "decimal"
    INTEGER = "integer"
    ENUM = "enum"
    IDENTIFIER = "identifier"
    BOOLEAN = "boolean"


class FieldDisclosure(StrEnum):
    PUBLIC = "public"
    GOVERNMENT = "government"
    PRIVACY = "privacy"
    TRADE_SECRET = "trade_secret"


class OpinionSource(StrEnum):
    """Who may give an opinion on a draft (Art. 12 para. 3)."""

    LOCALITY = "locality"
    DEPARTMENT = "department"
    MARKET_ENTITY = "market_entity"
    ASSOCIATION = "association"
    EXPERT = "expert"
    PUBLIC = "public"


#: The catalogue item a row belongs to (indexed).
ItemFk = Annotated[int, mapped_column(ForeignKey("catalogue_item.id"), index=True)]


class CatalogueItem(Base):
    id: Mapped[IntPk]
    code: Mapped[UniqueStr64]
    tier: Mapped[Tier]
    #: GB/T 2260 region a local supplementary item applies to; ``None`` for national items.
    region_code: Mapped[Str6 | None]
    #: One of the categories of the national basic catalogue (data/national_catalogue.json).
    category: Mapped[Str64]
    created_at: Mapped[datetime]


class CatalogueItemVersion(Base):
    __table_args__ = (UniqueConstraint("item_id", "version"),)

    id: Mapped[IntPk]
    item_id: Mapped[ItemFk]
    version: Mapped[int]
    status: Mapped[VersionStatus]
    name: Mapped[Str200]
    name_en: Mapped[Str200] = mapped_column(default="")
    #: The specific behaviour the item records (Art. 12 para. 2).
    behaviour: Mapped[str]
    subject_types: Mapped[list[str]]
    #: Field schema: list of FieldSpec dicts (see schemas.FieldSpec).
    fields: Mapped[list[dict[str, Any]]]
    publicity: Mapped[Publicity]
    sharing_scope: Mapped[str]
    #: Provider organisations: list of {"kind", "codes", "description"}.
    collection_source: Mapped[list[dict[str, Any]]]
    #: Only organisations registered as sources of the item deliver it (Art. 25, 26).
    restricted_sources: Mapped[bool] = mapped_column(default=False)
    channels: Mapped[list[str]]
    update_frequency: Mapped[UpdateFrequency]
    #: Supervision (COL-3): a provider is overdue after this many days without a delivery.
    max_delivery_gap_days: Mapped[int | None]
    polarity: Mapped[Polarity]
    default_severity: Mapped[Severity | None]
    #: Code of an entry of data/publicity_rules.json ``disclosure_rules``.
    disclosure_rule: Mapped[Str64]
    repairable: Mapped[bool]
    repair_note: Mapped[str] = mapped_column(default="")
    legal_basis: Mapped[str] = mapped_column(default="")
    effective_on: Mapped[date | None]
    created_at: Mapped[datetime]
    published_at: Mapped[datetime | None]

    # Versions and opinions are read through the repository (ordered, never a stale collection).
    item: Mapped[CatalogueItem] = relationship(lazy="joined")


class OpinionText:
    """What an opinion solicited on a draft said, and when and by whom it was written down
    (catalogue items, Art. 12 para. 3; measures, Art. 24 para. 4)."""

    content: Mapped[str]
    at: Mapped[datetime]
    recorded_by: Mapped[Str200]


class CatalogueOpinion(OpinionText, Base):
    """An opinion solicited on a draft version during public comment (Art. 12 para. 3)."""

    id: Mapped[IntPk]
    version_id: Mapped[int] = mapped_column(ForeignKey("catalogue_item_version.id"), index=True)
    source_name: Mapped[Str300]
    source_kind: Mapped[OpinionSource]


class SourceRegistration(Base):
    """An organisation the credit office registered as a collection source of an item, as one
    of the kinds of unit the item names (Art. 12 para. 2). Ending a registration keeps the row
    (``ended_at``); registering again reopens it. Organisations belong to the accounts context:
    their id is kept without a foreign key, their code and name are copied for the record."""

    __table_args__ = (UniqueConstraint("item_id", "org_id"),)

    id: Mapped[IntPk]
    item_id: Mapped[ItemFk]
    org_id: Mapped[IndexedInt]
    org_code: Mapped[Str64]
    org_name: Mapped[Str300]
    kind: Mapped[Str64]
    basis: Mapped[str] = mapped_column(default="")
    registered_at: Mapped[datetime]
    registered_by: Mapped[Str200]
    ended_at: Mapped[datetime | None]
    ended_by: Mapped[Str200 | None]
    end_reason: Mapped[str | None]

    item: Mapped[CatalogueItem] = relationship(lazy="joined")
