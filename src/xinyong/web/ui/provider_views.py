"""View models of the provider's pages: which items a unit may deliver, how a record's fields
are labelled, what an amendment changes. No FastAPI here; the routers in ``provider.py`` call
these and the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.catalogue import service as catalogue
from xinyong.catalogue.schemas import FieldSpec, ItemRead
from xinyong.catalogue.sources import is_source
from xinyong.core.actor import Actor
from xinyong.core.errors import NotFound
from xinyong.records.schemas import RecordRead, RecordVersionRead
from xinyong.records.service import look_at_record

#: Form field names of an item's fields in the amendment form: ``f.CF_NR_FK``.
FIELD_PREFIX = "f."


@dataclass(frozen=True, slots=True)
class ItemChoice:
    code: str
    name: str
    name_en: str


def deliverable_items(session: Session, *, actor: Actor, at: datetime) -> list[ItemChoice]:
    """Published items in force that accept files and list this unit among their sources (or
    name no unit) — an item with restricted sources only when the unit is registered as one.
    The delivery service decides again; this only spares a useless choice."""
    choices = []
    for version in catalogue.published_items(session, at=at):
        item = catalogue.to_read(version)
        if "file" not in item.channels or not _source_allows(item, actor):
            continue
        if item.restricted_sources and not is_source(
            session, item_code=item.code, org_id=actor.org_id
        ):
            continue  # Art. 25, 26: only its registered sources deliver it
        choices.append(ItemChoice(item.code, item.name, item.name_en))
    return choices


def _source_allows(item: ItemRead, actor: Actor) -> bool:
    if (
        any(s.kind == "subject" for s in item.collection_source)
        and len(item.collection_source) == 1
    ):
        return False  # the subject's own statements: not a department's delivery
    codes = {c for s in item.collection_source for c in s.codes}
    return not codes or actor.org_code in codes


def text(value: Any) -> str:
    """A stored field value as a form and a page show it."""
    return "" if value is None else str(value)


@dataclass(frozen=True, slots=True)
class FieldRow:
    code: str
    label: str
    label_en: str
    value: str
    required: bool


def item_fields(session: Session, record: RecordRead, *, at: datetime) -> list[FieldSpec]:
    """The field schema of the catalogue version the record was delivered under (CAT-3)."""
    try:
        detail = catalogue.item_detail(session, code=record.item, at=at)
    except NotFound:
        return []
    for version in detail.versions:
        if version.version_id == record.item_version_id:
            return list(version.fields)
    return list(detail.current.fields) if detail.current else []


def field_rows(specs: list[FieldSpec], values: dict[str, Any]) -> list[FieldRow]:
    """Every field of the schema, then any value the schema does not name (kept as sent)."""
    rows = [
        FieldRow(s.code, s.name_zh, s.name_en, text(values.get(s.code)), s.required) for s in specs
    ]
    known = {s.code for s in specs}
    rows += [FieldRow(k, k, k, text(v), False) for k, v in values.items() if k not in known]
    return rows


@dataclass(frozen=True, slots=True)
class Change:
    code: str
    label: str
    before: str
    after: str


def changes_between(
    specs: list[FieldSpec], before: dict[str, Any], after: dict[str, Any]
) -> list[Change]:
    labels = {s.code: s.name_zh for s in specs}
    codes = list(dict.fromkeys([*before, *after]))
    return [
        Change(c, labels.get(c, c), text(before.get(c)), text(after.get(c)))
        for c in codes
        if text(before.get(c)) != text(after.get(c))
    ]


@dataclass(frozen=True, slots=True)
class VersionView:
    version: RecordVersionRead
    changes: list[Change]


def version_views(record: RecordRead, specs: list[FieldSpec]) -> list[VersionView]:
    """Versions newest first, each with what it changed from the one before."""
    views: list[VersionView] = []
    previous: dict[str, Any] = {}
    for v in record.versions or []:
        views.append(VersionView(v, changes_between(specs, previous, v.fields) if views else []))
        previous = v.fields
    return list(reversed(views))


def submitted_changes(form: dict[str, str], current: dict[str, Any]) -> dict[str, str | None]:
    """The fields an amendment form changes: a value differing from the head; an emptied
    field is removed (``None``, as the amendment API means it)."""
    changes: dict[str, str | None] = {}
    for name, raw in form.items():
        if not name.startswith(FIELD_PREFIX):
            continue
        code = name.removeprefix(FIELD_PREFIX)
        value = raw.strip()
        if value != text(current.get(code)):
            changes[code] = value or None
    return changes


def record_context(
    session: Session, *, actor: Actor, record_id: int, at: datetime
) -> dict[str, Any]:
    """What the record page shows: the record, its labelled fields and its versions."""
    record = look_at_record(session, actor=actor, record_id=record_id, at=at)
    specs = item_fields(session, record, at=at)
    return {
        "record": record,
        "fields": field_rows(specs, record.fields),
        "versions": version_views(record, specs),
        "specs": specs,
    }
