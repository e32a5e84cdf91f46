"""Tables of measures, credit checks, spot-check draws and commitments (Art. 8, 21–24, 28, 29;
MEA-1, MEA-2, MEA-3, MEA-5, MEA-6).

A measure is on a list only once it is published (Art. 24 para. 4: solicited, reported, made
public); a check stores what it answered (grade, list entries, records, measures offered), so
that what an organ later reports as applied is judged against what the platform told it — never
against a re-computation that may have moved since.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, Enum, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.catalogue.models import VersionStatus
from xinyong.db.base import Base
from xinyong.db.types import UTCDateTime


class MeasureKind(StrEnum):
    INCENTIVE = "incentive"  # Art. 21
    REGULATORY = "regulatory"  # Art. 23
    DISCIPLINARY = "disciplinary"  # Art. 24


class MeasureTier(StrEnum):
    NATIONAL = "national"
    LOCAL = "local"


class CommitmentStatus(StrEnum):
    OPEN = "open"
    FULFILLED = "fulfilled"
    BREACHED = "breached"


class AppliedStatus(StrEnum):
    """Where an applied measure stands (Art. 28, 29 para. 2, 36)."""

    #: A disciplinary measure notified with the right to state and defend; not yet in force.
    PENDING = "pending"
    #: In force until its end (``ends_on``) or until lifted.
    APPLIED = "applied"
    #: Decided against after the subject's statement and defence.
    WITHDRAWN = "withdrawn"
    #: Lifted before its end: its ground was repaired, corrected or removed (Art. 36).
    LIFTED = "lifted"


#: Measures that need a written notice before they are applied (Art. 28).
NOTICE_KINDS = frozenset({MeasureKind.REGULATORY, MeasureKind.DISCIPLINARY})
#: Measures applied in two steps — notice with the right to state and defend, then the
#: decision (Art. 29 para. 2).
TWO_STEP_KINDS = frozenset({MeasureKind.DISCIPLINARY})


def _enum(cls: type[StrEnum]) -> Enum:
    # Stored by value as a plain string: a new state needs no native type migration.
    return Enum(
        cls,
        native_enum=False,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class Measure(Base):
    """One measure of the incentive, regulatory or disciplinary lists (MEA-1)."""

    __tablename__ = "measure"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[VersionStatus] = mapped_column(_enum(VersionStatus))
    name: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[MeasureKind] = mapped_column(_enum(MeasureKind))
    tier: Mapped[MeasureTier] = mapped_column(_enum(MeasureTier))
    #: GB/T 2260 region of a local supplementary measure; ``None`` for national ones.
    region_code: Mapped[str | None] = mapped_column(String(6))
    #: Article of the Guizhou regulation, e.g. ``23(4)``.
    article: Mapped[str] = mapped_column(String(16), default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    #: Organ kinds (``accounts.rules.ORGAN_KINDS``) that may implement it (Art. 23, 29).
    implementing_organs: Mapped[list[str]] = mapped_column(JSON)
    #: ``subject`` and/or ``legal_representative`` (Art. 27).
    targets: Mapped[list[str]] = mapped_column(JSON)
    #: Conditions, any of which triggers it (see ``rules.condition_matches``).
    triggers: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    #: Check matters it applies to, named one by one.
    matters: Mapped[list[str]] = mapped_column(JSON)
    duration: Mapped[str] = mapped_column(String(32))
    duration_note: Mapped[str] = mapped_column(Text, default="")
    #: The longest an applied measure lasts, in months from its decision; it ends earlier
    #: when lifted (Art. 35, 36). ``None`` only for measures drafted before periods existed.
    period_months: Mapped[int | None] = mapped_column(Integer)
    effective_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MeasureOpinion(Base):
    """An opinion solicited on a draft measure (Art. 24 para. 4)."""

    __tablename__ = "measure_opinion"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"), index=True)
    source_name: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str] = mapped_column(String(200))


class CreditCheck(Base):
    """A credit check at the point of service, as answered (MEA-2). Names are copied so the
    row survives the account and the organisation."""

    __tablename__ = "credit_check"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: The inquiry-log row the check's read left (Art. 20).
    inquiry_id: Mapped[int | None] = mapped_column(Integer)
    org_id: Mapped[int | None] = mapped_column(Integer, index=True)
    org_code: Mapped[str | None] = mapped_column(String(64))
    org_name: Mapped[str | None] = mapped_column(String(300))
    user_id: Mapped[int | None] = mapped_column(Integer)
    user_name: Mapped[str] = mapped_column(String(200))
    subject_id: Mapped[int] = mapped_column(Integer, index=True)
    subject_code: Mapped[str] = mapped_column(String(64))
    matter: Mapped[str] = mapped_column(String(64))
    #: ``None``: unrated — no record that grading uses (MEA-5).
    grade: Mapped[str | None] = mapped_column(String(2))
    grade_reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    #: ``[{"id", "kind", ...}]`` — the list entries the answer held.
    list_entries: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    record_ids: Mapped[list[int]] = mapped_column(JSON)
    #: The information used, for the written notice (Art. 28): item, document, provider.
    information: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    #: ``[{"code", "kind", "record_ids", "list_entry_ids", "grade"}]`` — what was offered, why.
    measures_offered: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class AppliedMeasure(Base):
    """A measure an organ reports it applied after a check (MEA-2), with its notice (MEA-3)."""

    __tablename__ = "applied_measure"
    __table_args__ = (Index("ix_applied_measure_subject_id", "subject_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("credit_check.id"), index=True)
    subject_id: Mapped[int] = mapped_column(Integer)
    measure_code: Mapped[str] = mapped_column(String(64))
    measure_version: Mapped[int] = mapped_column(Integer)
    measure_name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[MeasureKind] = mapped_column(_enum(MeasureKind))
    legal_basis: Mapped[str] = mapped_column(Text)
    matter: Mapped[str] = mapped_column(String(64))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime())
    applied_by_id: Mapped[int | None] = mapped_column(Integer)
    applied_by_name: Mapped[str] = mapped_column(String(200))
    org_id: Mapped[int | None] = mapped_column(Integer)
    org_name: Mapped[str | None] = mapped_column(String(300))
    #: Number of the written notice served before the measure (Art. 28); ``None`` for an
    #: incentive, which needs none.
    notice_number: Mapped[str | None] = mapped_column(String(32))
    #: What the notice said (laws relied on, information used and its providers).
    notice: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[AppliedStatus] = mapped_column(
        _enum(AppliedStatus), default=AppliedStatus.APPLIED
    )
    #: The records and list entries the measure rests on (lifted with them, Art. 36).
    record_ids: Mapped[list[int] | None] = mapped_column(JSON)
    list_entry_ids: Mapped[list[str] | None] = mapped_column(JSON)
    #: Last day for the subject's statement and defence (Art. 29 para. 2), working days.
    defence_due_on: Mapped[date | None] = mapped_column(Date)
    statement: Mapped[str | None] = mapped_column(Text)
    stated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    statement_answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_by_name: Mapped[str | None] = mapped_column(String(200))
    #: When it took effect (the decision of a two-step measure; ``applied_at`` otherwise).
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_name: Mapped[str | None] = mapped_column(String(200))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decision_number: Mapped[str | None] = mapped_column(String(32))
    #: Last day in force by its period (``Measure.period_months``).
    ends_on: Mapped[date | None] = mapped_column(Date)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lift_reason: Mapped[str | None] = mapped_column(Text)


class SpotCheckDraw(Base):
    """A random spot-check draw with everything needed to re-derive it (Art. 21(4), 23(4);
    MEA-5): the seed, the ratios and the graded population as drawn from."""

    __tablename__ = "spot_check_draw"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    drawn_by_id: Mapped[int | None] = mapped_column(Integer)
    drawn_by_name: Mapped[str] = mapped_column(String(200))
    seed: Mapped[str] = mapped_column(String(128))
    ratios: Mapped[dict[str, float]] = mapped_column(JSON)
    rules_version: Mapped[int] = mapped_column(Integer)
    #: ``[[subject_id, grade], ...]`` sorted by subject id.
    population: Mapped[list[list[Any]]] = mapped_column(JSON)
    population_digest: Mapped[str] = mapped_column(String(64))
    drawn: Mapped[list[int]] = mapped_column(JSON)


class Commitment(Base):
    """A credit commitment made in licensing, and its fulfilment (Art. 8; MEA-6)."""

    __tablename__ = "commitment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(Integer, index=True)
    matter: Mapped[str] = mapped_column(String(300))
    commitment_type: Mapped[str] = mapped_column(String(32))
    terms: Mapped[str] = mapped_column(Text)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[CommitmentStatus] = mapped_column(_enum(CommitmentStatus))
    org_id: Mapped[int | None] = mapped_column(Integer)
    org_name: Mapped[str] = mapped_column(String(300))
    #: The receiving unit's USCC (the 双公示 source unit of a breach record).
    unit_uscc: Mapped[str] = mapped_column(String(18))
    recorded_by_name: Mapped[str] = mapped_column(String(200))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_name: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    #: The negative record a breach became (Art. 8), delivered through the records service.
    breach_record_id: Mapped[int | None] = mapped_column(Integer)


class BatchStatus(StrEnum):
    """Where a batch check stands (批量比对)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    #: Stopped by something no row could answer (the account gone); the reason is kept.
    FAILED = "failed"


class BatchRowStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class CheckBatch(Base):
    """A declared batch check (批量比对): a file of subjects checked for one matter by one
    account, row by row, in chunks; who declared it is copied so the row outlives the account."""

    __tablename__ = "check_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    user_name: Mapped[str] = mapped_column(String(200))
    org_id: Mapped[int | None] = mapped_column(Integer, index=True)
    org_code: Mapped[str | None] = mapped_column(String(64))
    org_name: Mapped[str | None] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(32))
    matter: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(200))
    file_sha256: Mapped[str] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[BatchStatus] = mapped_column(_enum(BatchStatus))
    total: Mapped[int] = mapped_column(Integer)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(String(500))


class CheckBatchRow(Base):
    """One line of a batch file and what it got: the check (``result``: lists, grade,
    measures) or the reason it was rejected."""

    __tablename__ = "check_batch_row"
    __table_args__ = (Index("ix_check_batch_row_batch_status", "batch_id", "status", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("check_batch.id"))
    #: The line in the file (header = 1).
    line: Mapped[int] = mapped_column(Integer)
    subject_code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[BatchRowStatus] = mapped_column(_enum(BatchRowStatus))
    reason_code: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(String(500))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    inquiry_id: Mapped[int | None] = mapped_column(Integer)
    check_id: Mapped[int | None] = mapped_column(Integer)
    grade: Mapped[str | None] = mapped_column(String(2))
    #: ``{"subject_name", "lists", "grade_reason", "measures"}`` of an accepted row.
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
