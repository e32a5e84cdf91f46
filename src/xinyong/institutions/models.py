"""Tables of the register of credit service institutions (Art. 37–39; CSI-1).

A filing per institution organisation holds its current status; every change of status is a
row of :class:`StatusChange` and every act of supervision a row of :class:`SupervisionRecord`.
Those two are insert-only (``xinyong.db.privileges``): the history of supervision is never
rewritten. The organisation belongs to the accounts context, so it is referenced by id without
a foreign key and its code is copied.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, Enum, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import UTCDateTime
from xinyong.institutions.rules import FilingStatus, SupervisionKind


def _state(enum: type[StrEnum]) -> Enum:
    """A StrEnum stored by value in a plain string column (no database enum type)."""
    return Enum(
        enum,
        native_enum=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class InstitutionFiling(Base):
    """The filing (备案) of one credit service institution."""

    __tablename__ = "institution_filing"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(Integer, unique=True)
    org_code: Mapped[str] = mapped_column(String(64))
    #: Normalised Unified Social Credit Code; empty only for a filing made with the
    #: organisation from the command line before its particulars were known.
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    legal_representative: Mapped[str] = mapped_column(String(100), default="")
    registered_address: Mapped[str] = mapped_column(String(300), default="")
    services: Mapped[list[str]] = mapped_column(JSON, default=list)
    business_scope: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    filing_number: Mapped[str] = mapped_column(String(32), unique=True)
    filed_on: Mapped[date] = mapped_column(Date)
    status: Mapped[FilingStatus] = mapped_column(_state(FilingStatus), index=True)
    status_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StatusChange(Base):
    """One change of a filing's status (the filing itself is the first: from nothing)."""

    __tablename__ = "institution_status_change"
    __table_args__ = (Index("ix_institution_status_change_filing_at", "filing_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("institution_filing.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    from_status: Mapped[FilingStatus | None] = mapped_column(_state(FilingStatus))
    to_status: Mapped[FilingStatus] = mapped_column(_state(FilingStatus))
    reason: Mapped[str] = mapped_column(Text)
    #: Who changed it, id and name copied so the entry outlives the account.
    actor_user_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(200))


class SupervisionRecord(Base):
    """One act of supervision of an institution (Art. 37, 38): an inspection, a check, a
    complaint handled, a measure taken."""

    __tablename__ = "institution_supervision"
    __table_args__ = (Index("ix_institution_supervision_filing_on", "filing_id", "supervised_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("institution_filing.id"))
    supervised_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[SupervisionKind] = mapped_column(_state(SupervisionKind))
    findings: Mapped[str] = mapped_column(Text)
    measures: Mapped[str] = mapped_column(Text, default="")
    #: Who carried it out (inspectors, the unit), as the office writes it down.
    conducted_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by_user_id: Mapped[int | None] = mapped_column(Integer)
    recorded_by_name: Mapped[str] = mapped_column(String(200))
