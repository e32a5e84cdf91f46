"""Objections to an omission or to the handling of information (Art. 32 ¶1).

Besides errors in a record (``service.file_objection``), a subject may object that information
which should be there is not (an *omission*, naming the catalogue item), or that its rights
were infringed in how its information was collected, disclosed or used (*handling*, naming the
item or the channel). Such objections are routed by ``rules.objection_handler`` — to the item's
provider when there is exactly one, otherwise to the credit office — and run on the same
deadlines (3 / 5 working days), assistance rule, decisions and escalation as any objection.
They carry no record, so no record is marked or corrected by them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.audit.service import record_event
from xinyong.catalogue.service import require_published_version
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import local_date
from xinyong.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RuleViolation
from xinyong.documents.models import DocumentKind
from xinyong.documents.service import issue_document
from xinyong.handling.outcomes import chosen
from xinyong.objections import repository as repo
from xinyong.objections import rules
from xinyong.objections.access import filed, objection_read, signed_in
from xinyong.objections.models import Objection, ObjectionKind
from xinyong.objections.notices import org_name
from xinyong.objections.schemas import ObjectionRead
from xinyong.subjects.models import Subject
from xinyong.subjects.service import find_by_code, get_subject


def _subject(session: Session, actor: Actor, subject_code: str | None) -> Subject:
    """The subject objects for itself; the credit office's service window names the subject."""
    if actor.role is Role.SUBJECT and actor.subject_id is not None:
        return get_subject(session, actor.subject_id)
    if actor.role is Role.CREDIT_OFFICE:
        found = find_by_code(session, (subject_code or "").strip()) if subject_code else None
        if found is None:
            raise NotFound(
                "请指明信用主体 / name the credit subject the objection is filed for",
                details=[{"field": "subject", "reason": "unknown or missing"}],
            )
        return found
    raise PermissionDenied(
        "只有信用主体本人或服务窗口可以提出异议 / only the credit subject, or the service window "
        "on its behalf, files an objection"
    )


def _source_codes(collection_source: list[dict[str, Any]] | None) -> frozenset[str]:
    codes: set[str] = set()
    for source in collection_source or []:
        codes.update(str(c) for c in source.get("codes") or [])
    return frozenset(codes)


def file_scope_objection(
    session: Session,
    *,
    actor: Actor,
    kind: str,
    reason: str,
    at: datetime,
    item: str | None = None,
    channel: str | None = None,
    subject_code: str | None = None,
    idempotency_key: str | None = None,
    identity_check: str | None = None,
) -> tuple[ObjectionRead, bool]:
    """File an omission or handling objection (Art. 32 ¶1); returns it and whether it is new."""
    signed_in(actor)
    scope = chosen(
        ObjectionKind, kind, among=[ObjectionKind.OMISSION, ObjectionKind.HANDLING],
        name=("异议类别", "kind"), listed=list(ObjectionKind),
    )  # fmt: skip
    subject = _subject(session, actor, subject_code)
    reason = reason.strip()
    item_code = (item or "").strip() or None
    channel = (channel or "").strip() or None
    _check_scope(scope, item_code, channel)
    on_behalf = actor.role is not Role.SUBJECT
    check = (identity_check or "").strip() or None
    if not reason or (on_behalf and check is None):
        missing = "reason" if not reason else "identity_check"
        raise InvalidInput(
            "请说明异议理由；代为提出须记录身份核验方式 / state the reason; on a subject's behalf, "
            "record how its identity was checked",
            details=[{"field": missing, "reason": "required"}],
        )
    providers: frozenset[int] = frozenset()
    if item_code is not None:
        version = require_published_version(session, item_code, at=at)
        if subject.type not in (version.subject_types or []):
            raise RuleViolation(
                f"信息项 {item_code} 不收集 {subject.type} 类主体的信息 / the item {item_code} "
                f"does not cover subjects of type {subject.type}",
                code="item_not_for_subject",
                details=[{"field": "item", "reason": subject.type}],
            )
        providers = repo.item_provider_org_ids(
            session, subject_id=subject.id, item_code=item_code,
            source_codes=_source_codes(version.collection_source),
        )  # fmt: skip
    digest = rules.reason_hash(reason)
    today = local_date(at)
    existing = _existing(session, subject.id, scope, item_code, channel, digest, idempotency_key)
    if existing is not None:
        return objection_read(session, existing, today=today), False
    handler = rules.objection_handler(
        kind=scope.value, record_provider=None, item_providers=providers, channel=channel
    )
    objection = Objection(
        kind=scope,
        record_id=None,
        item_code=item_code,
        channel=channel,
        subject_id=subject.id,
        provider_org_id=handler,
        **filed(
            session, actor, on_behalf=on_behalf, identity_check=check, reason=reason,
            reason_hash=digest, at=at, idempotency_key=idempotency_key,
        ),
    )  # fmt: skip
    session.add(objection)
    session.flush()
    _notify_handler(session, objection, subject.name, at)
    record_event(
        session, actor=actor, tag="objections:objection:file", at=at, object_type="objection",
        object_id=objection.id, subject_id=subject.id,
        after={"kind": scope.value, "item": item_code, "channel": channel,
               "due_on": objection.due_on.isoformat(), "on_behalf": on_behalf,
               "routed_to": handler},
        reason=reason,
    )  # fmt: skip
    session.flush()
    return objection_read(session, objection, today=today), True


def _check_scope(kind: ObjectionKind, item: str | None, channel: str | None) -> None:
    if kind is ObjectionKind.OMISSION and item is None:
        raise InvalidInput(
            "遗漏异议须指明应有的信息项 / an omission objection names the missing item",
            details=[{"field": "item", "reason": "required for an omission"}],
        )
    if kind is ObjectionKind.OMISSION and channel is not None:
        raise InvalidInput(
            "遗漏异议不指明渠道 / an omission objection names an item, not a channel",
            details=[{"field": "channel", "reason": "not for an omission"}],
        )
    if kind is ObjectionKind.HANDLING and item is None and channel is None:
        raise InvalidInput(
            "请指明被不当采集、公开或使用的信息项或渠道 / name the item or the channel whose "
            "collection, disclosure or use you object to",
            details=[{"field": "item", "reason": "item or channel required"}],
        )
    if channel is not None and channel not in rules.HANDLING_CHANNELS:
        raise InvalidInput(
            f"未知渠道 {channel} / unknown channel {channel}",
            details=[{"field": "channel", "reason": " | ".join(rules.HANDLING_CHANNELS)}],
        )


def _existing(
    session: Session,
    subject_id: int,
    kind: ObjectionKind,
    item: str | None,
    channel: str | None,
    digest: str,
    key: str | None,
) -> Objection | None:
    if key is not None:
        found = repo.by_idempotency_key(session, subject_id=subject_id, key=key)
        if found is not None:
            same = (found.kind, found.item_code, found.channel, found.reason_hash)
            if same != (kind, item, channel, digest) or found.record_id is not None:
                raise Conflict(
                    "该幂等键已用于另一项异议 / this idempotency key was used for another "
                    "objection",
                    code="idempotency_key_reused",
                )
            return found
    return repo.same_scope_filing(
        session, subject_id=subject_id, kind=kind.value, item_code=item, channel=channel,
        reason_hash=digest,
    )  # fmt: skip


def _notify_handler(
    session: Session, objection: Objection, subject_name: str, at: datetime
) -> None:
    what_zh, what_en = rules.objection_matter(
        kind=objection.kind.value, record_id=None, item=objection.item_code,
        channel=objection.channel,
    )  # fmt: skip
    due = objection.due_on.isoformat()
    issue_document(
        session,
        kind=DocumentKind.OBJECTION_NOTICE,
        title="信用信息异议受理通知",
        body={
            "paragraphs": [
                f"信用主体{subject_name}对{what_zh}提出异议，请于 {due} 前核查处理并书面告知"
                "（《贵州省社会信用条例》第三十二条）。",
                f"An objection to {what_en} was filed; decide it by {due} (Art. 32).",
            ],
            "facts": [
                ["异议编号 Objection", f"#{objection.id}"],
                ["异议事项 Matter", f"{what_zh} / {what_en}"],
                ["异议理由 Reason", objection.reason],
                ["受理时间 Received", rules.received_on(objection.received_at).isoformat()],
                ["处理期限 Due", due],
            ],
        },
        at=at,
        recipient_org_id=objection.provider_org_id,
        recipient_office=objection.provider_org_id is None,
        recipient_name=org_name(session, objection.provider_org_id),
        object_type="objection",
        object_id=objection.id,
    )
