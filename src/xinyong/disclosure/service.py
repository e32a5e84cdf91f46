"""Disclosure use cases (DIS-1…5; Art. 16–18, 32, 35, 36).

``visible_records`` is the one door through which every channel reads a subject's records:
publicity here, government inquiry, authorized inquiry and self-query in their own contexts.
It loads the head versions in one indexed query, builds a :class:`rules.RecordView` per record
and lets the pure policy decide; publicity answers are then masked (DIS-3).

``compute_and_store_windows`` is called by the records use cases (delivery, amendment) inside
their transaction; it never commits.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from xinyong.catalogue.reference import publicity_rules
from xinyong.core import identifiers as ids
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import local_date
from xinyong.core.errors import NotFound, PermissionDenied
from xinyong.disclosure import items as item_cache
from xinyong.disclosure import masking, search, windows
from xinyong.disclosure import repository as repo
from xinyong.disclosure.items import ItemInfo
from xinyong.disclosure.rules import ITEM_PUBLICITY, Channel, RecordView, Scope, decide
from xinyong.disclosure.schemas import (
    DisclosedRecord,
    PublicSearchRead,
    PublicSubjectBrief,
    PublicSubjectRead,
)
from xinyong.disclosure.tabs import tab_of
from xinyong.records.events import RecordHead
from xinyong.records.models import RecordStatus
from xinyong.subjects.models import Subject
from xinyong.subjects.service import former_names

MIN_NAME_FRAGMENT = search.MIN_NAME_FRAGMENT
MAX_LIMIT = search.MAX_LIMIT
PERSON = "natural_person"

_NOT_FOUND = "未找到该主体的公开信息 / no public information on this subject"


# --- windows ----------------------------------------------------------------------------


class _Classified(Protocol):
    """What a window reads of a record (an ORM record, or a row of ``window_inputs``)."""

    @property
    def polarity(self) -> Any: ...
    @property
    def severity(self) -> Any: ...
    @property
    def decided_on(self) -> date | None: ...


class _Versioned(Protocol):
    @property
    def fields(self) -> dict[str, Any]: ...


class _Catalogued(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def item_version_id(self) -> int | None: ...
    @property
    def item_code(self) -> str: ...


def _window(
    record: _Classified,
    version: _Versioned,
    item: ItemInfo | None,
    provider_code: str | None,
    remembered: windows.Remembered | None = None,
) -> windows.Window:
    """``remembered``: the windows already computed in this call (a bulk delivery computes
    thousands, most of them alike)."""
    compute = remembered or windows.Remembered(publicity_rules())
    inputs = windows.WindowInputs(
        item.disclosure_rule if item is not None else "by_class",
        record.polarity,
        record.severity.value if record.severity else None,
        record.decided_on,
        item.sector_of(provider_code) if item is not None else None,
    )
    return compute(inputs, version.fields)


def _items_for(session: Session, records: Iterable[_Catalogued]) -> dict[int, ItemInfo]:
    """Catalogue version of each record (by record id); published versions from memory."""
    records = list(records)
    wanted = {r.item_version_id for r in records if r.item_version_id}
    by_id, missing = item_cache.cached(session, wanted)
    if missing:
        by_id.update(item_cache.remember(session, repo.item_versions(session, missing).values()))
    unbound = {r.item_code for r in records if r.item_version_id not in by_id}
    by_code = {
        code: ItemInfo.of(v) for code, v in repo.latest_versions_by_code(session, unbound).items()
    }
    found: dict[int, ItemInfo] = {}
    for r in records:
        version = by_id.get(r.item_version_id or -1) or by_code.get(r.item_code)
        if version is not None:
            found[r.id] = version
    return found


def compute_and_store_windows(
    session: Session,
    record_ids: Collection[int],
    *,
    at: datetime,
    heads: Sequence[RecordHead] | None = None,
) -> None:
    """Compute and store the disclosure window of each record at its head version (DIS-4).

    Called by the records use cases in their own transaction after a delivery, an amendment
    or a withdrawal; flushes, never commits. Idempotent. ``heads``: the records' heads as
    just written (a bulk delivery), instead of reading them back.
    """
    if not record_ids:
        return
    rows: Sequence[Any] = heads if heads is not None else repo.window_inputs(session, record_ids)
    items = _items_for(session, rows)
    orgs = repo.organisation_codes(session, {r.provider_org_id for r in rows if r.provider_org_id})
    fresh: list[dict[str, object]] = []
    changed: dict[int, dict[str, object]] = {}
    remembered = windows.Remembered(publicity_rules())
    for row in rows:
        code = orgs.get(row.provider_org_id or -1)
        w = _window(row, row, items.get(row.id), code, remembered)
        values: dict[str, object] = {
            "record_id": row.id,
            "subject_id": row.subject_id,
            "window_ends_on": w.ends_on,
            "publishable": w.publishable,
            "rule_set": w.rule_set,
            "basis": w.basis[:200],
            "version": row.current_version,
            "computed_at": at,
        }
        if row.has_window:
            changed[row.id] = values
        else:
            fresh.append(values)
    for record_id, existing in repo.windows_of(session, list(changed)).items():
        for name, value in changed[record_id].items():
            setattr(existing, name, value)
    # New windows in one multi-row insert: a bulk delivery computes thousands at a time.
    repo.insert_windows(session, fresh)
    session.flush()


# --- the channel-generic read -------------------------------------------------------------


def _authorise(
    channel: Channel, actor: Actor, subject_id: int, items: Collection[str] | None
) -> Scope:
    """Who may read through which channel (DIS-1); returns the scope the policy applies."""
    if channel is Channel.PUBLICITY:
        return Scope()
    if channel is Channel.SELF and actor.subject_id == subject_id:
        return Scope()
    if channel is Channel.AUDIT and actor.role in (Role.AUDITOR, Role.CREDIT_OFFICE):
        return Scope()
    if channel is Channel.GOVERNMENT and actor.role is Role.INQUIRER:
        reach = actor.items
        if items is not None:
            reach = frozenset(items) if reach is None else reach & frozenset(items)
        return Scope(items=reach)
    if channel is Channel.AUTHORIZED and actor.role in (Role.INSTITUTION, Role.INQUIRER):
        return Scope(items=frozenset(items or ()))
    if actor.is_anonymous:
        raise PermissionDenied("请先登录 / log in to use this channel", code="not_authenticated")
    raise PermissionDenied(
        f"无权通过 {channel.value} 渠道查询该主体 / you may not read this subject through the "
        f"{channel.value} channel",
        code="channel_forbidden",
    )


def _person_names(session: Session, subject: Subject) -> list[str]:
    return [subject.name, *(n.name for n in former_names(session, subject.id))]


def visible_records(
    session: Session,
    *,
    channel: Channel,
    subject_id: int,
    actor: Actor,
    at: datetime,
    items: Collection[str] | None = None,
    private_fields: bool = False,
) -> list[DisclosedRecord]:
    """The subject's records ``channel`` is served at ``at``, each with only the fields the
    channel may see and its ``under_objection`` mark (DIS-1…5).

    ``items`` narrows the answer: for ``government`` to the inquiry's items (intersected with
    the account's authority), for ``authorized`` it is the live consent's items (required;
    ``private_fields`` when the consent covers privacy and trade secrets). The caller that
    reads non-public information writes the inquiry log entry (Art. 20); this function reads.
    """
    scope = _authorise(channel, actor, subject_id, items)
    if private_fields and channel is Channel.AUTHORIZED:
        scope = Scope(items=scope.items, private_fields=True)
    today = local_date(at)
    restricted = channel not in (Channel.SELF, Channel.AUDIT)
    rows = repo.head_rows(
        session,
        subject_id,
        publicity=ITEM_PUBLICITY.get(channel) if restricted else None,
        items=scope.items if restricted else None,
        active_only=restricted,
        served_on=today if restricted else None,
    )
    periods = repo.disciplinary_periods(session, subject_id) if any(r.listed for r in rows) else []
    item_of = _items_for(session, (r.record for r in rows))
    provider_codes = _ProviderCodes(session, rows)
    out: list[DisclosedRecord] = []
    for row in rows:
        record = row.record
        item = item_of.get(record.id)
        window = _stored_or_computed(record, row.window, item, provider_codes)
        view = RecordView(
            item_code=record.item_code,
            publicity=record.publicity,
            field_classes=dict(item.classes) if item else {},
            active=record.status is RecordStatus.ACTIVE,
            window=window,
            extended_until=windows.extended_until(window.ends_on, periods),
            under_objection=row.under_objection,
            repaired=row.repaired,
            entry=row.entry,
            under_agreement=record.agreement_id is not None or record.channel.value == "agreement",
        )
        decision = decide(channel, view, on=today, present=frozenset(record.fields), scope=scope)
        if not decision.served:
            continue
        fields = {k: v for k, v in record.fields.items() if k in decision.fields}
        names = item.names if item else {}
        category = item.category if item else ""
        out.append(
            DisclosedRecord(
                id=record.id,
                item=record.item_code,
                item_name=item.name if item else record.item_code,
                category=category,
                tab=tab_of(record.item_code, category, record.polarity),
                polarity=record.polarity,
                severity=record.severity.value if record.severity else None,
                decided_on=record.decided_on,
                document_no=record.document_no,
                status=record.status.value,
                version=record.current_version,
                fields=fields,
                field_names={k: names.get(k, k) for k in fields},
                window_ends_on=view.entry.last_day if view.entry else view.extended_until,
                under_objection=decision.under_objection,
                repaired=view.repaired,
            )
        )
    return out


class _ProviderCodes:
    """Organisation codes of the rows' providers, loaded only if a window must be computed
    on the spot (a stored window missing or stale): the usual read needs none."""

    def __init__(self, session: Session, rows: Iterable[repo.HeadRow]) -> None:
        self._session = session
        self._ids = {r.record.provider_org_id for r in rows if r.record.provider_org_id}
        self._codes: dict[int, str] | None = None

    def get(self, org_id: int | None) -> str | None:
        if org_id is None:
            return None
        if self._codes is None:
            self._codes = repo.organisation_codes(self._session, self._ids)
        return self._codes.get(org_id)


def _stored_or_computed(
    record: repo.HeadRecord,
    stored: repo.StoredWindow | None,
    item: ItemInfo | None,
    orgs: _ProviderCodes,
) -> windows.Window:
    # The stored window is a cache of a pure function: trust it only for the head version.
    if stored is not None and stored.version == record.current_version:
        return windows.Window(
            stored.window_ends_on, stored.publishable, stored.rule_set, stored.basis
        )
    return _window(record, record, item, orgs.get(record.provider_org_id))


# --- publicity ----------------------------------------------------------------------------


def _brief(subject: Subject) -> PublicSubjectBrief:
    code, name = masking.mask_subject(type_=subject.type, code=subject.code, name=subject.name)
    return PublicSubjectBrief(code=code, name=name, type=subject.type)


def _masked(record: DisclosedRecord, names: list[str]) -> DisclosedRecord:
    return record.model_copy(
        update={
            "fields": masking.mask_value(record.fields, names=names),
            "document_no": masking.mask_value(record.document_no, names=names),
        }
    )


def _public_records(session: Session, subject: Subject, at: datetime) -> list[DisclosedRecord]:
    records = visible_records(
        session, channel=Channel.PUBLICITY, subject_id=subject.id, actor=_PUBLIC, at=at
    )
    # Names to mask: the person's own, and those of persons whose identity numbers appear
    # in the served text (e.g. "员工张三（身份证号…）" in a company's penalty facts).
    names = _person_names(session, subject) if subject.type == PERSON else []
    mentioned = masking.identity_numbers_in([[r.fields, r.document_no] for r in records])
    if not mentioned and not names:
        # Nothing to mask: masking hides valid identity numbers (none was found in this
        # text, by the same patterns) and the names given (none).
        return records
    names += repo.person_names(session, mentioned)
    return [_masked(r, names) for r in records]


def public_search(
    session: Session, *, q: str, at: datetime, limit: int = 20, page: int = 1
) -> PublicSearchRead:
    """Publicity search (DIS-1, DIS-2): an exact code, or a name fragment of 2+ characters.

    Natural persons are found only by their full identity number, and only while at least
    one of their records is served in publicity: the public can neither browse persons by
    name nor learn whether someone merely has records on the platform (Art. 18; DIS-3).
    """

    def by_code(code: str) -> PublicSubjectBrief | None:
        subject = repo.subject_by_code(session, code)
        if subject is None or (
            subject.type == PERSON and not _public_records(session, subject, at)
        ):
            return None
        return _brief(subject)

    def by_name(key: str, limit: int, offset: int) -> list[PublicSubjectBrief]:
        return [
            _brief(s) for s in repo.organisations_by_name(session, key, limit=limit, offset=offset)
        ]

    return search.public_search(q, limit=limit, page=page, by_code=by_code, by_name=by_name)


def public_subject(session: Session, *, code: str, at: datetime) -> PublicSubjectRead:
    """A subject's publicity page (DIS-1…5): only ``public`` items inside their windows, only
    public fields, masked, each record with its ``under_objection`` mark. A natural person
    without any record served in publicity answers 404, as an unknown code does."""
    subject = repo.subject_by_code(session, ids.normalize_identifier(code))
    if subject is None:
        raise NotFound(_NOT_FOUND, code="subject_not_found")
    records = _public_records(session, subject, at)
    if subject.type == PERSON and not records:
        raise NotFound(_NOT_FOUND, code="subject_not_found")
    return PublicSubjectRead(subject=_brief(subject), records=records, lists=[])


_PUBLIC = Actor(role=Role.PUBLIC)


def scrub(value: Any) -> Any:
    """Mask identity numbers inside any value shown to the public (e.g. an echoed query)."""
    return masking.mask_value(value)
