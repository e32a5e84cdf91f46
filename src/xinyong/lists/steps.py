"""One step of a procedure: the transition, checked against the table, kept with its instant
and the deadline it opens (computed on the working-day calendar and stored, RGT-6)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.audit.service import record_event
from xinyong.calendar import service as calendar
from xinyong.core import identifiers as ids
from xinyong.core.actor import Actor
from xinyong.core.errors import InvalidInput
from xinyong.lists import access, notices, rules
from xinyong.lists.models import ListProcedure, ListProcedureStep, ProcedureState
from xinyong.lists.schemas import ProcedureRead
from xinyong.subjects.models import Subject
from xinyong.subjects.service import find_by_code


def due(session: Session, state: ProcedureState, start: date) -> date | None:
    deadline = rules.step_deadline(state)
    if deadline is None:
        return None
    return calendar.deadline(session, start=start, working_days=deadline.working_days)


def move(
    session: Session,
    p: ListProcedure,
    target: ProcedureState,
    *,
    actor: Actor,
    at: datetime,
    due_on: date | None,
    reason: str | None = None,
    document_number: str | None = None,
) -> None:
    """Take one transition (refused unless the table allows it) and keep it as a step."""
    before = p.state
    rules.check_transition(before, target)
    p.state, p.state_at, p.due_on = target, at, due_on
    session.add(
        ListProcedureStep(
            procedure_id=p.id,
            subject_id=p.subject_id,
            from_state=before,
            to_state=target,
            at=at,
            due_on=due_on,
            actor_id=actor.user_id,
            actor_name=actor.display_name,
            reason=reason or None,
            document_number=document_number,
        )
    )


def move_with_notice(
    session: Session,
    p: ListProcedure,
    target: ProcedureState,
    *,
    kind: str,
    title: str,
    body: dict[str, Any],
    actor: Actor,
    at: datetime,
    due_on: date | None,
    reason: str | None,
    recipient_name: str | None = None,
) -> str | None:
    """Issue the procedure's document ``kind`` to its subject, then take the transition it
    documents (the step names the document); the document's number."""
    number = notices.issue(
        session,
        kind=kind,
        title=title,
        body=body,
        at=at,
        actor=actor,
        object_type="list_procedure",
        object_id=p.id,
        subject_id=p.subject_id,
        recipient_name=recipient_name,
    )
    move(
        session, p, target, actor=actor, at=at, due_on=due_on, reason=reason, document_number=number
    )
    return number


def subject_by_code(session: Session, code: str, field: str) -> Subject:
    subject = find_by_code(session, code)
    if subject is None:
        raise InvalidInput(
            ids.not_found_message(
                f"主体 {code} 不在主体库中", f"no subject {code} in the register", code
            ),
            code="unknown_subject",
            details=[{"field": field, "reason": "unknown subject"}],
        )
    return subject


def audited_read(
    session: Session,
    p: ListProcedure,
    *,
    actor: Actor,
    action: str,
    at: datetime,
    before: str | None,
    reason: str | None = None,
    extra: dict[str, object] | None = None,
) -> ProcedureRead:
    """Audit the step just taken (``lists:procedure:<action>``, the state ``before`` it and
    the state and deadline now) and answer with the procedure as it now stands, in full."""
    record_event(
        session,
        actor=actor,
        tag=f"lists:procedure:{action}",
        at=at,
        object_type="list_procedure",
        object_id=p.id,
        subject_id=p.subject_id,
        before={"state": before} if before else None,
        after={"state": p.state.value, "due_on": p.due_on.isoformat() if p.due_on else None}
        | (extra or {}),
        reason=reason or None,
    )
    session.flush()
    return access.procedure_read(session, p, at=at, detail=True)
