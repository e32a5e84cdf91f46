"""Loads the shipped catalogues on first start and by ``xinyong demo load`` (CAT-4).

Items go through the same use cases as the credit office's own work (draft → public comment →
reported → published), so the audit log shows how each entered the catalogue. Loading is
idempotent: an item whose code already exists is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from xinyong.catalogue import reference, service
from xinyong.catalogue import repository as repo
from xinyong.catalogue.schemas import ItemCreate
from xinyong.core.actor import Actor
from xinyong.core.errors import InvalidInput

SHIPPED_FILES = (reference.NATIONAL_FILE, reference.GUIZHOU_FILE)
REASON = "随平台发布的目录 / catalogue shipped with the platform"


@dataclass
class LoadResult:
    published: list[str] = field(default_factory=list)
    drafted: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def shipped_entries() -> list[tuple[ItemCreate, str, date]]:
    """(definition, target status, effective date) of every shipped item, validated."""
    entries = []
    for name in SHIPPED_FILES:
        data = reference.read_data_file(name)
        default_effective = date.fromisoformat(data["effective_on"])
        for raw in data["items"]:
            entries.append(_entry(name, raw, default_effective))
    return entries


def _entry(name: str, raw: dict[str, Any], default_effective: date) -> tuple[ItemCreate, str, date]:
    body = dict(raw)
    status = body.pop("status", "published")
    effective = body.pop("effective_on", None)
    try:
        item = ItemCreate.model_validate(body)
    except ValidationError as exc:
        raise InvalidInput(
            f"随附目录文件 {name} 中的 {raw.get('code')} 无效。"
            f" Shipped catalogue {name}: item {raw.get('code')} is invalid: {exc}"
        ) from None
    return item, status, date.fromisoformat(effective) if effective else default_effective


def load_shipped_catalogues(session: Session, *, actor: Actor, at: datetime) -> LoadResult:
    """Load every shipped item not yet in the catalogue; published ones as version 1."""
    result = LoadResult()
    existing = repo.existing_codes(session)
    for item, status, effective_on in shipped_entries():
        if item.code in existing:
            result.skipped.append(item.code)
            continue
        service.draft_item(session, actor=actor, data=item, at=at, reason=REASON)
        if status == "draft":
            result.drafted.append(item.code)
            continue
        service.open_public_comment(session, actor=actor, code=item.code, at=at, reason=REASON)
        service.report_to_higher_authority(
            session, actor=actor, code=item.code, at=at, reason=REASON
        )
        service.publish_item(
            session, actor=actor, code=item.code, effective_on=effective_on, at=at, reason=REASON
        )
        result.published.append(item.code)
    return result
