"""The marks that objections, repairs and list entries put on records (Art. 25–27, 32, 35, 36).

A record's own versions say what a department delivered; its *marks* say what the platform's
procedures have since done to it: an objection is being handled (DIS-5), repair was granted
(RGT-5), or the record is a list entry whose period governs it (LST-4). The contexts that own
those procedures write a mark through :mod:`xinyong.marks.service` in their own transaction;
disclosure reads only this table, so it depends on none of them (STYLE: one circle fewer).

A mark is never deleted: it is *ended* (``ended_at``, and ``ended_on``, the first day it no
longer holds), so the history of what was served when stays readable.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlalchemy.orm import Mapped

from xinyong.db.base import Base
from xinyong.db.types import BigPk, BigRef, Str32, Str300


class MarkKind(StrEnum):
    #: An objection to the record is being handled (Art. 32; DIS-5).
    UNDER_OBJECTION = "under_objection"
    #: Credit repair was granted (Art. 36; RGT-5): served only to the subject and the audit.
    REPAIRED = "repaired"
    #: The record is a serious-dishonesty list entry; its period governs it (Art. 25, 35; LST-4).
    SERIOUS_DISHONESTY_ENTRY = "serious_dishonesty_entry"
    #: The record is a red list entry, in force while the entry is valid (Art. 22; MEA-4).
    RED_LIST_ENTRY = "red_list_entry"


#: Marks whose ``starts_on``…``ends_on`` period governs the record's service (LST-4).
ENTRY_KINDS = frozenset({MarkKind.SERIOUS_DISHONESTY_ENTRY, MarkKind.RED_LIST_ENTRY})


class RecordMark(Base):
    id: Mapped[BigPk]
    record_id: Mapped[BigRef]
    #: Carried so that a subject's marks co-locate with its records (DESIGN §4).
    subject_id: Mapped[int]
    kind: Mapped[MarkKind]
    #: What put the mark: ``objection``, ``repair``, ``list_entry``, ``red_list_entry``.
    source_type: Mapped[Str32]
    source_id: Mapped[BigRef]
    #: First and last day of an entry's period (entry kinds only; the last day is inclusive).
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    created_at: Mapped[datetime]
    #: Ended early (objection decided, entry removed or ended by a decision): the first day
    #: the mark no longer holds, and when that was recorded.
    ended_on: Mapped[date | None]
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[Str300 | None]

    __table_args__ = (
        Index("ix_record_mark_record_id_kind", "record_id", "kind"),
        Index("ix_record_mark_subject_id_kind", "subject_id", "kind"),
        UniqueConstraint("kind", "source_type", "source_id"),
    )
