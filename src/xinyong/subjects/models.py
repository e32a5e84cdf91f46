"""Tables of the subjects register (SUB-1…3, Art. 2, 7, 27)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import UTCDateTime


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


class Subject(Base):
    """A credit subject, identified by its normalised code (USCC, resident number, …)."""

    __tablename__ = "subject"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(64), unique=True)
    #: ``xinyong.core.identifiers.IdentifierKind`` value.
    id_kind: Mapped[str] = mapped_column(String(16))
    #: False for kinds the platform cannot check (passport, other).
    id_verified: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(300))
    #: ``rules.normalize_name(name)``: what name searches and matching compare.
    name_key: Mapped[str] = mapped_column(String(300), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SubjectName(Base):
    """A former name, kept so that old records and searches by the old name still match."""

    __tablename__ = "subject_name"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), index=True)
    #: When the platform first knew this name (None: before the subject was registered).
    valid_from_on: Mapped[date | None] = mapped_column(Date)
    valid_to_on: Mapped[date] = mapped_column(Date)
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SubjectNameGram(Base):
    """The name index of organisations (SUB-3, DIS-1): one row per distinct two-character
    substring of each current or former name key. A fragment search reads the range of the
    fragment's rarest bigram in name order (the primary key), so it never scans the register.

    Natural persons are not indexed: the public never finds a person by name (DIS-3)."""

    __tablename__ = "subject_name_gram"
    __table_args__ = ({"sqlite_with_rowid": False},)

    gram: Mapped[str] = mapped_column(String(2), primary_key=True)
    name_key: Mapped[str] = mapped_column(String(300), primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), primary_key=True)


class SubjectRepresentative(Base):
    """An organisation's legal representative or responsible person over a period."""

    __tablename__ = "subject_representative"
    __table_args__ = (Index("ix_subject_representative_person_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The organisation (named ``subject_id`` so that sharding by subject co-locates it).
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("subject.id"))
    role: Mapped[str] = mapped_column(String(32))
    valid_from_on: Mapped[date] = mapped_column(Date)
    #: None while current.
    valid_to_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class UsccAllowlistEntry(Base):
    """A real USCC from an early pilot region that fails the check character (SUB-2)."""

    __tablename__ = "uscc_allowlist_entry"

    code: Mapped[str] = mapped_column(String(18), primary_key=True)
    note: Mapped[str] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
