"""Wire shapes of the subjects register and the identifier check."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from xinyong.core.identifiers import IdentifierKind
from xinyong.subjects.models import RepresentativeRole, SubjectType


class IdentifierCheckRead(BaseModel):
    """``GET /identifiers/check`` (API.md): exactly these four fields."""

    model_config = ConfigDict(from_attributes=True)

    valid: bool
    kind: IdentifierKind | None
    normalized: str | None
    error: str | None


class SubjectRef(BaseModel):
    """How a record or a request names a subject (API.md ``subject``)."""

    type: SubjectType
    id: str = Field(min_length=1, max_length=200)
    name: str = Field(min_length=1, max_length=300)
    id_kind: IdentifierKind | None = None


class SubjectRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    type: SubjectType
    code: str
    id_kind: IdentifierKind
    id_verified: bool
    name: str
    created_at: datetime


class SubjectNameRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    valid_from_on: date | None
    valid_to_on: date


class RepresentativeCreate(BaseModel):
    person_id: int
    role: RepresentativeRole
    valid_from_on: date


class RepresentativeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    subject_id: int
    person_id: int
    role: RepresentativeRole
    valid_from_on: date
    valid_to_on: date | None


class UsccAllowlistCreate(BaseModel):
    code: str = Field(min_length=1, max_length=64)
    note: str = Field(min_length=1, max_length=2000)


class UsccAllowlistRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    note: str
    added_by: str
    added_at: datetime
