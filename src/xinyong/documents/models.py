"""Written notices and decisions as documents (PLT-4): numbered, kept, listed in an inbox.

A document is written once and never rewritten: its number, recipient and content are what
was served. Only ``read_at`` moves (when its recipient first opens it). Numbers come from a
counter row per prefix and year, incremented inside the issuing transaction, so that a rolled
back use case gives its number back and the sequence has no gaps.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import IntPk, Str16, Str32, Str64, Str300


class DocumentKind(StrEnum):
    #: To the provider (or credit office) an objection is routed to (Art. 32).
    OBJECTION_NOTICE = "objection_notice"
    #: The handling result, to the objection applicant, in writing (Art. 32).
    OBJECTION_DECISION = "objection_decision"
    #: An overdue objection, to the credit office (RGT-2, GOV-1).
    ESCALATION_NOTICE = "escalation_notice"
    #: A provider's written notice that a judgment or decision was revoked (Art. 34).
    REVOCATION_NOTICE = "revocation_notice"
    #: A corrected or withdrawn record, to recent recipients (FCRA §1681i(d)-style).
    CORRECTION_NOTICE = "correction_notice"
    #: Serious dishonesty list procedure (Art. 26, 29): prior notice, objection answer,
    #: decision, service record, removal; red list adoption pushed to departments (Art. 22).
    LIST_PRIOR_NOTICE = "list_prior_notice"
    LIST_OBJECTION_ANSWER = "list_objection_answer"
    LIST_DECISION = "list_decision"
    LIST_SERVICE_RECORD = "list_service_record"
    LIST_REMOVAL_NOTICE = "list_removal_notice"
    RED_LIST_NOTICE = "red_list_notice"
    #: Written notice before a regulatory or disciplinary measure (Art. 28, MEA-3).
    MEASURE_NOTICE = "measure_notice"
    #: Credit repair (Art. 36): routed application, decision, overdue escalation.
    REPAIR_NOTICE = "repair_notice"
    REPAIR_DECISION = "repair_decision"
    REPAIR_ESCALATION = "repair_escalation"
    #: A change of a watched subject's information, to the watching organisation (关注).
    WATCH_CHANGE = "watch_change"


#: Number prefixes: the kind is readable from the number alone (``YYJD-2026-000001``).
PREFIXES: dict[DocumentKind, str] = {
    DocumentKind.OBJECTION_NOTICE: "YYTZ",  # 异议通知
    DocumentKind.OBJECTION_DECISION: "YYJD",  # 异议决定
    DocumentKind.ESCALATION_NOTICE: "YYCQ",  # 异议超期
    DocumentKind.REVOCATION_NOTICE: "CXTZ",  # 撤销通知
    DocumentKind.CORRECTION_NOTICE: "GZTZ",  # 更正通知
    DocumentKind.LIST_PRIOR_NOTICE: "SXGZ",  # 失信告知
    DocumentKind.LIST_OBJECTION_ANSWER: "SXYY",  # 失信异议答复
    DocumentKind.LIST_DECISION: "SXJD",  # 失信认定决定
    DocumentKind.LIST_SERVICE_RECORD: "SXSD",  # 送达记录
    DocumentKind.LIST_REMOVAL_NOTICE: "SXYC",  # 移出通知
    DocumentKind.RED_LIST_NOTICE: "HMTS",  # 红名单推送
    DocumentKind.MEASURE_NOTICE: "CSGZ",  # 措施告知
    DocumentKind.REPAIR_NOTICE: "XFTZ",  # 修复通知
    DocumentKind.REPAIR_DECISION: "XFJD",  # 修复决定
    DocumentKind.REPAIR_ESCALATION: "XFCQ",  # 修复超期
    DocumentKind.WATCH_CHANGE: "GZBD",  # 关注变动
}


class Document(Base):
    id: Mapped[IntPk]
    number: Mapped[Str32] = mapped_column(unique=True)
    kind: Mapped[DocumentKind]
    #: Exactly one recipient: a subject, an organisation, or the credit office as a whole.
    recipient_subject_id: Mapped[int | None]
    recipient_org_id: Mapped[int | None]
    recipient_office: Mapped[bool] = mapped_column(default=False)
    title: Mapped[Str300]
    #: ``{"paragraphs": [...], "facts": [[label, value], ...]}`` — what the HTML shows.
    body: Mapped[dict[str, Any]]
    html: Mapped[str]
    #: What the document is about, e.g. ("objection", "12").
    object_type: Mapped[Str64 | None]
    object_id: Mapped[Str64 | None]
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_document_recipient_subject_id", "recipient_subject_id"),
        Index("ix_document_recipient_org_id", "recipient_org_id"),
        Index("ix_document_object_type_object_id", "object_type", "object_id"),
    )


class DocumentCounter(Base):
    """The last number issued per prefix and year (gapless numbering)."""

    id: Mapped[IntPk]
    prefix: Mapped[Str16]
    year: Mapped[int]
    last: Mapped[int]

    __table_args__ = (UniqueConstraint("prefix", "year"),)
