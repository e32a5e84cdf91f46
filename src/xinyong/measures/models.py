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

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.catalogue.models import OpinionText, VersionStatus
from xinyong.db.base import Base
from xinyong.db.types import (
    Count,
    IndexedInt,
    IntPk,
    Str2,
    Str6,
    Str16,
    Str18,
    Str32,
    Str64,
    Str200,
    Str300,
    Str500,
    UniqueStr64,
)


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


class Measure(Base):
    """One measure of the incentive, regulatory or disciplinary lists (MEA-1)."""

    id: Mapped[IntPk]
    code: Mapped[UniqueStr64]
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[VersionStatus]
    name: Mapped[Str300]
    name_en: Mapped[Str300] = mapped_column(default="")
    kind: Mapped[MeasureKind]
    tier: Mapped[MeasureTier]
    #: GB/T 2260 region of a local supplementary measure; ``None`` for national ones.
    region_code: Mapped[Str6 | None]
    #: Article of the Guizhou regulation, e.g. ``23(4)``.
    article: Mapped[Str16] = mapped_column(default="")
    legal_basis: Mapped[str] = mapped_column(default="")
    #: Organ kinds (``accounts.rules.ORGAN_KINDS``) that may implement it (Art. 23, 29).
    implementing_organs: Mapped[list[str]]
    #: ``subject`` and/or ``legal_representative`` (Art. 27).
    targets: Mapped[list[str]]
    #: Conditions, any of which triggers it (see ``rules.condition_matches``).
    triggers: Mapped[list[dict[str, Any]]]
    #: Check matters it applies to, named one by one.
    matters: Mapped[list[str]]
    duration: Mapped[Str32]
    duration_note: Mapped[str] = mapped_column(default="")
    #: The longest an applied measure lasts, in months from its decision; it ends earlier
    #: when lifted (Art. 35, 36). ``None`` only for measures drafted before periods existed.
    period_months: Mapped[int | None]
    effective_on: Mapped[date | None]
    created_at: Mapped[datetime]
    published_at: Mapped[datetime | None]


class MeasureOpinion(OpinionText, Base):
    """An opinion solicited on a draft measure (Art. 24 para. 4)."""

    id: Mapped[IntPk]
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"), index=True)
    source_name: Mapped[Str300]


class CreditCheck(Base):
    """A credit check at the point of service, as answered (MEA-2). Names are copied so the
    row survives the account and the organisation."""

    id: Mapped[IntPk]
    at: Mapped[datetime]
    #: The inquiry-log row the check's read left (Art. 20).
    inquiry_id: Mapped[int | None]
    org_id: Mapped[IndexedInt | None]
    org_code: Mapped[Str64 | None]
    org_name: Mapped[Str300 | None]
    user_id: Mapped[int | None]
    user_name: Mapped[Str200]
    subject_id: Mapped[IndexedInt]
    subject_code: Mapped[Str64]
    matter: Mapped[Str64]
    #: ``None``: unrated — no record that grading uses (MEA-5).
    grade: Mapped[Str2 | None]
    grade_reasons: Mapped[list[dict[str, Any]]]
    #: ``[{"id", "kind", ...}]`` — the list entries the answer held.
    list_entries: Mapped[list[dict[str, Any]]]
    record_ids: Mapped[list[int]]
    #: The information used, for the written notice (Art. 28): item, document, provider.
    information: Mapped[list[dict[str, Any]]]
    #: ``[{"code", "kind", "record_ids", "list_entry_ids", "grade"}]`` — what was offered, why.
    measures_offered: Mapped[list[dict[str, Any]]]


class AppliedMeasure(Base):
    """A measure an organ reports it applied after a check (MEA-2), with its notice (MEA-3)."""

    __table_args__ = (Index("ix_applied_measure_subject_id", "subject_id"),)

    id: Mapped[IntPk]
    check_id: Mapped[int] = mapped_column(ForeignKey("credit_check.id"), index=True)
    subject_id: Mapped[int]
    measure_code: Mapped[Str64]
    measure_version: Mapped[int]
    measure_name: Mapped[Str300]
    kind: Mapped[MeasureKind]
    legal_basis: Mapped[str]
    matter: Mapped[Str64]
    applied_at: Mapped[datetime]
    applied_by_id: Mapped[int | None]
    applied_by_name: Mapped[Str200]
    org_id: Mapped[int | None]
    org_name: Mapped[Str300 | None]
    #: Number of the written notice served before the measure (Art. 28); ``None`` for an
    #: incentive, which needs none.
    notice_number: Mapped[Str32 | None]
    #: What the notice said (laws relied on, information used and its providers).
    notice: Mapped[dict[str, Any] | None]
    status: Mapped[AppliedStatus] = mapped_column(default=AppliedStatus.APPLIED)
    #: The records and list entries the measure rests on (lifted with them, Art. 36).
    record_ids: Mapped[list[int] | None]
    list_entry_ids: Mapped[list[str] | None]
    #: Last day for the subject's statement and defence (Art. 29 para. 2), working days.
    defence_due_on: Mapped[date | None]
    statement: Mapped[str | None]
    stated_at: Mapped[datetime | None]
    statement_answer: Mapped[str | None]
    answered_at: Mapped[datetime | None]
    answered_by_name: Mapped[Str200 | None]
    #: When it took effect (the decision of a two-step measure; ``applied_at`` otherwise).
    decided_at: Mapped[datetime | None]
    decided_by_name: Mapped[Str200 | None]
    decision_reason: Mapped[str | None]
    decision_number: Mapped[Str32 | None]
    #: Last day in force by its period (``Measure.period_months``).
    ends_on: Mapped[date | None]
    lifted_at: Mapped[datetime | None]
    lift_reason: Mapped[str | None]


class SpotCheckDraw(Base):
    """A random spot-check draw with everything needed to re-derive it (Art. 21(4), 23(4);
    MEA-5): the seed, the ratios and the graded population as drawn from."""

    id: Mapped[IntPk]
    at: Mapped[datetime]
    drawn_by_id: Mapped[int | None]
    drawn_by_name: Mapped[Str200]
    seed: Mapped[str] = mapped_column(String(128))
    ratios: Mapped[dict[str, float]]
    rules_version: Mapped[int]
    #: ``[[subject_id, grade], ...]`` sorted by subject id.
    population: Mapped[list[list[Any]]]
    population_digest: Mapped[Str64]
    drawn: Mapped[list[int]]


class Commitment(Base):
    """A credit commitment made in licensing, and its fulfilment (Art. 8; MEA-6)."""

    id: Mapped[IntPk]
    subject_id: Mapped[IndexedInt]
    matter: Mapped[Str300]
    commitment_type: Mapped[Str32]
    terms: Mapped[str]
    made_at: Mapped[datetime]
    due_on: Mapped[date]
    status: Mapped[CommitmentStatus]
    org_id: Mapped[int | None]
    org_name: Mapped[Str300]
    #: The receiving unit's USCC (the 双公示 source unit of a breach record).
    unit_uscc: Mapped[Str18]
    recorded_by_name: Mapped[Str200]
    closed_at: Mapped[datetime | None]
    closed_by_name: Mapped[Str200 | None]
    note: Mapped[str | None]
    #: The negative record a breach became (Art. 8), delivered through the records service.
    breach_record_id: Mapped[int | None]


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

    id: Mapped[IntPk]
    created_at: Mapped[datetime]
    user_id: Mapped[IndexedInt]
    user_name: Mapped[Str200]
    org_id: Mapped[IndexedInt | None]
    org_code: Mapped[Str64 | None]
    org_name: Mapped[Str300 | None]
    role: Mapped[Str32]
    matter: Mapped[Str64]
    filename: Mapped[Str200]
    file_sha256: Mapped[Str64]
    address: Mapped[Str64 | None]
    status: Mapped[BatchStatus]
    total: Mapped[int]
    processed: Mapped[Count]
    accepted: Mapped[Count]
    rejected: Mapped[Count]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    error: Mapped[Str500 | None]


class CheckBatchRow(Base):
    """One line of a batch file and what it got: the check (``result``: lists, grade,
    measures) or the reason it was rejected."""

    __table_args__ = (Index("ix_check_batch_row_batch_status", "batch_id", "status", "id"),)

    id: Mapped[IntPk]
    batch_id: Mapped[int] = mapped_column(ForeignKey("check_batch.id"))
    #: The line in the file (header = 1).
    line: Mapped[int]
    subject_code: Mapped[Str64]
    name: Mapped[Str300 | None]
    status: Mapped[BatchRowStatus]
    reason_code: Mapped[Str64 | None]
    reason: Mapped[Str500 | None]
    subject_id: Mapped[int | None]
    inquiry_id: Mapped[int | None]
    check_id: Mapped[int | None]
    grade: Mapped[Str2 | None]
    #: ``{"subject_name", "lists", "grade_reason", "measures"}`` of an accepted row.
    result: Mapped[dict[str, Any] | None]
    processed_at: Mapped[datetime | None]
