"""Credit repair applications (Art. 36; RGT-5).

An application is written once it is accepted for handling (an ineligible one is answered 422
and leaves nothing: see ``service.apply_for_repair``). Its deadline is computed at receipt and
stored (``due_on``); "overdue" is never stored, it is ``due_on`` compared with today at query
time. A granted repair is permanent: the decision puts a ``repaired`` mark on the record
(``xinyong.marks``), which the disclosure policy reads to stop serving the record to every
channel but the subject's own and the audit; the record itself and its versions are untouched.
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
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import UTCDateTime
from xinyong.handling.columns import BigId, status_column


class RepairStatus(StrEnum):
    RECEIVED = "received"
    REPAIRED = "repaired"
    REFUSED = "refused"


class RepairApplication(Base):
    __tablename__ = "repair_application"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    record_id: Mapped[int] = mapped_column(BigId)
    item_code: Mapped[str] = mapped_column(String(64))
    subject_id: Mapped[int] = mapped_column(Integer)
    #: Where it is routed; ``None`` routes it to the credit office (self-declared records).
    provider_org_id: Mapped[int | None] = mapped_column(Integer)
    applicant_id: Mapped[int | None] = mapped_column(Integer)
    #: Copied so the history survives the account.
    applicant_name: Mapped[str] = mapped_column(String(200))
    statement: Mapped[str] = mapped_column(Text)
    #: ``[{"name", "sha256", "size", "content_type", "description", "url", "file_id"}]``;
    #: uploaded bytes live in ``repair_evidence``.
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    #: The public credit commitment (Order 36); the standard text unless the applicant wrote one.
    commitment_text: Mapped[str | None] = mapped_column(Text)
    obligations_fulfilled: Mapped[bool] = mapped_column(Boolean)
    obligations_proof: Mapped[str | None] = mapped_column(Text)
    #: Class and rule set the eligibility was judged under (order36 / order58).
    severity: Mapped[str] = mapped_column(String(16))
    rule_set: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[RepairStatus] = mapped_column(status_column(RepairStatus))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(Integer)
    decided_by_name: Mapped[str | None] = mapped_column(String(200))
    #: Number of the written decision notice (PLT-4).
    notice_number: Mapped[str | None] = mapped_column(String(32))
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    late: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        Index("ix_repair_application_record_id_status", "record_id", "status"),
        Index("ix_repair_application_provider_org_id_due_on", "provider_org_id", "due_on"),
        Index("ix_repair_application_subject_id", "subject_id"),
        Index("ix_repair_application_status_due_on", "status", "due_on"),
        # One application being handled per record: settles two racing submissions.
        Index(
            "uq_repair_application_open_record",
            "record_id",
            unique=True,
            sqlite_where=text("status = 'received'"),
            postgresql_where=text("status = 'received'"),
        ),
    )


class RepairEvidence(Base):
    """An uploaded proof file (a receipt of the fine, a correction report), kept as filed."""

    __tablename__ = "repair_evidence"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    repair_id: Mapped[int] = mapped_column(ForeignKey("repair_application.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
