"""The public channel served from the publication store (issue 15; DIS-1…3, Art. 17–18).

Same questions, same answers, same errors as ``disclosure.service.public_search`` and
``public_subject`` — but read from the store, so the public server needs no core database.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from xinyong.audit import service as audit_service
from xinyong.catalogue import service as catalogue_service
from xinyong.catalogue.models import Tier, VersionStatus
from xinyong.catalogue.schemas import ItemDetailRead, ItemRead
from xinyong.core import identifiers as ids
from xinyong.core.errors import InvalidInput, NotFound
from xinyong.core.rows import from_row
from xinyong.disclosure import search
from xinyong.disclosure.schemas import PublicSearchRead, PublicSubjectBrief, PublicSubjectRead
from xinyong.publication import reads
from xinyong.publication.schemas import (
    ListKind,
    OpenDataFile,
    OpenDataIndex,
    PublicDecision,
    PublicListEntry,
    PublicLists,
)
from xinyong.reports import rules as report_rules
from xinyong.reports import service as report_service

MIN_NAME_FRAGMENT = search.MIN_NAME_FRAGMENT
MAX_LIMIT = search.MAX_LIMIT
_NOT_FOUND = "未找到该主体的公开信息 / no public information on this subject"
ITEM_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def public_subject_json(source: Session | reads.SubjectLookup, *, code: str) -> str:
    """The stored answer of ``GET /public/subjects/{code}``, as the API sends it, read in a
    session or by a :class:`~xinyong.publication.reads.SubjectReader`."""
    normalised = ids.normalize_identifier(code)
    row = reads.subject(source, normalised) if isinstance(source, Session) else source(normalised)
    if row is None:
        zh, _, en = _NOT_FOUND.partition(" / ")
        raise NotFound(ids.not_found_message(zh, en, code), code="subject_not_found")
    return row[2]


def public_subject(session: Session, *, code: str) -> PublicSubjectRead:
    return PublicSubjectRead.model_validate_json(public_subject_json(session, code=code))


def _finders(
    source: Session | reads.SubjectReader, kept: Callable[[str], PublicSubjectBrief]
) -> tuple[
    Callable[[str], PublicSubjectBrief | None],
    Callable[[str, int, int], list[PublicSubjectBrief]],
]:
    """The search's two reads of the store, in a session or by the reader; ``kept`` turns a
    stored brief (JSON) into what the search holds."""

    def by_code(code: str) -> PublicSubjectBrief | None:
        row = reads.subject(source, code) if isinstance(source, Session) else source(code)
        return None if row is None else kept(row[1])

    def by_name(key: str, limit: int, offset: int) -> list[PublicSubjectBrief]:
        briefs = (
            reads.search_names(source, key, limit=limit, offset=offset)
            if isinstance(source, Session)
            else source.names(key, limit=limit, offset=offset)
        )
        return [kept(b) for b in briefs]

    return by_code, by_name


def public_search(
    source: Session | reads.SubjectReader, *, q: str, limit: int = 20, page: int = 1
) -> PublicSearchRead:
    """By exact code (a person only while something of theirs is public) or a name fragment of
    two or more characters (organisations only; DIS-3); read in a session or by the reader."""
    by_code, by_name = _finders(source, PublicSubjectBrief.model_validate_json)
    return search.public_search(q, limit=limit, page=page, by_code=by_code, by_name=by_name)


#: Stands for a stored brief while the search's rules run: the briefs were checked against
#: their model when published, so the answer splices their stored JSON instead.
_STANDS_IN = PublicSubjectBrief.model_construct(code="", name="", type="")
_ITEMS_FIRST = '{"items":[]'


def public_search_json(
    source: Session | reads.SubjectReader, *, q: str, limit: int = 20, page: int = 1
) -> str:
    """:func:`public_search` as the API sends it: the same rules and answer, with the stored
    briefs written as stored rather than parsed into models and serialised again (the public
    server's name search, issue 16 item 1)."""
    held: list[str] = []

    def kept(brief: str) -> PublicSubjectBrief:
        held.append(brief)
        return _STANDS_IN

    by_code, by_name = _finders(source, kept)
    found = search.public_search(q, limit=limit, page=page, by_code=by_code, by_name=by_name)
    rest = found.model_copy(update={"items": []}).model_dump_json()
    if not rest.startswith(_ITEMS_FIRST):  # the model's first field is its items
        raise RuntimeError("PublicSearchRead no longer starts with its items")
    items = ",".join(held[: len(found.items)])
    return '{"items":[' + items + "]" + rest[len(_ITEMS_FIRST) :]


def open_data_index(session: Session) -> OpenDataIndex:
    """``GET /public/open-data``: every file with its record count and SHA-256."""
    return OpenDataIndex(
        items=[
            from_row(
                OpenDataFile,
                f,
                date=f.day,
                url=f"/api/v1/public/open-data/{f.item}/{f.day.isoformat()}.{f.format}",
                checkpoint=json.loads(f.checkpoint) if f.checkpoint else None,
            )
            for f in reads.open_data_index(session)
        ]
    )


def open_data_file(session: Session, *, item: str, day: str, fmt: str) -> tuple[str, str]:
    """``(content, sha256)`` of one file; unknown item, day or format → 404."""
    try:
        when = date.fromisoformat(day)
    except ValueError:
        raise InvalidInput(
            "日期格式应为 YYYY-MM-DD / the date must be YYYY-MM-DD",
            details=[{"field": "date", "reason": "YYYY-MM-DD"}],
        ) from None
    found = None
    if len(item) <= 64 and set(item) <= ITEM_CHARS:
        found = reads.open_data_file(session, item, when, fmt)
    if found is None:
        raise NotFound(
            "没有这一天该事项的开放数据 / no open-data file for this item and day",
            code="open_data_not_found",
        )
    return found.content, found.sha256


# --- the public lists and the latest double-publicity decisions (issue 14 item 7) -------------

LIST_KINDS: tuple[ListKind, ...] = ("serious_dishonesty", "red_list")
#: Where each list's record keeps (until, organ, basis, document number, title).
_LIST_FIELDS = {
    "serious_dishonesty": ("YZ_YXQZ", "YZ_RDJG", "YZ_LRYJ", "YZ_RDWH", "YZ_LRSY"),
    "red_list": ("HM_YXQZ", "HM_RDJG", "HM_RDYJ", "HM_RDWH", "HM_MC"),
}
#: Double publicity (双公示): administrative licensing and administrative penalties.
DOUBLE_PUBLICITY = ("admin_licensing", "admin_penalty")
#: Where each decision keeps (document number, authority, summary).
_DECISION_FIELDS = {
    "admin_licensing": ("XK_WSH", "XK_XKJG", "XK_NR"),
    "admin_penalty": ("CF_WSH", "CF_CFJG", "CF_WFXW"),
}
LIST_SORTS = ("decided_on", "subject", "kind", "until")


def _text(fields: dict[str, Any], code: str) -> str | None:
    value = fields.get(code)
    return None if value is None or str(value).strip() == "" else str(value)


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _list_entry(body: str) -> PublicListEntry:
    doc = json.loads(body)
    fields: dict[str, Any] = doc.get("fields") or {}
    until, organ, basis, number, title = _LIST_FIELDS[doc["item"]]
    return PublicListEntry(
        kind=doc["item"], record_id=doc["id"], subject=doc["subject"],
        decided_on=doc["decided_on"],
        until=_day(fields.get(until)) or _day(doc.get("window_ends_on")),
        organ=_text(fields, organ), basis=_text(fields, basis),
        document_no=_text(fields, number) or doc.get("document_no"), title=_text(fields, title),
    )  # fmt: skip


def _list_key(sort: str) -> Any:
    if sort == "subject":
        return lambda e: (e.subject.name, e.record_id)
    if sort == "kind":
        return lambda e: (LIST_KINDS.index(e.kind), e.decided_on, e.record_id)
    if sort == "until":
        return lambda e: (e.until or date.max, e.record_id)
    return lambda e: (e.decided_on, e.record_id)


def public_lists(
    session: Session, *, kind: str | None = None, sort: str = "decided_on", descending: bool = True
) -> PublicLists:
    """The serious-dishonesty list and the red list in force (``GET /public/lists``): the
    entries whose records the public is served now, from the store (Art. 22, 25, 27)."""
    if kind is not None and kind not in LIST_KINDS:
        raise InvalidInput(
            "名单类型无效 / kind must be serious_dishonesty or red_list",
            details=[{"field": "kind", "reason": "serious_dishonesty | red_list"}],
        )
    if sort not in LIST_SORTS:
        raise InvalidInput(
            "排序字段无效 / unknown sort key",
            details=[{"field": "sort", "reason": " | ".join(LIST_SORTS)}],
        )
    rows = reads.records_of_items(session, [kind] if kind else LIST_KINDS)
    entries = [_list_entry(body) for _, _, _, body in rows]
    entries.sort(key=_list_key(sort), reverse=descending)
    return PublicLists(items=entries)


def _decision(body: str) -> PublicDecision:
    doc = json.loads(body)
    fields: dict[str, Any] = doc.get("fields") or {}
    number, authority, summary = _DECISION_FIELDS[doc["item"]]
    return PublicDecision(
        item=doc["item"], record_id=doc["id"], subject=doc["subject"],
        decided_on=doc["decided_on"],
        document_no=_text(fields, number) or doc.get("document_no"),
        authority=_text(fields, authority), summary=_text(fields, summary),
    )  # fmt: skip


def latest_decisions(session: Session, *, limit: int = 10) -> dict[str, list[PublicDecision]]:
    """The newest public administrative licensing and penalty decisions (双公示), ``limit``
    of each, newest decision day first."""
    return {
        item: [_decision(b) for b in reads.latest_records(session, item, limit=limit)]
        for item in DOUBLE_PUBLICITY
    }


def report_verification_json(session: Session, *, number: str) -> str:
    """``GET /reports/{number}`` on the public server: the stored answer, or the core's own
    404 (``report_not_found``)."""
    normalised = report_rules.normalise_number(number)
    body = reads.report(session, normalised) if normalised else None
    if body is None:
        raise report_service.report_not_found()
    return body


def catalogue_items(
    session: Session,
    *,
    status: VersionStatus | None = None,
    tier: Tier | None = None,
    sort: str = "code",
    descending: bool = False,
) -> list[ItemRead]:
    """``GET /catalogue/items`` on the public server: the items in force when last published
    (default), or each item's latest version with ``status``, in the core's order."""
    catalogue_service.check_sort(sort)
    items: list[ItemRead] = []
    for held_tier, body in reads.catalogue(session):
        if tier is not None and held_tier != tier.value:
            continue
        detail = ItemDetailRead.model_validate_json(body)
        if status is None:
            item = detail.current
        else:
            item = catalogue_service.latest_with_status(detail, status)
        if item is not None:
            items.append(item)
    return catalogue_service.sort_items(items, sort=sort, descending=descending)


def catalogue_item_json(session: Session, *, code: str) -> str:
    """``GET /catalogue/items/{code}`` on the public server: the stored answer, or the core's
    own 404."""
    body = reads.catalogue_item(session, code)
    if body is None:
        raise catalogue_service.item_not_found(code)
    return body


def catalogue_item(session: Session, *, code: str) -> ItemDetailRead:
    return ItemDetailRead.model_validate_json(catalogue_item_json(session, code=code))


def checkpoint_json(session: Session) -> str:
    """``GET /audit/checkpoint`` on the public server: the latest signed checkpoint the store
    holds, or the core's own 404 (``no_checkpoint``)."""
    body = reads.checkpoint(session)
    if body is None:
        raise audit_service.no_checkpoint()
    return body
