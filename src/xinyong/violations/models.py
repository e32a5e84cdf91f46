"""The violation register (Art. 44, 45; GOV-1).

Each row is a fact the credit office must be able to act on: a deadline missed by a unit, a
measure refused because it is not on a published list, an attempted deletion, suspected
harvesting. Rows are only ever added: a violation that was dealt with stays on the register.
Who and which organisation are copied, so the entry survives the account.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import IndexedInt, IntPk, Str64, Str200, Str300


class ViolationKind(StrEnum):
    LATE_OBJECTION = "late_objection"  # Art. 32: not decided within 3/5 working days
    LATE_REPAIR = "late_repair"  # Art. 36
    LATE_CORRECTION = "late_correction"  # Art. 33, 34
    REFUSED_MEASURE = "refused_measure"  # Art. 29: a measure beyond the published lists
    HARVESTING = "harvesting"  # Art. 18: illegal acquisition by enumeration (INQ-3)
    ATTEMPTED_DELETION = "attempted_deletion"  # Art. 18, 44
    UNAUTHORISED_INQUIRY = "unauthorised_inquiry"  # Art. 19, 20


class Violation(Base):
    __table_args__ = (Index("ix_violation_kind_at", "kind", "at"),)

    id: Mapped[IntPk]
    at: Mapped[datetime] = mapped_column(index=True)
    kind: Mapped[ViolationKind]
    #: The account and unit concerned (the inquirer who harvested, the provider who was late),
    #: ids and names copied so that the entry outlives the account.
    user_id: Mapped[IndexedInt | None]
    user_name: Mapped[Str200] = mapped_column(default="")
    org_id: Mapped[int | None]
    org_code: Mapped[Str64 | None]
    org_name: Mapped[Str300 | None]
    subject_id: Mapped[IndexedInt | None]
    object_type: Mapped[Str64 | None]
    object_id: Mapped[Str64 | None]
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
