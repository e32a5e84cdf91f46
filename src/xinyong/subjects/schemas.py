"""Wire shapes of the subjects register and the identifier check."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from xinyong.core.identifiers import IdentifierKind
from xinyong.core.wire import RowRead, Text64, Text200, Text300, Text2000
from xinyong.subjects.models import RepresentativeRole, SubjectType


class IdentifierCheckRead(RowRead):
    """``GET /identifiers/check`` (API.md): exactly these four fields."""

    valid: bool
    kind: IdentifierKind | None
    normalized: str | None
    error: str | None


class SubjectRef(BaseModel):
    """How a record or a request names a subject (API.md ``subject``)."""

    type: SubjectType
    id: Text200
    name: Text300
    id_kind: IdentifierKind | None = None


class SubjectRead(RowRead):
    id: int
    type: SubjectType
    code: str
    id_kind: IdentifierKind
    id_verified: bool
    name: str
    created_at: datetime


class SubjectNameRead(RowRead):
    name: str
    valid_from_on: date | None
    valid_to_on: date


class RepresentativeCreate(BaseModel):
    person_id: int
    role: RepresentativeRole
    valid_from_on: date


class RepresentativeRead(RowRead):
    subject_id: int
    person_id: int
    role: RepresentativeRole
    valid_from_on: date
    valid_to_on: date | None


class UsccAllowlistCreate(BaseModel):
    code: Text64
    note: Text2000


class UsccAllowlistRead(RowRead):
    code: str
    note: str
    added_by: str
    added_at: datetime
