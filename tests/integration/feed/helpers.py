"""Delivering records through the records service, which puts each change on the feed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.integration.records.test_service import penalty_fields
from xinyong.core.actor import Actor
from xinyong.feed.models import ChangeEvent
from xinyong.records import service as records
from xinyong.records.schemas import RecordCreate, RecordRead

COMPANY = {"type": "legal_person", "id": "91520000214434146R", "name": "贵州示例商贸有限公司"}


def deliver(db: Session, actor: Actor, source_id: str, at: datetime, **fields: Any) -> RecordRead:
    """Deliver one penalty record; the records service emits its ``delivered`` change."""
    data = RecordCreate.model_validate(
        {
            "item": "admin_penalty",
            "source_id": source_id,
            "subject": COMPANY,
            "fields": penalty_fields(CF_WSH=f"黔市监罚〔2026〕{source_id}号", **fields),
        }
    )
    record, created = records.deliver_record(db, actor=actor, data=data, at=at)
    assert created
    db.commit()
    return record


def change_count(db: Session) -> int:
    return len(db.scalars(select(ChangeEvent.id)).all())
