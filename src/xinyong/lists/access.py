"""Who may act in a list procedure, and how procedures and entries are shown.

Choice (LST-1…3): a procedure is *proposed* by a state organ
(an ``inquirer`` account) or the credit office; every later step — notice, objection answer,
decision, service, publication, early removal — is taken by the credit office, the competent
department that runs the list on the provincial platform (Art. 26 ¶2 publishes "through the
provincial platform"). The subject states, defends and objects for itself; the credit office
may also record a statement it received on paper.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from xinyong.calendar import service as calendar
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import local_date
from xinyong.core.errors import CalendarNotCovered, NotAuthenticated, NotFound, PermissionDenied
from xinyong.documents import service as documents
from xinyong.lists import repository as repo
from xinyong.lists import rules
from xinyong.lists.models import (
    ListEntry,
    ListProcedure,
    ListProcedureStep,
    ListStatement,
    RedListEntry,
)
from xinyong.lists.schemas import (
    DocumentBrief,
    EntryRead,
    PersonBrief,
    ProcedureRead,
    RedListRead,
    StatementRead,
    StepRead,
    SubjectBrief,
)
from xinyong.subjects.service import get_subject

PROPOSERS = frozenset({Role.INQUIRER, Role.CREDIT_OFFICE})
OFFICE = frozenset({Role.CREDIT_OFFICE})


def signed_in(actor: Actor) -> None:
    if actor.is_anonymous:
        raise NotAuthenticated("Log in to do this. 请先登录。")


def require_role(actor: Actor, roles: frozenset[Role], what: str) -> None:
    signed_in(actor)
    if actor.role not in roles:
        raise PermissionDenied(
            f"角色 {actor.role.value} 无权{what} / the role {actor.role.value} may not do this",
        )


def visible(actor: Actor, p: ListProcedure) -> bool:
    if actor.role is Role.CREDIT_OFFICE:
        return True
    if actor.role is Role.SUBJECT:
        return actor.subject_id is not None and actor.subject_id == p.subject_id
    return actor.org_id is not None and actor.org_id == p.proposing_org_id


def load(session: Session, actor: Actor, procedure_id: int) -> ListProcedure:
    signed_in(actor)
    p = repo.get_procedure(session, procedure_id)
    if p is None or not visible(actor, p):
        raise NotFound(f"没有名单程序 {procedure_id} / no list procedure {procedure_id}")
    return p


def subject_brief(session: Session, subject_id: int) -> SubjectBrief:
    s = get_subject(session, subject_id)
    return SubjectBrief(id=s.id, code=s.code, name=s.name, type=s.type)


def person_brief(session: Session, subject_id: int | None) -> PersonBrief | None:
    if subject_id is None:
        return None
    s = get_subject(session, subject_id)
    return PersonBrief(id=s.id, name=s.name)


def days_left(session: Session, today: date, due: date | None) -> int | None:
    if due is None:
        return None
    try:
        return calendar.working_days_left(session, today=today, due=due)
    except CalendarNotCovered:
        return None


def entry_read(session: Session, e: ListEntry, *, today: date) -> EntryRead:
    return EntryRead(
        id=e.id,
        procedure_id=e.procedure_id,
        list_kind=e.list_kind.value,
        subject=subject_brief(session, e.subject_id),
        legal_representative=person_brief(session, e.legal_representative_subject_id),
        period_start_on=e.period_start_on,
        period_end_on=e.period_end_on,
        status=rules.effective_status(e.status, e.period_end_on, today).value,
        ended_on=e.ended_on,
        end_reason=e.end_reason,
        record_id=e.record_id,
        published_at=e.published_at,
    )


def _step(s: ListProcedureStep) -> StepRead:
    found = rules.TRANSITIONS.get((s.from_state, s.to_state)) if s.from_state else None
    return StepRead(
        from_state=s.from_state.value if s.from_state else None,
        to_state=s.to_state.value,
        at=s.at,
        due_on=s.due_on,
        actor=s.actor_name,
        reason=s.reason,
        document_number=s.document_number,
        article=found.article if found else "Art. 25",
    )


def _statement(s: ListStatement) -> StatementRead:
    return StatementRead(
        id=s.id,
        kind=s.kind,
        text=s.text,
        at=s.at,
        by=s.by_name,
        answer=s.answer,
        answer_outcome=s.answer_outcome,
        answered_at=s.answered_at,
    )


def procedure_read(
    session: Session, p: ListProcedure, *, at: datetime, detail: bool = False
) -> ProcedureRead:
    today = local_date(at)
    left = days_left(session, today, p.due_on)
    deadline = rules.step_deadline(p.state)
    zh, en = rules.GROUND_TEXTS[p.ground]
    read = ProcedureRead(
        id=p.id,
        list_kind=p.list_kind.value,
        subject=subject_brief(session, p.subject_id),
        legal_representative=person_brief(session, p.legal_representative_subject_id),
        proposing_org=p.proposing_org_name,
        proposed_by=p.proposed_by_name,
        ground=p.ground,
        ground_text=f"{zh} / {en}",
        legal_basis=p.legal_basis,
        facts=p.facts,
        period_months=p.period_months,
        state=p.state.value,
        state_at=p.state_at,
        due_on=p.due_on,
        due_what=f"{deadline.due_zh} / {deadline.due_en}" if deadline and p.due_on else None,
        working_days_left=left,
        overdue=p.due_on is not None and today > p.due_on,
        statement_due_on=p.statement_due_on,
        deciding_org=p.deciding_org_name,
        decision_reasons=p.decision_reasons,
        measures=p.measures,
        decision_number=p.decision_number,
        decided_at=p.decided_at,
        served_at=p.served_at,
        served_on=p.served_on,
        service_method=p.service_method.value if p.service_method else None,
        next_steps=[s.value for s in rules.next_states(p.state)],
    )
    if detail:
        read.steps = [_step(s) for s in repo.steps(session, p.id)]
        read.statements = [_statement(s) for s in repo.statements(session, p.id)]
        read.documents = [
            DocumentBrief(
                number=d.number,
                kind=d.kind.value,
                title=d.title,
                created_at=d.created_at,
                pdf_url=f"/api/v1/documents/{d.number}.pdf",
            )
            for d in documents.documents_about(
                session, object_type="list_procedure", object_id=p.id
            )
        ]
        entry = repo.entry_of(session, p.id)
        read.entry = entry_read(session, entry, today=today) if entry else None
    return read


def red_list_read(session: Session, e: RedListEntry, *, today: date) -> RedListRead:
    return RedListRead(
        id=e.id,
        subject=subject_brief(session, e.subject_id),
        title=e.title,
        adopted_by=e.adopted_by_name,
        basis=e.basis,
        reason=e.reason,
        adopted_on=e.adopted_on,
        valid_until=e.valid_until,
        published_at=e.published_at,
        record_id=e.record_id,
        in_force=e.published_at is not None
        and rules.red_list_valid(e.valid_until, e.adopted_on, today),
    )
