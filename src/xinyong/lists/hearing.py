"""The subject's side before the decision: statement, defence, waiver and objection, and the
organ's written answer (Art. 26 ¶1, 29 ¶2; LST-2). Objections against a procedure step stay in
the procedure: the objections context handles objections against records (Art. 32)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from xinyong.audit.service import record_event
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import local_date
from xinyong.core.errors import InvalidInput
from xinyong.lists import access, notices, rules
from xinyong.lists import repository as repo
from xinyong.lists.models import (
    ListProcedure,
    ListStatement,
    ProcedureState,
    StatementKind,
)
from xinyong.lists.schemas import (
    ProcedureRead,
)
from xinyong.lists.steps import audited_read, move, move_with_notice
from xinyong.lists.steps import due as _due

S = ProcedureState


def _may_speak(actor: Actor, p: ListProcedure) -> None:
    """The subject for itself, or the credit office recording what it received on paper."""
    if actor.role is Role.SUBJECT and actor.subject_id == p.subject_id:
        return
    access.require_role(actor, access.OFFICE, "代为登记陈述申辩")


def record_statement(
    session: Session, *, actor: Actor, procedure_id: int, kind: str, text: str, at: datetime
) -> ProcedureRead:
    """The subject's statement or defence, or its waiver of the rest of the period (Art. 29)."""
    p = access.load(session, actor, procedure_id)
    _may_speak(actor, p)
    statement_kind = StatementKind(kind)
    if statement_kind is StatementKind.OBJECTION or not text.strip():
        raise InvalidInput(
            "请写明陈述或申辩内容 / give the statement's text",
            details=[{"field": "text", "reason": "empty"}],
        )
    rules.statement_accepted(p.statement_due_on, local_date(at), p.state)
    row = _statement(p, statement_kind, text, actor=actor, at=at)
    session.add(row)
    session.flush()
    record_event(
        session,
        actor=actor,
        tag="lists:statement:record",
        at=at,
        object_type="list_statement",
        object_id=row.id,
        subject_id=p.subject_id,
        after={"procedure_id": p.id, "kind": statement_kind.value},
    )
    session.flush()
    return access.procedure_read(session, p, at=at, detail=True)


def file_procedure_objection(
    session: Session, *, actor: Actor, procedure_id: int, text: str, at: datetime
) -> ProcedureRead:
    """An objection to the intended listing; the organ verifies and answers it (Art. 26 ¶1)."""
    p = access.load(session, actor, procedure_id)
    _may_speak(actor, p)
    if not text.strip():
        raise InvalidInput(
            "请写明异议理由 / give the objection's reasons",
            details=[{"field": "text", "reason": "empty"}],
        )
    before = p.state.value
    rules.check_transition(p.state, S.OBJECTION_FILED)
    session.add(_statement(p, StatementKind.OBJECTION, text, actor=actor, at=at))
    move(
        session,
        p,
        S.OBJECTION_FILED,
        actor=actor,
        at=at,
        due_on=_due(session, S.OBJECTION_FILED, local_date(at)),
    )
    return audited_read(session, p, actor=actor, action="object", at=at, before=before)


def _statement(
    p: ListProcedure, kind: StatementKind, text: str, *, actor: Actor, at: datetime
) -> ListStatement:
    """What the subject said in the procedure ``p``, and who said it when."""
    return ListStatement(
        procedure_id=p.id,
        subject_id=p.subject_id,
        kind=kind,
        text=text.strip(),
        at=at,
        by_id=actor.user_id,
        by_name=actor.display_name,
    )


def answer_objection(
    session: Session, *, actor: Actor, procedure_id: int, outcome: str, answer: str, at: datetime
) -> ProcedureRead:
    """The written answer; an objection upheld drops the procedure (Art. 26 ¶1)."""
    access.require_role(actor, access.OFFICE, "答复异议")
    p = access.load(session, actor, procedure_id)
    if outcome not in ("upheld", "rejected") or not answer.strip():
        raise InvalidInput(
            "请选择核实结果并写明答复 / choose the outcome and write the answer",
            details=[{"field": "answer", "reason": "required"}],
        )
    before = p.state.value
    rules.check_transition(p.state, S.OBJECTION_ANSWERED)
    objection = repo.open_objection(session, p.id)
    if objection is not None:
        objection.answer, objection.answer_outcome = answer.strip(), outcome
        objection.answered_at = at
    today = local_date(at)
    due = _due(session, S.OBJECTION_ANSWERED, today)
    if due is not None and p.statement_due_on is not None:
        due = max(due, p.statement_due_on)
    number = move_with_notice(
        session,
        p,
        S.OBJECTION_ANSWERED,
        kind=notices.OBJECTION_ANSWER,
        title="异议核实结果告知书",
        body=notices.objection_answer_body(p, outcome=outcome, answer=answer.strip()),
        actor=actor,
        at=at,
        due_on=due,
        reason=answer,
    )
    if outcome == "upheld":
        move(session, p, S.DROPPED, actor=actor, at=at, due_on=None, reason=answer)
    return audited_read(
        session,
        p,
        actor=actor,
        action="answer",
        at=at,
        before=before,
        reason=answer,
        extra={"outcome": outcome, "document": number},
    )
