"""Tables of the reports context (RGT-1).

A ``credit_report`` row is the register of an issued report: what anyone may verify about it
(its number, when it was issued, the digest of its content) and whom it was issued to. The
content itself is not stored: the digest proves a copy unaltered, and the records it was built
from keep every version (COL-5).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import IndexedInt, IntPk, Str16, Str32, Str64, Str200, Str300


class CreditReport(Base):
    """One credit report issued to a subject."""

    id: Mapped[IntPk]
    #: ``XYBG-YYYYMMDD-XXXXXXXX``; the random part makes numbers unguessable (rules.py).
    number: Mapped[Str32] = mapped_column(unique=True)
    subject_id: Mapped[IndexedInt]
    #: Copied at issue, so verification shows the subject as the report named it.
    subject_type: Mapped[Str32]
    subject_code: Mapped[Str64]
    subject_name: Mapped[Str300]
    issued_at: Mapped[datetime]
    issued_to_id: Mapped[int | None]
    #: Copied so the register survives the account (netbox practice).
    issued_to_name: Mapped[Str200]
    #: SHA-256 (hex) of the canonical JSON of the content the PDF was rendered from.
    digest: Mapped[Str64]
    records_count: Mapped[int]
    #: ``credit`` (the credit report) or ``special`` (专项信用报告: a period and domains).
    kind: Mapped[Str16] = mapped_column(default="credit", server_default="credit")
    #: A special report's period (both days included) and domain codes, in the chosen order.
    period_from: Mapped[date | None]
    period_to: Mapped[date | None]
    domains: Mapped[list[str] | None]
