"""Tables of the catalogue of public credit information (Art. 12; CAT-1…4).

An item is the stable identity (its ``code`` never changes); what the item means lives in its
versions. Records bind to a version id, so a published version is never edited: a change is a
new version, and publishing it only marks the old one ``superseded``.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import Mapped, mapped_column, relationship

from xinyong.db.base import Base
from xinyong.db.types import UTCDateTime


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


def _enum_values(enum: type[StrEnum]) -> list[str]:
    return [m.value for m in enum]


def _str_enum(enum: type[StrEnum], length: int = 32) -> SAEnum:
    # Stored by value as plain strings: no native enum type to migrate when a state is added.
    return SAEnum(
        enum,
        native_enum=False,
        length=length,
        values_callable=_enum_values,
        validate_strings=True,
        create_constraint=False,
    )


class CatalogueItem(Base):
    __tablename__ = "catalogue_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    tier: Mapped[Tier] = mapped_column(_str_enum(Tier))
    #: GB/T 2260 region a local supplementary item applies to; ``None`` for national items.
    region_code: Mapped[str | None] = mapped_column(String(6))
    #: One of the categories of the national basic catalogue (data/national_catalogue.json).
    category: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CatalogueItemVersion(Base):
    __tablename__ = "catalogue_item_version"
    __table_args__ = (UniqueConstraint("item_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("catalogue_item.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[VersionStatus] = mapped_column(_str_enum(VersionStatus))
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    #: The specific behaviour the item records (Art. 12 para. 2).
    behaviour: Mapped[str] = mapped_column(Text)
    subject_types: Mapped[list[str]] = mapped_column(JSON)
    #: Field schema: list of FieldSpec dicts (see schemas.FieldSpec).
    fields: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    publicity: Mapped[Publicity] = mapped_column(_str_enum(Publicity))
    sharing_scope: Mapped[str] = mapped_column(Text)
    #: Provider organisations: list of {"kind", "codes", "description"}.
    collection_source: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    #: Only organisations registered as sources of the item deliver it (Art. 25, 26).
    restricted_sources: Mapped[bool] = mapped_column(Boolean, default=False)
    channels: Mapped[list[str]] = mapped_column(JSON)
    update_frequency: Mapped[UpdateFrequency] = mapped_column(_str_enum(UpdateFrequency))
    #: Supervision (COL-3): a provider is overdue after this many days without a delivery.
    max_delivery_gap_days: Mapped[int | None] = mapped_column(Integer)
    polarity: Mapped[Polarity] = mapped_column(_str_enum(Polarity))
    default_severity: Mapped[Severity | None] = mapped_column(_str_enum(Severity))
    #: Code of an entry of data/publicity_rules.json ``disclosure_rules``.
    disclosure_rule: Mapped[str] = mapped_column(String(64))
    repairable: Mapped[bool] = mapped_column(Boolean)
    repair_note: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    effective_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # Versions and opinions are read through the repository (ordered, never a stale collection).
    item: Mapped[CatalogueItem] = relationship(lazy="joined")


class CatalogueOpinion(Base):
    """An opinion solicited on a draft version during public comment (Art. 12 para. 3)."""

    __tablename__ = "catalogue_opinion"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("catalogue_item_version.id"), index=True)
    source_name: Mapped[str] = mapped_column(String(300))
    source_kind: Mapped[OpinionSource] = mapped_column(_str_enum(OpinionSource))
    content: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str] = mapped_column(String(200))


class SourceRegistration(Base):
    """An organisation the credit office registered as a collection source of an item, as one
    of the kinds of unit the item names (Art. 12 para. 2). Ending a registration keeps the row
    (``ended_at``); registering again reopens it. Organisations belong to the accounts context:
    their id is kept without a foreign key, their code and name are copied for the record."""

    __tablename__ = "source_registration"
    __table_args__ = (UniqueConstraint("item_id", "org_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("catalogue_item.id"), index=True)
    org_id: Mapped[int] = mapped_column(Integer, index=True)
    org_code: Mapped[str] = mapped_column(String(64))
    org_name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(64))
    basis: Mapped[str] = mapped_column(Text, default="")
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    registered_by: Mapped[str] = mapped_column(String(200))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_by: Mapped[str | None] = mapped_column(String(200))
    end_reason: Mapped[str | None] = mapped_column(Text)

    item: Mapped[CatalogueItem] = relationship(lazy="joined")
