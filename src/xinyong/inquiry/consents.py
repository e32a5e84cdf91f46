"""Consents to authorized inquiry (Art. 16, 38; DIS-1, CSI-2).

A subject grants one credit service institution access to named catalogue items, for one
published purpose, until a date at most :data:`rules.MAX_CONSENT_DAYS` ahead; it can revoke it
at any time, and revocation takes effect at once (the next authorized inquiry is refused).

Art. 38 forbids making a consent a condition of another service. A consent therefore records
its purpose, and the subject affirms ``not_a_condition_of_service`` when granting it: the web
form makes them tick it, an API request affirms it by default and is refused if it says
``false``. Grantees are credit service institutions only: state organs reach information through
the government channel, within their own authority, without anyone's consent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.accounts.rules import OrgKind
from xinyong.audit.service import record_row_event
from xinyong.catalogue import service as catalogue
from xinyong.core.actor import Actor, Role
from xinyong.core.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    RuleViolation,
)
from xinyong.core.rows import from_row
from xinyong.inquiry import repository as repo
from xinyong.inquiry import rules
from xinyong.inquiry.models import Consent
from xinyong.inquiry.purposes import purposes_in_force
from xinyong.inquiry.schemas import ConsentCreate, ConsentList, ConsentRead
from xinyong.subjects.service import find_by_code

#: Item publicity attributes an authorized inquiry can serve (DIS-1): never ``shared``.
GRANTABLE_PUBLICITY = frozenset({"public", "authorized"})


def own_subject_id(session: Session, actor: Actor) -> int | None:
    """The register id of a ``subject`` account's subject (``None``: not registered yet);
    403 for any other role."""
    if actor.is_anonymous:
        raise NotAuthenticated("请先登录 / log in first")
    if actor.role is not Role.SUBJECT:
        raise PermissionDenied(
            "仅信用主体账号可使用此功能 / only credit subject accounts can do this"
        )
    if actor.subject_id is not None:
        return actor.subject_id
    subject = find_by_code(session, actor.subject_code or "")
    return subject.id if subject is not None else None


def consent_status(consent: Consent, at: datetime) -> str:
    if consent.revoked_at is not None and consent.revoked_at <= at:
        return "revoked"
    live = rules.consent_live(
        granted_at=consent.granted_at,
        expires_at=consent.expires_at,
        revoked_at=consent.revoked_at,
        at=at,
    )
    return "live" if live else "expired"


def consent_read(consent: Consent, at: datetime) -> ConsentRead:
    return from_row(
        ConsentRead,
        consent,
        grantee=consent.grantee_code,
        items=list(consent.items),
        status=consent_status(consent, at),
    )


def grantable_items(session: Session, *, at: datetime) -> list[tuple[str, str]]:
    """(code, name) of the published items a consent can name, by code (DIS-1)."""
    return sorted(
        (v.item.code, v.name)
        for v in catalogue.published_items(session, at=at)
        if v.publicity.value in GRANTABLE_PUBLICITY
    )


def _require_subject(session: Session, actor: Actor) -> int:
    subject_id = own_subject_id(session, actor)
    if subject_id is None:
        raise RuleViolation(
            "您的主体尚未登记在平台上 / your subject is not yet in the platform's register",
            code="subject_not_registered",
        )
    return subject_id


def grant_consent(
    session: Session, *, actor: Actor, data: ConsentCreate, at: datetime
) -> ConsentRead:
    """A subject consents to an institution's authorized inquiry (Art. 16, 38); audited."""
    subject_id = _require_subject(session, actor)
    grantee = repo.organisation_by_code(session, data.grantee.strip())
    if grantee is None or grantee.kind is not OrgKind.INSTITUTION:
        raise InvalidInput(
            f"{data.grantee} 不是平台上的信用服务机构 / {data.grantee} is not a credit service "
            "institution on the platform",
            code="unknown_grantee",
            details=[{"field": "grantee", "reason": "not a credit service institution"}],
        )
    grantable = {code for code, _ in grantable_items(session, at=at)}
    items = sorted(set(data.items))
    problems = rules.consent_problems(
        items=items,
        purpose=data.purpose,
        expires_at=data.expires_at,
        at=at,
        not_a_condition_of_service=data.not_a_condition_of_service,
        grantable=grantable,
        in_force=purposes_in_force(session),
    )
    if problems:
        raise InvalidInput(
            "授权内容有误：" + "；".join(r for _, r in problems),
            code="invalid_consent",
            details=[{"field": f, "reason": r} for f, r in problems],
        )
    consent = repo.add_consent(
        session,
        Consent(
            subject_id=subject_id,
            grantee_org_id=grantee.id,
            grantee_code=grantee.code,
            grantee_name=grantee.name,
            items=items,
            purpose=data.purpose,
            private_fields=data.private_fields,
            not_a_condition_of_service=True,
            granted_at=at,
            expires_at=data.expires_at,
            revoked_at=None,
            granted_by_user_id=actor.user_id,
            granted_by_name=actor.display_name,
        ),
    )
    return _audited(session, consent, actor=actor, action="grant", at=at)


def revoke_consent(session: Session, *, actor: Actor, consent_id: int, at: datetime) -> ConsentRead:
    """The subject withdraws a consent (Art. 38); effective at once; audited. Only the
    consent's own subject may; anyone else gets 404, as if it did not exist."""
    subject_id = _require_subject(session, actor)
    consent = repo.consent_by_id(session, consent_id)
    if consent is None or consent.subject_id != subject_id:
        raise NotFound(
            f"授权 {consent_id} 不存在 / no consent {consent_id}", code="consent_not_found"
        )
    if consent.revoked_at is not None:
        raise Conflict("该授权已撤回 / this consent is already revoked", code="consent_revoked")
    before = consent_read(consent, at).model_dump(mode="json")
    consent.revoked_at = at
    session.flush()
    return _audited(session, consent, actor=actor, action="revoke", at=at, before=before)


def _audited(
    session: Session,
    consent: Consent,
    *,
    actor: Actor,
    action: str,
    at: datetime,
    before: dict[str, Any] | None = None,
) -> ConsentRead:
    """Audit ``inquiry:consent:{action}`` with the consent as it now reads."""
    read = consent_read(consent, at)
    record_row_event(
        session,
        consent,
        actor=actor,
        tag=f"inquiry:consent:{action}",
        at=at,
        subject_id=consent.subject_id,
        before=before,
        after=read.model_dump(mode="json"),
    )
    session.flush()
    return read


def my_consents(session: Session, *, actor: Actor, at: datetime) -> ConsentList:
    """The subject's consents, newest first, each with its status at ``at``."""
    subject_id = own_subject_id(session, actor)
    if subject_id is None:
        return ConsentList(items=[])
    return ConsentList(
        items=[consent_read(c, at) for c in repo.consents_of_subject(session, subject_id)]
    )


def consented_items(session: Session, *, subject_id: int, org_id: int, at: datetime) -> set[str]:
    """The items the subject's live consents to the organisation cover, whatever their
    purpose (empty: no live consent) — what an institution may follow about it (Art. 16)."""
    rows = session.scalars(
        select(Consent).where(
            Consent.subject_id == subject_id,
            Consent.grantee_org_id == org_id,
            Consent.expires_at > at,
            Consent.revoked_at.is_(None),
        )
    )
    items: set[str] = set()
    for c in rows:
        if rules.consent_live(
            granted_at=c.granted_at, expires_at=c.expires_at, revoked_at=c.revoked_at, at=at
        ):
            items.update(c.items)
    return items
