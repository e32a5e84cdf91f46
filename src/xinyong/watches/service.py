"""Watching subjects (关注): an inquirer's organisation, or an institution under the subject's
consent, follows a subject; each change of the subject's information it may see reaches its
inbox (a ``watch_change`` document) and its webhooks. The subject sees who watches it, as it
sees who looked (Art. 31). Services flush; the caller commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinyong.audit.service import record_event
from xinyong.core.actor import Actor, Role
from xinyong.core.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    RuleViolation,
)
from xinyong.core.identifiers import normalize_identifier
from xinyong.documents.models import DocumentKind
from xinyong.documents.service import issue_document
from xinyong.feed import rules as feed_rules
from xinyong.feed.consumers import take_changes
from xinyong.feed.models import ChangeEvent, DeliveryStatus, WebhookDelivery, WebhookSubscription
from xinyong.inquiry.consents import consented_items
from xinyong.subjects.service import find_by_code
from xinyong.watches.models import Watch

CONSUMER = "watches"
WATCHERS = frozenset({Role.INQUIRER, Role.INSTITUTION})


class WatchLimitReached(RuleViolation, code="too_many_watches"): ...


class AlreadyWatched(Conflict, code="already_watched"): ...


class NoConsent(PermissionDenied, code="no_consent"): ...


def _watcher(actor: Actor) -> int:
    if actor.is_anonymous:
        raise NotAuthenticated("请先登录 / log in first")
    if actor.role not in WATCHERS or actor.org_id is None:
        raise PermissionDenied(
            "仅查询机关和信用服务机构可关注主体 / only inquiring organs and credit service "
            "institutions watch subjects"
        )
    return actor.org_id


def watch_read(w: Watch) -> dict[str, Any]:
    return {
        "id": w.id, "subject": w.subject_code, "subject_name": w.subject_name,
        "organisation": w.org_name, "created_at": w.created_at, "ended_at": w.ended_at,
    }  # fmt: skip


def _active(session: Session, **where: Any) -> list[Watch]:
    stmt = select(Watch).filter_by(**where).where(Watch.ended_at.is_(None)).order_by(Watch.id)
    return list(session.scalars(stmt))


def add_watch(
    session: Session, *, actor: Actor, subject_code: str, at: datetime, limit: int
) -> Watch:
    """Watch a subject: 404 unknown subject, 403 ``no_consent`` for an institution without a
    live consent of the subject, 409 ``already_watched``, 422 ``too_many_watches``."""
    org_id = _watcher(actor)
    code = normalize_identifier(subject_code or "")[:64]
    subject = find_by_code(session, code) if code else None
    if subject is None:
        raise NotFound(f"没有主体 {subject_code} / no subject {subject_code}")
    if actor.role is Role.INSTITUTION and not consented_items(
        session, subject_id=subject.id, org_id=org_id, at=at
    ):
        raise NoConsent(
            "该主体未授权本机构查询，不能关注 / the subject has given your institution no live "
            "consent, so it cannot be watched (Art. 16)"
        )
    if _active(session, org_id=org_id, subject_id=subject.id):
        raise AlreadyWatched(f"已关注 {subject.code} / {subject.code} is already watched")
    count = session.scalar(
        select(func.count())
        .select_from(Watch)
        .where(Watch.org_id == org_id, Watch.ended_at.is_(None))
    )
    if (count or 0) >= limit:
        raise WatchLimitReached(f"每个单位最多关注 {limit} 个主体 / at most {limit} watches")
    watch = Watch(
        org_id=org_id, org_name=actor.org_name or "", user_id=actor.user_id,
        user_name=actor.display_name, role=actor.role.value,
        authority_items=sorted(actor.items) if actor.items is not None else None,
        subject_id=subject.id, subject_code=subject.code, subject_name=subject.name,
        created_at=at,
    )  # fmt: skip
    session.add(watch)
    session.flush()
    record_event(
        session, actor=actor, tag="watches:watch:create", at=at, object_type="watch",
        object_id=watch.id, subject_id=subject.id, after={"subject": subject.code},
    )  # fmt: skip
    return watch


def list_watches(session: Session, *, actor: Actor) -> list[Watch]:
    return _active(session, org_id=_watcher(actor))


def end_watch(session: Session, *, actor: Actor, watch_id: int, at: datetime) -> None:
    org_id = _watcher(actor)
    watch = session.get(Watch, watch_id)
    if watch is None or watch.org_id != org_id or watch.ended_at is not None:
        raise NotFound(f"没有关注 {watch_id} / no watch {watch_id}")
    watch.ended_at = at
    record_event(
        session, actor=actor, tag="watches:watch:end", at=at, object_type="watch",
        object_id=watch.id, subject_id=watch.subject_id, after={"ended_at": at.isoformat()},
    )  # fmt: skip


def my_watchers(session: Session, *, actor: Actor) -> list[Watch]:
    """Who watches the actor's subject (Art. 31: the subject sees who follows it)."""
    if actor.is_anonymous:
        raise NotAuthenticated("请先登录 / log in first")
    if actor.role is not Role.SUBJECT:
        raise PermissionDenied("仅信用主体账号 / credit subject accounts only")
    if actor.subject_id is None:
        return []
    stmt = select(Watch).where(Watch.subject_id == actor.subject_id).order_by(Watch.id.desc())
    return list(session.scalars(stmt))


def _may_see(session: Session, watch: Watch, change: ChangeEvent, at: datetime) -> bool:
    if watch.role == Role.INSTITUTION.value:
        items = consented_items(session, subject_id=watch.subject_id, org_id=watch.org_id, at=at)
        return change.item_code in items
    return watch.authority_items is None or change.item_code in watch.authority_items


def _to_webhooks(session: Session, watch: Watch, change: ChangeEvent, at: datetime) -> None:
    """Queue the change to the watcher's webhooks that would not carry it anyway."""
    subs: Sequence[WebhookSubscription] = session.scalars(
        select(WebhookSubscription).where(
            WebhookSubscription.org_id == watch.org_id, WebhookSubscription.active.is_(True)
        )
    ).all()
    for sub in subs:
        if feed_rules.may_see(
            role=sub.owner_role, org_id=sub.org_id, authority_items=sub.authority_items,
            change_org_id=change.provider_org_id, change_item=change.item_code,
        ):  # fmt: skip
            continue
        session.add(
            WebhookDelivery(
                subscription_id=sub.id,
                change_id=change.id,
                attempt=0,
                status=DeliveryStatus.PENDING,
                next_attempt_at=at,
                created_at=at,
            )
        )


def notify_watchers(session: Session, *, at: datetime, limit: int = 1000) -> int:
    """One pass over the feed: each change of a watched subject the watcher may see becomes a
    ``watch_change`` document in its inbox and reaches its webhooks. Returns notices issued."""
    issued = 0
    for change in take_changes(session, name=CONSUMER, limit=limit):
        for watch in _active(session, subject_id=change.subject_id):
            if not _may_see(session, watch, change, at):
                continue
            body = {
                "watched_subject": watch.subject_code, "watch_id": watch.id,
                "record_id": change.record_id, "change": change.kind,
                "paragraphs": [
                    f"您关注的主体 {watch.subject_name}（{watch.subject_code}）的信用信息发生变动。"
                    " The information of a subject you watch has changed.",
                ],
                "facts": [
                    ["主体 Subject", f"{watch.subject_name} {watch.subject_code}"],
                    ["信息项 Item", change.item_code], ["记录 Record", str(change.record_id)],
                    ["变动 Change", f"{change.kind} v{change.version}"],
                ],
            }  # fmt: skip
            issue_document(
                session, kind=DocumentKind.WATCH_CHANGE,
                title=f"关注主体信息变动 Watched subject changed: {watch.subject_code}",
                body=body, at=at, recipient_org_id=watch.org_id, recipient_name=watch.org_name,
                object_type="watch", object_id=watch.id,
            )  # fmt: skip
            _to_webhooks(session, watch, change, at)
            issued += 1
    session.flush()
    return issued


def check_subject_field(value: str) -> str:
    if not value or not value.strip():
        raise InvalidInput("请填写主体代码 / give the subject's code", code="invalid_subject")
    return value
