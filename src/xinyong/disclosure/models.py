"""Tables of the disclosure context (DIS-4).

``record_window`` stores each record's computed disclosure window (STYLE: store computed
deadlines). It is written in the same transaction as the delivery or amendment that changes
the inputs of the window, never by a periodic job, and it is a cache of a pure function:
a record without a row is computed on the fly at query time, so a missing row can never make
a record visible or invisible wrongly.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import BigId, Str32, Str200


class RecordWindow(Base):
    """The disclosure window of a record at its head version."""

    record_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("record.id"), primary_key=True, autoincrement=False
    )
    #: Carried so that the window co-locates with the subject's records (DESIGN §4) and so
    #: that "a subject's records inside their window" is one index range.
    subject_id: Mapped[int]
    #: Last day served; ``None``: no negative window (served while active).
    window_ends_on: Mapped[date | None]
    #: False for a class the rule set does not publish (e.g. minor dishonesty).
    publishable: Mapped[bool]
    rule_set: Mapped[Str32 | None]
    basis: Mapped[Str200]
    #: The record version the window was computed from.
    version: Mapped[int]
    computed_at: Mapped[datetime]

    __table_args__ = (Index("ix_record_window_subject_id_ends", "subject_id", "window_ends_on"),)
