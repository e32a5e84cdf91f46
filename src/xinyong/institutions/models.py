"""Tables of the register of credit service institutions (Art. 37–39; CSI-1).

A filing per institution organisation holds its current status; every change of status is a
row of :class:`StatusChange` and every act of supervision a row of :class:`SupervisionRecord`.
Those two are insert-only (``xinyong.db.privileges``): the history of supervision is never
rewritten. The organisation belongs to the accounts context, so it is referenced by id without
a foreign key and its code is copied.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import IntPk, Str18, Str32, Str64, Str200, Str300
from xinyong.institutions.rules import FilingStatus, SupervisionKind


class InstitutionFiling(Base):
    """The filing (备案) of one credit service institution."""

    id: Mapped[IntPk]
    org_id: Mapped[int] = mapped_column(unique=True)
    org_code: Mapped[Str64]
    #: Normalised Unified Social Credit Code; empty only for a filing made with the
    #: organisation from the command line before its particulars were known.
    uscc: Mapped[Str18 | None] = mapped_column(unique=True)
    name: Mapped[Str300]
    legal_representative: Mapped[str] = mapped_column(String(100), default="")
    registered_address: Mapped[Str300] = mapped_column(default="")
    services: Mapped[list[str]] = mapped_column(default=list)
    business_scope: Mapped[str] = mapped_column(default="")
    contact: Mapped[Str200] = mapped_column(default="")
    filing_number: Mapped[Str32] = mapped_column(unique=True)
    filed_on: Mapped[date]
    status: Mapped[FilingStatus] = mapped_column(index=True)
    status_at: Mapped[datetime]
    created_at: Mapped[datetime]


#: The filing a row of its history belongs to.
FilingFk = Annotated[int, mapped_column(ForeignKey("institution_filing.id"))]


class StatusChange(Base):
    """One change of a filing's status (the filing itself is the first: from nothing)."""

    __tablename__ = "institution_status_change"
    __table_args__ = (Index("ix_institution_status_change_filing_at", "filing_id", "at"),)

    id: Mapped[IntPk]
    filing_id: Mapped[FilingFk]
    at: Mapped[datetime]
    from_status: Mapped[FilingStatus | None]
    to_status: Mapped[FilingStatus]
    reason: Mapped[str]
    #: Who changed it, id and name copied so the entry outlives the account.
    actor_user_id: Mapped[int | None]
    actor_name: Mapped[Str200]


class SupervisionRecord(Base):
    """One act of supervision of an institution (Art. 37, 38): an inspection, a check, a
    complaint handled, a measure taken."""

    __tablename__ = "institution_supervision"
    __table_args__ = (Index("ix_institution_supervision_filing_on", "filing_id", "supervised_on"),)

    id: Mapped[IntPk]
    filing_id: Mapped[FilingFk]
    supervised_on: Mapped[date]
    kind: Mapped[SupervisionKind]
    findings: Mapped[str]
    measures: Mapped[str] = mapped_column(default="")
    #: Who carried it out (inspectors, the unit), as the office writes it down.
    conducted_by: Mapped[Str200]
    recorded_at: Mapped[datetime]
    recorded_by_user_id: Mapped[int | None]
    recorded_by_name: Mapped[Str200]
