"""Tables of the reports context (RGT-1).

A ``credit_report`` row is the register of an issued report: what anyone may verify about it
(its number, when it was issued, the digest of its content) and whom it was issued to. The
content itself is not stored: the digest proves a copy unaltered, and the records it was built
from keep every version (COL-5).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import UTCDateTime


class CreditReport(Base):
    """One credit report issued to a subject."""

    __tablename__ = "credit_report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: ``XYBG-YYYYMMDD-XXXXXXXX``; the random part makes numbers unguessable (rules.py).
    number: Mapped[str] = mapped_column(String(32), unique=True)
    subject_id: Mapped[int] = mapped_column(Integer, index=True)
    #: Copied at issue, so verification shows the subject as the report named it.
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_code: Mapped[str] = mapped_column(String(64))
    subject_name: Mapped[str] = mapped_column(String(300))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    issued_to_id: Mapped[int | None] = mapped_column(Integer)
    #: Copied so the register survives the account (netbox practice).
    issued_to_name: Mapped[str] = mapped_column(String(200))
    #: SHA-256 (hex) of the canonical JSON of the content the PDF was rendered from.
    digest: Mapped[str] = mapped_column(String(64))
    records_count: Mapped[int] = mapped_column(Integer)
    #: ``credit`` (the credit report) or ``special`` (专项信用报告: a period and domains).
    kind: Mapped[str] = mapped_column(String(16), default="credit", server_default="credit")
    #: A special report's period (both days included) and domain codes, in the chosen order.
    period_from: Mapped[date | None] = mapped_column(Date)
    period_to: Mapped[date | None] = mapped_column(Date)
    domains: Mapped[list[str] | None] = mapped_column(JSON)
