"""The red list of typical trustworthy subjects (Art. 22; MEA-4): adopted by the credit office,
published as a ``red_list`` record, and pushed to the departments that subscribe to it.

The push has two channels: the record's change on the feed reaches every webhook subscription
that covers ``red_list`` (signed, retried — the feed context), and each subscribing department
also gets a written notice in its inbox, because Art. 22 asks the departments to *implement*
joint incentives, which a machine-readable change alone does not ask of anyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.audit.service import record_event
from xinyong.core import identifiers as ids
from xinyong.core.actor import Actor
from xinyong.core.clock import local_date
from xinyong.core.errors import Conflict, InvalidInput, NotFound
from xinyong.feed.models import WebhookSubscription
from xinyong.lists import access, notices, publishing
from xinyong.lists import repository as repo
from xinyong.lists.models import RedListEntry
from xinyong.lists.schemas import RedList, RedListCreate, RedListRead
from xinyong.marks.service import MarkKind, put_mark
from xinyong.subjects.service import find_by_code, get_subject

ITEM = "red_list"


def subscribed_org_ids(session: Session, item_code: str = ITEM) -> list[int]:
    """Organisations with an active webhook subscription that covers ``item_code`` and whose
    authority includes it. (Until the feed context offers this query.)"""
    subs: Sequence[WebhookSubscription] = session.scalars(
        select(WebhookSubscription).where(WebhookSubscription.active.is_(True))
    ).all()
    wanted = {
        s.org_id
        for s in subs
        if (s.item_codes is None or item_code in s.item_codes)
        and (s.authority_items is None or item_code in s.authority_items)
    }
    return sorted(wanted)


def _publish(session: Session, entry: RedListEntry, *, actor: Actor, at: datetime) -> list[str]:
    subject = get_subject(session, entry.subject_id)
    # Commits the record first (idempotent on ``red-list-<id>``), see lists.publishing.
    entry.record_id = publishing.deliver_red_list_record(
        session, actor=actor, entry=entry, subject=subject, at=at
    )
    entry.published_at = at
    put_mark(
        session,
        record_id=entry.record_id,
        subject_id=entry.subject_id,
        kind=MarkKind.RED_LIST_ENTRY,
        source_type="red_list_entry",
        source_id=entry.id,
        at=at,
        starts_on=entry.adopted_on,
        ends_on=entry.valid_until,
    )
    numbers = []
    for org_id in subscribed_org_ids(session):
        number = notices.issue(
            session,
            kind=notices.RED_LIST_NOTICE,
            title="守信激励对象推送通知",
            body=notices.red_list_body(entry, subject_name=subject.name, subject_code=subject.code),
            at=at,
            actor=actor,
            object_type="red_list_entry",
            object_id=entry.id,
            org_id=org_id,
        )
        if number:
            numbers.append(number)
    return numbers


def adopt_red_list_entry(
    session: Session, *, actor: Actor, data: RedListCreate, at: datetime
) -> RedListRead:
    """Adopt a typical trustworthy subject (and, by default, publish and push it at once)."""
    access.require_role(actor, access.OFFICE, "认定守信激励对象")
    subject = find_by_code(session, data.subject)
    if subject is None:
        raise InvalidInput(
            ids.not_found_message(
                f"主体 {data.subject} 不在主体库中", f"no subject {data.subject}", data.subject
            ),
            code="unknown_subject",
            details=[{"field": "subject", "reason": "unknown subject"}],
        )
    today = local_date(at)
    adopted_on = data.adopted_on or today
    problems = []
    if adopted_on > today:
        problems.append({"field": "adopted_on", "reason": "in the future"})
    if data.valid_until is not None and data.valid_until < adopted_on:
        problems.append({"field": "valid_until", "reason": "before adoption"})
    if problems:
        raise InvalidInput("红名单认定信息有误 / the red list entry is invalid", details=problems)
    # The adopting organ is the account's own organisation, never the request's (Art. 22, 26).
    organ = access.own_organ(
        session, actor, claimed_uscc=data.adopted_by_uscc, field="adopted_by_uscc"
    )
    entry = RedListEntry(
        subject_id=subject.id,
        title=data.title.strip(),
        adopted_by_org_id=organ.id,
        adopted_by_name=organ.name,
        adopted_by_uscc=organ.uscc,
        basis=data.basis.strip(),
        reason=data.reason.strip(),
        adopted_on=adopted_on,
        valid_until=data.valid_until,
        created_at=at,
    )
    session.add(entry)
    session.flush()
    pushed = _publish(session, entry, actor=actor, at=at) if data.publish else []
    adopted = {"title": entry.title, "published": data.publish, "pushed": pushed}
    return _audited_read(session, actor, entry, "adopt", at, after=adopted)


def publish_red_list_entry(
    session: Session, *, actor: Actor, entry_id: int, at: datetime
) -> RedListRead:
    """Publish an adopted entry and push it to the subscribed departments (Art. 22)."""
    access.require_role(actor, access.OFFICE, "公示守信激励对象")
    entry = repo.get_red_list_entry(session, entry_id)
    if entry is None:
        raise NotFound(f"没有红名单条目 {entry_id} / no red list entry {entry_id}")
    if entry.published_at is not None:
        raise Conflict("该条目已公示 / the entry is already published", code="already_published")
    pushed = _publish(session, entry, actor=actor, at=at)
    published = {"record_id": entry.record_id, "pushed": pushed}
    return _audited_read(session, actor, entry, "publish", at, after=published)


def _audited_read(
    session: Session,
    actor: Actor,
    entry: RedListEntry,
    action: str,
    at: datetime,
    *,
    after: dict[str, Any],
) -> RedListRead:
    """Audit ``lists:red_list:<action>`` on ``entry`` and answer with the entry as it stands."""
    record_event(
        session,
        actor=actor,
        tag=f"lists:red_list:{action}",
        at=at,
        object_type="red_list_entry",
        object_id=entry.id,
        subject_id=entry.subject_id,
        after=after,
    )
    session.flush()
    return access.red_list_read(session, entry, today=local_date(at))


def public_red_list(session: Session, *, at: datetime, all_entries: bool = False) -> RedList:
    """The published red list in force (anyone); the credit office may ask for every entry."""
    today = local_date(at)
    rows = [
        access.red_list_read(session, e, today=today)
        for e in repo.red_list(session, published_only=not all_entries)
    ]
    if not all_entries:
        rows = [r for r in rows if r.in_force]
    return RedList(items=rows)
