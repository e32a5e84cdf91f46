"""Credit repair applications (Art. 36; RGT-5).

An application is written once it is accepted for handling (an ineligible one is answered 422
and leaves nothing: see ``service.apply_for_repair``). Its deadline is computed at receipt and
stored (``due_on``); "overdue" is never stored, it is ``due_on`` compared with today at query
time. A granted repair is permanent: the decision puts a ``repaired`` mark on the record
(``xinyong.marks``), which the disclosure policy reads to stop serving the record to every
channel but the subject's own and the audit; the record itself and its versions are untouched.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    LargeBinary,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import BigPk, BigRef, Str16, Str32, Str64, Str200
from xinyong.handling.columns import CaseColumns, case_indexes


class RepairStatus(StrEnum):
    RECEIVED = "received"
    REPAIRED = "repaired"
    REFUSED = "refused"


class RepairApplication(CaseColumns, Base):
    id: Mapped[BigPk]
    record_id: Mapped[BigRef]
    item_code: Mapped[Str64]
    applicant_id: Mapped[int | None]
    #: Copied so the history survives the account.
    applicant_name: Mapped[Str200]
    statement: Mapped[str]
    #: ``[{"name", "sha256", "size", "content_type", "description", "url", "file_id"}]``;
    #: uploaded bytes live in ``repair_evidence``.
    evidence: Mapped[list[dict[str, Any]]]
    #: The public credit commitment (Order 36); the standard text unless the applicant wrote one.
    commitment_text: Mapped[str | None]
    obligations_fulfilled: Mapped[bool]
    obligations_proof: Mapped[str | None]
    #: Class and rule set the eligibility was judged under (order36 / order58).
    severity: Mapped[Str16]
    rule_set: Mapped[Str32]
    status: Mapped[RepairStatus]
    late: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        *case_indexes("repair_application"),
        Index("ix_repair_application_subject_id", "subject_id"),
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

    id: Mapped[BigPk]
    repair_id: Mapped[int] = mapped_column(ForeignKey("repair_application.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[Str64]
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(LargeBinary)
