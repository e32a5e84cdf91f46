"""Tables of the watches context: an organisation watching a subject (关注)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlalchemy.orm import Mapped

from xinyong.db.base import Base
from xinyong.db.types import IntPk, Str32, Str64, Str200, Str300


class Watch(Base):
    """One organisation's watch on one subject, from ``created_at`` until ``ended_at``. The
    account's role and item authority are copied: changes reach the watcher within them."""

    id: Mapped[IntPk]
    org_id: Mapped[int]
    org_name: Mapped[Str300]
    user_id: Mapped[int | None]
    user_name: Mapped[Str200]
    role: Mapped[Str32]
    authority_items: Mapped[list[str] | None]
    subject_id: Mapped[int]
    subject_code: Mapped[Str64]
    subject_name: Mapped[Str300]
    created_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_watch_subject_id", "subject_id"),
        Index("ix_watch_org_id", "org_id"),
    )
