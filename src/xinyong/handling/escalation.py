"""Escalation of overdue cases to the credit office (Art. 32, 33, 34, 36, 44 (5); GOV-1): one
job for every kind of case, parameterised by an :class:`Escalation` each context declares.

Each overdue case escalates once: it is flagged, entered in the violation register against
the unit that let the deadline pass, optionally put in the credit office's inbox as a written
notice, and audited — all in the caller's unit of work (``xinyong objections escalate``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.accounts.models import Organisation
from xinyong.audit.service import record_event
from xinyong.core.actor import SYSTEM, Actor, Role
from xinyong.core.clock import local_date
from xinyong.documents.models import DocumentKind
from xinyong.documents.service import issue_document
from xinyong.handling.access import Case, org_name
from xinyong.violations.models import ViolationKind
from xinyong.violations.service import register_violation


@dataclass(frozen=True)
class Notice:
    """The written notice to the credit office (PLT-4): each context words its own."""

    kind: DocumentKind
    title: str
    body: dict[str, Any]


@dataclass(frozen=True)
class Escalation:
    """How one kind of case escalates: its register kind, object type, audit tag and reason,
    the register entry's detail and (optionally) the notice, from the case and its handler's
    name."""

    kind: ViolationKind
    object_type: str
    tag: str
    reason: str
    detail: Callable[[Any, str], dict[str, Any]]
    notice: Callable[[Any, str], Notice] | None
    #: The open cases past their due date on a day that were not escalated yet.
    find: Callable[..., Sequence[Case]]

    def run(self, session: Session, *, at: datetime) -> int:
        """The job: escalate every overdue case once; how many. Idempotent; flushes, the
        job's unit of work commits."""
        return escalate(session, self.find(session, today=local_date(at)), at=at, how=self)


def overdue_detail(case: Any, handler: str) -> dict[str, Any]:
    """The register entry's detail for an overdue case about a record."""
    return {
        "event": "overdue",
        "handler": handler,
        "due_on": case.due_on.isoformat(),
        "record_id": case.record_id,
    }


def overdue_notice(
    kind: DocumentKind, title: str, *, number: str, paragraphs: list[str], case: Case, handler: str
) -> Notice:
    """The notice to the credit office: the context's own paragraphs, then the facts every
    escalation states (the case's number under ``number``, its handler, its due date)."""
    facts = [
        [number, f"#{case.id}"],
        ["处理单位 Handler", handler],
        ["处理期限 Due", case.due_on.isoformat()],
    ]
    return Notice(kind=kind, title=title, body={"paragraphs": paragraphs, "facts": facts})


def register_late(
    session: Session,
    case: Case,
    how: Escalation,
    *,
    actor: Actor,
    at: datetime,
    event: str = "decided",
    **detail: Any,
) -> None:
    """A case handled after its due date enters the register (Art. 44 (5); GOV-1) — once:
    an escalated one is there already, since the day it became overdue."""
    if case.escalated_at is not None:
        return
    detail = {"event": f"{event}_late", "due_on": case.due_on.isoformat(),
              f"{event}_on": local_date(at).isoformat(), **detail}  # fmt: skip
    register_violation(
        session, kind=how.kind, at=at, actor=actor, subject_id=case.subject_id,
        object_type=how.object_type, object_id=case.id, detail=detail,
    )  # fmt: skip


def unit_actor(session: Session, org_id: int | None) -> Actor:
    """The unit a missed deadline concerns, as the register records it (no single account
    is at fault when a unit lets a deadline pass)."""
    org = session.get(Organisation, org_id) if org_id is not None else None
    if org is None:
        return Actor(role=Role.CREDIT_OFFICE, username="credit_office", display_name="信用主管部门")
    return Actor(
        role=Role.PROVIDER,
        username=org.code,
        display_name=org.name,
        org_id=org.id,
        org_code=org.code,
        org_name=org.name,
    )


def escalate(session: Session, cases: Sequence[Case], *, at: datetime, how: Escalation) -> int:
    """Escalate ``cases`` (overdue, not yet escalated); how many. Flushes, never commits."""
    for case in cases:
        case.escalated_at = at
        handler = org_name(session, case.provider_org_id)
        register_violation(
            session,
            kind=how.kind,
            at=at,
            actor=unit_actor(session, case.provider_org_id),
            subject_id=case.subject_id,
            object_type=how.object_type,
            object_id=case.id,
            detail=how.detail(case, handler),
        )
        if how.notice is not None:
            notice = how.notice(case, handler)
            issue_document(
                session,
                kind=notice.kind,
                title=notice.title,
                body=notice.body,
                at=at,
                recipient_office=True,
                recipient_name="信用主管部门",
                object_type=how.object_type,
                object_id=case.id,
            )
        record_event(
            session,
            actor=SYSTEM,
            tag=how.tag,
            at=at,
            object_type=how.object_type,
            object_id=case.id,
            subject_id=case.subject_id,
            after={"escalated": True, "due_on": case.due_on.isoformat()},
            reason=how.reason,
        )
    if cases:
        session.flush()
    return len(cases)
