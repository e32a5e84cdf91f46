"""Tables of the watches context: an organisation watching a subject (关注)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import UTCDateTime


class Watch(Base):
    """One organisation's watch on one subject, from ``created_at`` until ``ended_at``. The
    account's role and item authority are copied: changes reach the watcher within them."""

    __tablename__ = "watch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(Integer)
    org_name: Mapped[str] = mapped_column(String(300))
    user_id: Mapped[int | None] = mapped_column(Integer)
    user_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    authority_items: Mapped[list[str] | None] = mapped_column(JSON)
    subject_id: Mapped[int] = mapped_column(Integer)
    subject_code: Mapped[str] = mapped_column(String(64))
    subject_name: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_watch_subject_id", "subject_id"),
        Index("ix_watch_org_id", "org_id"),
    )
