"""View models of the credit office's catalogue pages (CAT-1…3): every item with the state of
its latest version, and the lifecycle step that comes next. No FastAPI here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.catalogue import service as catalogue
from xinyong.catalogue.models import Tier, VersionStatus
from xinyong.catalogue.schemas import ItemDetailRead, ItemRead, VersionRead

S = VersionStatus


@dataclass(frozen=True, slots=True)
class ItemRow:
    """An item as the office's catalogue list shows it."""

    code: str
    name: str
    tier: str
    region_code: str | None
    latest_version: int
    status: str
    in_force_version: int | None
    effective_on: date | None
    has_legal_basis: bool


def catalogue_rows(session: Session, *, at: datetime) -> list[ItemRow]:
    """Every item, drafts included, at its latest version, with the version in force."""
    latest: dict[str, ItemRead] = {}
    for status in VersionStatus:
        for item in catalogue.list_items(session, at=at, status=status):
            if item.code not in latest or item.version > latest[item.code].version:
                latest[item.code] = item
    in_force = {i.code: i for i in catalogue.list_items(session, at=at)}
    return [_row(item, in_force.get(code)) for code, item in sorted(latest.items())]


def _row(item: ItemRead, current: ItemRead | None) -> ItemRow:
    return ItemRow(
        code=item.code,
        name=item.name,
        tier=item.tier.value,
        region_code=item.region_code,
        latest_version=item.version,
        status=item.status.value,
        in_force_version=current.version if current else None,
        effective_on=current.effective_on if current else None,
        has_legal_basis=bool(item.legal_basis.strip()),
    )


#: The step a version's status leads to, as the page's POST path names it.
NEXT_STEP = {
    S.DRAFT: "open-comment",
    S.PUBLIC_COMMENT: "report",
    S.REPORTED: "publish",
    S.PUBLISHED: "new-version",
    S.SUPERSEDED: "new-version",
}
STEPS = frozenset(NEXT_STEP.values())


def latest_of(detail: ItemDetailRead) -> VersionRead:
    return detail.versions[-1]


def next_step(detail: ItemDetailRead) -> str:
    return NEXT_STEP[latest_of(detail).status]


def missing_legal_basis(detail: ItemDetailRead) -> bool:
    """A local item cannot be published without its legal basis (CAT-1): say so before the
    office tries."""
    return detail.tier is Tier.LOCAL and not latest_of(detail).legal_basis.strip()


def detail_context(session: Session, *, code: str, at: datetime) -> dict[str, Any]:
    detail = catalogue.item_detail(session, code=code, at=at)
    latest = latest_of(detail)
    return {
        "detail": detail,
        "latest": latest,
        "step": next_step(detail),
        "missing_basis": missing_legal_basis(detail),
        "opinions": latest.opinions,
        "latest_status": latest.status.value,
    }
