"""Queries of the inquiry context; never commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, func, insert, select
from sqlalchemy.orm import Session

from xinyong.accounts.models import Organisation
from xinyong.core.actor import Actor
from xinyong.core.context import current_request_id
from xinyong.inquiry.models import Consent, Inquiry, InquiryChannel, Outcome

#: The channels of inquiries proper (``inquiry.service``), as against logged looks.
INQUIRY_CHANNELS = (InquiryChannel.GOVERNMENT, InquiryChannel.AUTHORIZED, InquiryChannel.WINDOW)


#: The log row's insert, built once: a Core statement on the table (no ORM unit of work on
#: the inquiry's path) binding every column but ``id``, returning the new id.
_inquiry_t = cast(Table, Inquiry.__table__)
INSERT_INQUIRY = (
    insert(_inquiry_t)
    .values({c.name: bindparam(c.name, type_=c.type) for c in _inquiry_t.c if c.name != "id"})
    .returning(_inquiry_t.c.id)
)


def asker_columns(actor: Actor, at: datetime, address: str | None) -> dict[str, Any]:
    """The columns of a log row that say who asked, when, from where, in which request."""
    return {
        "at": at,
        "user_id": actor.user_id,
        "user_name": actor.display_name,
        "org_id": actor.org_id,
        "org_code": actor.org_code,
        "org_name": actor.org_name,
        "request_id": current_request_id(),
        "address": (address or None) and address[:64],
    }


def answered_about(session: Session, subject_id: int) -> Sequence[Inquiry]:
    """Answered inquiries about a subject, newest first (Art. 31)."""
    return session.scalars(
        select(Inquiry)
        .where(Inquiry.subject_id == subject_id, Inquiry.outcome == Outcome.ANSWERED)
        .order_by(Inquiry.at.desc(), Inquiry.id.desc())
    ).all()


@dataclass(frozen=True, slots=True)
class LogFilter:
    subject_code: str | None = None
    org_code: str | None = None
    purpose: str | None = None
    outcome: Outcome | None = None
    since: datetime | None = None
    until: datetime | None = None


SORTS = {
    "at": Inquiry.at,
    "subject": Inquiry.subject_code,
    "organisation": Inquiry.org_code,
    "purpose": Inquiry.purpose,
    "outcome": Inquiry.outcome,
}


def _filtered(f: LogFilter) -> Select[Inquiry]:
    query = select(Inquiry)
    if f.subject_code:
        query = query.where(Inquiry.subject_code == f.subject_code)
    if f.org_code:
        query = query.where(Inquiry.org_code == f.org_code)
    if f.purpose:
        query = query.where(Inquiry.purpose == f.purpose)
    if f.outcome is not None:
        query = query.where(Inquiry.outcome == f.outcome)
    if f.since is not None:
        query = query.where(Inquiry.at >= f.since)
    if f.until is not None:
        query = query.where(Inquiry.at < f.until)
    return query


def log_page(
    session: Session, f: LogFilter, *, sort: str, descending: bool, offset: int, limit: int
) -> tuple[Sequence[Inquiry], int]:
    query = _filtered(f)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    column = SORTS[sort]
    order = (column.desc(), Inquiry.id.desc()) if descending else (column.asc(), Inquiry.id)
    rows = session.scalars(query.order_by(*order).offset(offset).limit(limit)).all()
    return rows, total


def add_consent(session: Session, consent: Consent) -> Consent:
    session.add(consent)
    session.flush()
    return consent


def consent_by_id(session: Session, consent_id: int) -> Consent | None:
    return session.get(Consent, consent_id)


def consents_of_subject(session: Session, subject_id: int) -> Sequence[Consent]:
    return session.scalars(
        select(Consent)
        .where(Consent.subject_id == subject_id)
        .order_by(Consent.granted_at.desc(), Consent.id.desc())
    ).all()


def candidate_consents(
    session: Session, *, subject_id: int, org_id: int, purpose: str, at: datetime
) -> Sequence[Consent]:
    """Unrevoked, unexpired consents of a subject to an organisation for a purpose; the rules
    decide which is live (newest first)."""
    return session.scalars(
        select(Consent)
        .where(
            Consent.subject_id == subject_id,
            Consent.grantee_org_id == org_id,
            Consent.purpose == purpose,
            Consent.expires_at > at,
            Consent.revoked_at.is_(None),
        )
        .order_by(Consent.granted_at.desc(), Consent.id.desc())
    ).all()


def organisation_by_code(session: Session, code: str) -> Organisation | None:
    """The grantee of a consent. (A read of the accounts context's table, as disclosure does,
    until accounts offers a service function for it.)"""
    return session.scalars(select(Organisation).where(Organisation.code == code)).first()
