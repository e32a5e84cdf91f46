"""Documents use cases (PLT-4): issue a numbered notice, list an inbox, read, print to PDF.

``issue_document`` runs inside the caller's use case (an objection decision, a correction): it
flushes and audits but never commits — the notice exists exactly when the decision does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.audit.service import record_event
from xinyong.core.actor import SYSTEM, Actor, Role
from xinyong.core.clock import PLATFORM_ZONE
from xinyong.core.errors import InvalidInput, NotFound
from xinyong.core.permissions import require
from xinyong.core.rows import from_row
from xinyong.documents import repository as repo
from xinyong.documents.models import PREFIXES, Document, DocumentKind
from xinyong.documents.pdf import render_pdf
from xinyong.documents.render import document_html
from xinyong.documents.rules import document_number
from xinyong.documents.schemas import DocumentRead, InboxRead


def take_number(session: Session, *, prefix: str, at: datetime) -> str:
    """The next number of ``prefix`` in the platform-local year of ``at``, from the documents'
    gapless counters (for other contexts' numbered acts, e.g. institution filings). Taken in
    the caller's transaction: a rollback gives it back."""
    year = at.astimezone(PLATFORM_ZONE).year
    return document_number(prefix, year, repo.next_seq(session, prefix=prefix, year=year))


def issue_document(
    session: Session,
    *,
    kind: DocumentKind,
    title: str,
    body: dict[str, Any],
    at: datetime,
    recipient_subject_id: int | None = None,
    recipient_org_id: int | None = None,
    recipient_office: bool = False,
    recipient_name: str | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    actor: Actor = SYSTEM,
) -> Document:
    """Number, render and keep a document for one recipient (flushes, audits, no commit)."""
    given = sum([recipient_subject_id is not None, recipient_org_id is not None, recipient_office])
    if given != 1:
        raise InvalidInput("a document has exactly one recipient / 文书须有且仅有一个收件人")
    number = take_number(session, prefix=PREFIXES[kind], at=at)
    doc = Document(
        number=number,
        kind=kind,
        recipient_subject_id=recipient_subject_id,
        recipient_org_id=recipient_org_id,
        recipient_office=recipient_office,
        title=title,
        body=body,
        html=document_html(number=number, title=title, recipient=recipient_name, body=body, at=at),
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        created_at=at,
    )
    session.add(doc)
    session.flush()
    record_event(
        session,
        actor=actor,
        tag="documents:document:issue",
        at=at,
        object_type="document",
        object_id=number,
        subject_id=recipient_subject_id,
        after={"kind": kind.value, "title": title, "object": f"{object_type}:{object_id}"},
    )
    return doc


def document_read(doc: Document) -> DocumentRead:
    return from_row(
        DocumentRead,
        doc,
        pdf_url=f"/api/v1/documents/{doc.number}.pdf",
        record_id=doc.body.get("record_id"),
        repairable_from=doc.body.get("repairable_from"),
        subject=doc.body.get("watched_subject"),
    )


def _office(actor: Actor) -> bool:
    return actor.role is Role.CREDIT_OFFICE


def _addressed_to(actor: Actor, doc: Document) -> bool:
    if actor.role is Role.SUBJECT:
        return actor.subject_id is not None and doc.recipient_subject_id == actor.subject_id
    if actor.org_id is not None and doc.recipient_org_id == actor.org_id:
        return True
    return _office(actor) and doc.recipient_office


def _visible(actor: Actor, doc: Document) -> bool:
    # The credit office oversees every notice the platform serves (objections oversight).
    return _addressed_to(actor, doc) or _office(actor)


def inbox(session: Session, *, actor: Actor) -> InboxRead:
    """A subject sees its subject's documents; staff their organisation's (and the credit
    office the documents addressed to it as a whole)."""
    require(actor, "documents:read")
    docs = repo.addressed_to(
        session,
        subject_id=actor.subject_id if actor.role is Role.SUBJECT else None,
        org_id=actor.org_id if actor.role is not Role.SUBJECT else None,
        office=_office(actor),
    )
    items = [document_read(d) for d in docs]
    return InboxRead(items=items, unread=sum(d.read_at is None for d in docs))


def _load(session: Session, actor: Actor, number: str) -> Document:
    require(actor, "documents:read")
    doc = repo.by_number(session, number.strip().upper())
    if doc is None or not _visible(actor, doc):
        raise NotFound(f"没有文书 {number} / no document {number}")
    return doc


def get_document(session: Session, *, actor: Actor, number: str, at: datetime) -> DocumentRead:
    """One document; its recipient opening it marks it read."""
    doc = _load(session, actor, number)
    if doc.read_at is None and _addressed_to(actor, doc):
        doc.read_at = at
        session.flush()
    return document_read(doc)


def documents_about(session: Session, *, object_type: str, object_id: str | int) -> list[Document]:
    """The documents issued about one object (e.g. an objection's notices)."""
    return list(repo.for_object(session, object_type=object_type, object_id=str(object_id)))


def get_document_pdf(session: Session, *, actor: Actor, number: str) -> tuple[str, bytes]:
    """(file name, PDF bytes) of a document, printed on demand from its kept HTML."""
    doc = _load(session, actor, number)
    return f"{doc.number}.pdf", render_pdf(doc.html)
