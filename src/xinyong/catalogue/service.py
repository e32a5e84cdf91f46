"""Catalogue use cases (CAT-1…3): draft → public comment → reported → published.

Each use case authorises, loads, applies the rules, persists, writes its audit entry and commits
once. Other contexts read the catalogue through the query functions at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.audit.service import record_event, record_row_event
from xinyong.catalogue import reference, rules
from xinyong.catalogue import repository as repo
from xinyong.catalogue.models import (
    CatalogueItem,
    CatalogueItemVersion,
    CatalogueOpinion,
    Tier,
    VersionStatus,
)
from xinyong.catalogue.schemas import (
    FieldSpec,
    ItemCreate,
    ItemDefinition,
    ItemDetailRead,
    ItemRead,
    OpinionCreate,
    OpinionRead,
    VersionChanges,
    VersionRead,
    definition_dict,
)
from xinyong.core.actor import Actor
from xinyong.core.clock import local_date
from xinyong.core.errors import Conflict, InvalidInput, NotFound
from xinyong.core.permissions import require
from xinyong.core.rows import from_row

MANAGE = "catalogue:manage"
#: Columns a catalogue listing may be sorted by (pages and API alike).
SORT_KEYS = ("code", "name", "tier", "category", "publicity", "polarity", "update_frequency")


class UnknownItem(InvalidInput, code="unknown_catalogue_item"): ...


class ItemExists(Conflict, code="catalogue_item_exists"): ...


class DraftInProgress(Conflict, code="catalogue_draft_in_progress"): ...


# --- use cases ------------------------------------------------------------------------------


def draft_item(
    session: Session, *, actor: Actor, data: ItemCreate, at: datetime, reason: str | None = None
) -> CatalogueItemVersion:
    """Start a new item with its first version as a draft."""
    require(actor, MANAGE)
    _check_references(data)
    if repo.item_by_code(session, data.code) is not None:
        raise ItemExists(
            f"目录项代码 {data.code} 已存在。 The catalogue item code {data.code} already exists;"
            " start a new version of it instead."
        )
    item = CatalogueItem(
        code=data.code,
        tier=data.tier,
        region_code=data.region_code,
        category=data.category,
        created_at=at,
    )
    session.add(item)
    session.flush()
    return _add_draft(session, actor, item, 1, definition_dict(data), at, reason)


def new_version_of(
    session: Session,
    *,
    actor: Actor,
    code: str,
    changes: VersionChanges | None = None,
    at: datetime,
    reason: str | None = None,
) -> CatalogueItemVersion:
    """Start a draft copy of the latest version; the copied version is not touched."""
    require(actor, MANAGE)
    item = _load_item(session, code)
    latest = _latest(session, item)
    if latest.status not in rules.EVER_PUBLISHED:
        raise DraftInProgress(
            f"目录项 {code} 已有未发布的第 {latest.version} 版（{latest.status.value}）。"
            f" Item {code} already has version {latest.version} in progress"
            f" ({latest.status.value}); finish it first."
        )
    content = _definition_of(latest)
    if changes is not None:
        content.update(changes.model_dump(mode="json", exclude_unset=True))
    try:
        definition = ItemDefinition.model_validate(content)
    except ValueError as exc:
        raise InvalidInput(f"新版本内容无效。 The new version is invalid: {exc}") from None
    _check_references(definition)
    return _add_draft(
        session, actor, item, latest.version + 1, definition_dict(definition), at, reason
    )


def _add_draft(
    session: Session,
    actor: Actor,
    item: CatalogueItem,
    number: int,
    content: dict[str, Any],
    at: datetime,
    reason: str | None,
) -> CatalogueItemVersion:
    """Version ``number`` of ``item`` holding ``content``, as a draft; audited."""
    version = CatalogueItemVersion(
        item_id=item.id, version=number, status=VersionStatus.DRAFT, created_at=at
    )
    _apply_definition(version, content)
    session.add(version)
    session.flush()
    _audit(session, actor, "catalogue:item:draft", at, item, version, None, reason)
    session.flush()
    return version


def open_public_comment(
    session: Session, *, actor: Actor, code: str, at: datetime, reason: str | None = None
) -> CatalogueItemVersion:
    """Open the draft to opinions (Art. 12 para. 3)."""
    return _step(session, actor, code, VersionStatus.PUBLIC_COMMENT, "open_comment", at, reason)


def record_opinion(
    session: Session, *, actor: Actor, code: str, opinion: OpinionCreate, at: datetime
) -> CatalogueOpinion:
    """Record who said what on the version under public comment (Art. 12 para. 3)."""
    require(actor, MANAGE)
    item = _load_item(session, code)
    version = _latest(session, item)
    rules.ensure_comment_open(version.status)
    row = CatalogueOpinion(
        version_id=version.id, **opinion.model_dump(), at=at, recorded_by=actor.display_name
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        actor=actor,
        tag="catalogue:opinion:record",
        at=at,
        object_type="catalogue_opinion",
        object_id=row.id,
        after={
            "item": item.code,
            "version": version.version,
            "source_name": row.source_name,
            "source_kind": row.source_kind.value,
        },
    )
    session.flush()
    return row


def report_to_higher_authority(
    session: Session, *, actor: Actor, code: str, at: datetime, reason: str | None = None
) -> CatalogueItemVersion:
    """Close public comment and report the version upwards (Art. 12 para. 3)."""
    return _step(session, actor, code, VersionStatus.REPORTED, "report", at, reason)


def publish_item(
    session: Session,
    *,
    actor: Actor,
    code: str,
    effective_on: date,
    at: datetime,
    reason: str | None = None,
) -> CatalogueItemVersion:
    """Publish the reported version; the previously published one becomes ``superseded``."""
    require(actor, MANAGE)
    item = _load_item(session, code)
    version = _latest(session, item)
    rules.ensure_transition(version.status, VersionStatus.PUBLISHED)
    rules.ensure_publishable(tier=item.tier, legal_basis=version.legal_basis)
    previous = repo.last_published(session, item.id)
    if previous is not None:
        rules.ensure_effective_after(effective_on, previous.effective_on)
        rules.ensure_transition(previous.status, VersionStatus.SUPERSEDED)
        # Only the status changes: records keep pointing at the version they were made under.
        previous.status = VersionStatus.SUPERSEDED
    before = _summary(version)
    version.status = VersionStatus.PUBLISHED
    version.effective_on = effective_on
    version.published_at = at
    session.flush()
    _audit(session, actor, "catalogue:item:publish", at, item, version, before, reason)
    session.flush()
    return version


# --- queries --------------------------------------------------------------------------------


def published_items(
    session: Session, *, at: datetime, tier: Tier | None = None
) -> Sequence[CatalogueItemVersion]:
    """The version of each item in force at ``at`` (published, effective on or before today)."""
    return repo.current_versions(session, at=at, on=local_date(at), tier=tier)


def get_published_version(
    session: Session, code: str, *, at: datetime
) -> CatalogueItemVersion | None:
    return repo.current_version(session, code=code, at=at, on=local_date(at))


def require_published_version(session: Session, code: str, *, at: datetime) -> CatalogueItemVersion:
    """The version records are collected against; nothing outside the catalogue (CAT-3)."""
    version = get_published_version(session, code, at=at)
    if version is None:
        raise UnknownItem(
            f"目录中没有已发布生效的信息项 {code}。"
            f" {code} is not a published catalogue item in force; nothing outside the"
            " catalogue is collected."
        )
    return version


def field_specs(version: CatalogueItemVersion) -> list[FieldSpec]:
    return [FieldSpec.model_validate(f) for f in version.fields]


def field_by_header(version: CatalogueItemVersion, header: str) -> FieldSpec | None:
    """The field a spreadsheet header names, by code (``CF_WSH``) or Chinese column name."""
    spec = rules.match_field(version.fields, header)
    return None if spec is None else FieldSpec.model_validate(spec)


def list_items(
    session: Session,
    *,
    at: datetime,
    status: VersionStatus | None = None,
    tier: Tier | None = None,
    sort: str = "code",
    descending: bool = False,
) -> list[ItemRead]:
    """Items in force (default), or each item's latest version with ``status``; sorted by one
    of ``SORT_KEYS`` (ties broken by code)."""
    check_sort(sort)
    if status is None:
        versions = published_items(session, at=at, tier=tier)
    else:
        versions = repo.latest_versions_with_status(session, status=status, tier=tier)
    return sort_items((to_read(v) for v in versions), sort=sort, descending=descending)


def check_sort(sort: str) -> None:
    if sort not in SORT_KEYS:
        raise InvalidInput(
            f"不能按 {sort} 排序。 Cannot sort by {sort}.",
            details=[{"field": "sort", "reason": f"expected one of {list(SORT_KEYS)}"}],
        )


def sort_items(items: Iterable[ItemRead], *, sort: str, descending: bool) -> list[ItemRead]:
    """A listing's order: by ``sort`` (one of ``SORT_KEYS``), ties broken by code (the
    publication store's copy is listed by the same rule)."""
    check_sort(sort)
    by_code = sorted(items, key=lambda i: i.code)
    return sorted(by_code, key=lambda i: str(getattr(i, sort)), reverse=descending)


def latest_with_status(detail: ItemDetailRead, status: VersionStatus) -> ItemRead | None:
    """The item's latest version with ``status``, as a listing shows it (what
    ``list_items(status=...)`` lists, computed from an item's detail)."""
    matching = [v for v in detail.versions if v.status == status]
    if not matching:
        return None
    latest = max(matching, key=lambda v: v.version)
    return ItemRead.model_validate(latest.model_dump(exclude={"opinions"}))


def public_details(session: Session, *, at: datetime) -> list[ItemDetailRead]:
    """Every item's public answer (``GET /catalogue/items/{code}``) at ``at``, by code: what
    the publication store copies."""
    return [item_detail(session, code=code, at=at) for code in sorted(repo.existing_codes(session))]


def item_detail(session: Session, *, code: str, at: datetime) -> ItemDetailRead:
    item = _load_item(session, code)
    current = get_published_version(session, code, at=at)
    return from_row(
        ItemDetailRead,
        item,
        current=None if current is None else to_read(current),
        versions=[
            VersionRead(
                **to_read(v).model_dump(),
                opinions=[
                    OpinionRead.model_validate(o, from_attributes=True)
                    for o in repo.opinions_of(session, v.id)
                ],
            )
            for v in repo.versions_of(session, item.id)
        ],
    )


def to_read(version: CatalogueItemVersion) -> ItemRead:
    item = version.item
    return ItemRead.model_validate(
        {
            **_definition_of(version),
            "code": item.code,
            "tier": item.tier,
            "region_code": item.region_code,
            "category": item.category,
            "version": version.version,
            "version_id": version.id,
            "status": version.status,
            "effective_on": version.effective_on,
            "published_at": version.published_at,
        }
    )


# --- helpers --------------------------------------------------------------------------------


def _step(
    session: Session,
    actor: Actor,
    code: str,
    target: VersionStatus,
    action: str,
    at: datetime,
    reason: str | None,
) -> CatalogueItemVersion:
    require(actor, MANAGE)
    item = _load_item(session, code)
    version = _latest(session, item)
    rules.ensure_transition(version.status, target)
    before = _summary(version)
    version.status = target
    session.flush()
    _audit(session, actor, f"catalogue:item:{action}", at, item, version, before, reason)
    session.flush()
    return version


def _load_item(session: Session, code: str) -> CatalogueItem:
    item = repo.item_by_code(session, code)
    if item is None:
        raise item_not_found(code)
    return item


def item_not_found(code: str) -> NotFound:
    return NotFound(f"目录项 {code} 不存在。 There is no catalogue item {code}.")


def _latest(session: Session, item: CatalogueItem) -> CatalogueItemVersion:
    version = repo.latest_version(session, item.id)
    assert version is not None, "an item is created with its first version"
    return version


def _check_references(data: ItemDefinition) -> None:
    problems: list[dict[str, Any]] = []
    category = getattr(data, "category", None)
    if category is not None and category not in reference.categories():
        problems.append({"field": "category", "reason": f"unknown category {category}"})
    if data.disclosure_rule not in reference.disclosure_rule_codes():
        problems.append(
            {"field": "disclosure_rule", "reason": f"unknown rule {data.disclosure_rule}"}
        )
    if problems:
        raise InvalidInput(
            "目录项引用了不存在的类别或公示期规则。"
            " The item refers to an unknown category or disclosure-period rule.",
            details=problems,
        )


_DEFINITION_KEYS = tuple(ItemDefinition.model_fields)


def _apply_definition(version: CatalogueItemVersion, content: dict[str, Any]) -> None:
    for key in _DEFINITION_KEYS:
        setattr(version, key, content[key])


def _definition_of(version: CatalogueItemVersion) -> dict[str, Any]:
    return {key: getattr(version, key) for key in _DEFINITION_KEYS}


def _summary(version: CatalogueItemVersion) -> dict[str, Any]:
    return {
        "version": version.version,
        "status": version.status.value,
        "effective_on": None if version.effective_on is None else version.effective_on.isoformat(),
    }


def _audit(
    session: Session,
    actor: Actor,
    tag: str,
    at: datetime,
    item: CatalogueItem,
    version: CatalogueItemVersion,
    before: dict[str, Any] | None,
    reason: str | None,
) -> None:
    record_row_event(
        session,
        version,
        actor=actor,
        tag=tag,
        at=at,
        before=before,
        after={"item": item.code, **_summary(version)},
        reason=reason,
    )
