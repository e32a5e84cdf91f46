"""Tables of the subjects register (SUB-1…3, Art. 2, 7, 27)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import IntPk, Str2, Str16, Str18, Str32, Str200, Str300, UniqueStr64


class SubjectType(StrEnum):
    """Credit subjects (Art. 2); state organs carry government integrity records (Art. 7)."""

    NATURAL_PERSON = "natural_person"
    LEGAL_PERSON = "legal_person"
    UNINCORPORATED_ORG = "unincorporated_org"
    STATE_ORGAN = "state_organ"


class RepresentativeRole(StrEnum):
    """Whom an organisation's list entry names (Art. 27)."""

    LEGAL_REPRESENTATIVE = "legal_representative"
    RESPONSIBLE_PERSON = "responsible_person"


#: The subject a row belongs to (indexed).
SubjectFk = Annotated[int, mapped_column(ForeignKey("subject.id"), index=True)]


class Subject(Base):
    """A credit subject, identified by its normalised code (USCC, resident number, …)."""

    id: Mapped[IntPk]
    type: Mapped[Str32]
    code: Mapped[UniqueStr64]
    #: ``xinyong.core.identifiers.IdentifierKind`` value.
    id_kind: Mapped[Str16]
    #: False for kinds the platform cannot check (passport, other).
    id_verified: Mapped[bool]
    name: Mapped[Str300]
    #: ``rules.normalize_name(name)``: what name searches and matching compare.
    name_key: Mapped[Str300] = mapped_column(index=True)
    created_at: Mapped[datetime]


class SubjectName(Base):
    """A former name, kept so that old records and searches by the old name still match."""

    id: Mapped[IntPk]
    subject_id: Mapped[SubjectFk]
    name: Mapped[Str300]
    name_key: Mapped[Str300] = mapped_column(index=True)
    #: When the platform first knew this name (None: before the subject was registered).
    valid_from_on: Mapped[date | None]
    valid_to_on: Mapped[date]
    replaced_at: Mapped[datetime]


class SubjectNameGram(Base):
    """The name index of organisations (SUB-3, DIS-1): one row per distinct two-character
    substring of each current or former name key. A fragment search reads the range of the
    fragment's rarest bigram in name order (the primary key), so it never scans the register.

    Natural persons are not indexed: the public never finds a person by name (DIS-3).

    A subject's own rows are found by ``ix_subject_name_gram_subject_id`` (the publication
    reads each chunk's rows by subject, and indexing a name asks whether the subject has that
    key already): through the primary key alone, both scanned every row of the register's
    index, and a publication read it once per chunk of subjects."""

    __table_args__ = (
        Index("ix_subject_name_gram_subject_id", "subject_id", "name_key"),
        {"sqlite_with_rowid": False},
    )

    gram: Mapped[Str2] = mapped_column(primary_key=True)
    name_key: Mapped[Str300] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), primary_key=True)


class SubjectRepresentative(Base):
    """An organisation's legal representative or responsible person over a period."""

    __table_args__ = (Index("ix_subject_representative_person_id", "person_id"),)

    id: Mapped[IntPk]
    #: The organisation (named ``subject_id`` so that sharding by subject co-locates it).
    subject_id: Mapped[SubjectFk]
    person_id: Mapped[int] = mapped_column(ForeignKey("subject.id"))
    role: Mapped[Str32]
    valid_from_on: Mapped[date]
    #: None while current.
    valid_to_on: Mapped[date | None]
    created_at: Mapped[datetime]


class UsccAllowlistEntry(Base):
    """A real USCC from an early pilot region that fails the check character (SUB-2)."""

    code: Mapped[Str18] = mapped_column(primary_key=True)
    note: Mapped[str]
    added_by: Mapped[Str200]
    added_at: Mapped[datetime]
