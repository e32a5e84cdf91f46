"""Pydantic shapes of the catalogue: what an item states (CAT-2), what the API returns."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from xinyong.catalogue.models import (
    FieldDisclosure,
    FieldType,
    OpinionSource,
    Polarity,
    Publicity,
    Severity,
    Tier,
    UpdateFrequency,
    VersionStatus,
)
from xinyong.catalogue.rules import SOURCE_KINDS, duplicate_names
from xinyong.core.wire import Input, Text64, Text200, Text300, Text4000, known_names

CODE_PATTERN = r"^[a-z][a-z0-9_]{1,63}$"
FIELD_CODE_PATTERN = r"^[A-Za-z][A-Za-z0-9_]{0,63}$"
SUBJECT_TYPES = ("natural_person", "legal_person", "unincorporated_org", "state_organ")
CHANNELS = ("api", "file", "manual", "exchange")
_SUBJECT_TYPES = known_names(SUBJECT_TYPES, "subject types", f"expected {list(SUBJECT_TYPES)}")
_CHANNELS = known_names(CHANNELS, "channels", f"expected {list(CHANNELS)}")


class FieldSpec(Input):
    """One typed field of an item's schema, with its disclosure class (DIS-3)."""

    code: str = Field(pattern=FIELD_CODE_PATTERN)
    name_zh: str = Field(min_length=1, max_length=100)
    name_en: Text200
    type: FieldType
    required: bool = False
    enum: list[str] | None = None
    disclosure: FieldDisclosure = FieldDisclosure.PUBLIC
    description: str = ""
    #: Required when a registered collection source delivers the item, though the platform's
    #: own list procedure may leave it out (Art. 26: e.g. the day the prior notice was served).
    source_required: bool = False

    @model_validator(mode="after")
    def _enum_values(self) -> FieldSpec:
        if self.type is FieldType.ENUM and not self.enum:
            raise ValueError(f"field {self.code}: an enum field lists its values")
        if self.type is not FieldType.ENUM and self.enum:
            raise ValueError(f"field {self.code}: only enum fields list values")
        return self


class CollectionSource(Input):
    """A kind of unit that delivers the item (Art. 12 para. 2: "collection source"); the
    credit office binds real organisations to it (``catalogue.sources``)."""

    kind: Text64
    codes: list[str] = Field(default_factory=list)
    description: str = Field(min_length=1)

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in SOURCE_KINDS:
            raise ValueError(f"unknown collection source kind {value!r}; expected {SOURCE_KINDS}")
        return value


class ItemDefinition(Input):
    """What a version of an item states (Art. 12 para. 2; CAT-2)."""

    name: Text200
    name_en: str = Field(default="", max_length=200)
    behaviour: str = Field(min_length=1)
    subject_types: Annotated[list[str], _SUBJECT_TYPES] = Field(min_length=1)
    fields: list[FieldSpec] = Field(min_length=1)
    publicity: Publicity
    sharing_scope: str = Field(min_length=1)
    collection_source: list[CollectionSource] = Field(min_length=1)
    #: Only organisations registered as sources of the item may deliver it (Art. 25, 26).
    restricted_sources: bool = False
    channels: Annotated[list[str], _CHANNELS] = Field(
        default_factory=lambda: ["api", "file"], min_length=1
    )
    update_frequency: UpdateFrequency
    max_delivery_gap_days: int | None = Field(default=None, ge=1, le=3660)
    polarity: Polarity
    default_severity: Severity | None = None
    disclosure_rule: str = Field(pattern=CODE_PATTERN)
    repairable: bool
    repair_note: str = ""
    legal_basis: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> ItemDefinition:
        dupes = duplicate_names([f.model_dump() for f in self.fields])
        if dupes:
            raise ValueError(f"field codes or Chinese names used twice: {dupes}")
        if self.polarity is Polarity.NEGATIVE and self.default_severity is None:
            raise ValueError("a negative item states its default severity")
        if self.polarity is not Polarity.NEGATIVE and self.default_severity is not None:
            raise ValueError("only negative items have a severity")
        return self


class ItemCreate(ItemDefinition):
    code: str = Field(pattern=CODE_PATTERN)
    tier: Tier
    region_code: str | None = None
    category: str = Field(pattern=CODE_PATTERN)

    @model_validator(mode="after")
    def _region(self) -> ItemCreate:
        if self.tier is Tier.LOCAL:
            if not self.region_code or not re.fullmatch(r"\d{6}", self.region_code):
                raise ValueError("a local item names its region (6-digit GB/T 2260 code)")
        elif self.region_code is not None:
            raise ValueError("a national item has no region")
        return self


class VersionChanges(Input):
    """Changes a new draft version makes to the copy of the latest version."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    name_en: str | None = None
    behaviour: str | None = Field(default=None, min_length=1)
    subject_types: list[str] | None = None
    fields: list[FieldSpec] | None = None
    publicity: Publicity | None = None
    sharing_scope: str | None = None
    collection_source: list[CollectionSource] | None = None
    restricted_sources: bool | None = None
    channels: list[str] | None = None
    update_frequency: UpdateFrequency | None = None
    max_delivery_gap_days: int | None = Field(default=None, ge=1, le=3660)
    polarity: Polarity | None = None
    default_severity: Severity | None = None
    disclosure_rule: str | None = Field(default=None, pattern=CODE_PATTERN)
    repairable: bool | None = None
    repair_note: str | None = None
    legal_basis: str | None = None


class StepRequest(Input):
    reason: str | None = Field(default=None, max_length=2000)


class PublishRequest(StepRequest):
    effective_on: date


class OpinionCreate(Input):
    source_name: Text300
    source_kind: OpinionSource
    content: str = Field(min_length=1, max_length=20000)


class OpinionRead(BaseModel):
    id: int
    source_name: str
    source_kind: OpinionSource
    content: str
    at: datetime
    recorded_by: str


class ItemRead(ItemDefinition):
    """An item at one version, as ``GET /catalogue/items`` lists it."""

    model_config = ConfigDict(extra="ignore")

    code: str
    tier: Tier
    region_code: str | None
    category: str
    version: int
    version_id: int
    status: VersionStatus
    effective_on: date | None
    published_at: datetime | None


class VersionRead(ItemRead):
    opinions: list[OpinionRead]


class ItemDetailRead(BaseModel):
    code: str
    tier: Tier
    region_code: str | None
    category: str
    created_at: datetime
    current: ItemRead | None
    versions: list[VersionRead]


class SourceCreate(BaseModel):
    org: Text64
    #: One of the kinds the item names; may be left out when it names one.
    kind: str | None = Field(default=None, max_length=64)
    basis: str = Field(default="", max_length=4000)


class SourceEnd(BaseModel):
    reason: Text4000


class SourceRead(BaseModel):
    item: str
    org: str
    org_name: str
    kind: str
    basis: str
    registered_at: datetime
    registered_by: str
    ended_at: datetime | None
    end_reason: str | None


class SourceList(BaseModel):
    item: str
    restricted_sources: bool
    kinds: list[str]
    items: list[SourceRead]


def definition_dict(data: ItemDefinition) -> dict[str, Any]:
    """An ItemDefinition as plain JSON-ready values (what the version row stores)."""
    return data.model_dump(mode="json", include=set(ItemDefinition.model_fields))
