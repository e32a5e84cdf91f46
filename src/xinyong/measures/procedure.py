"""Notice, then the measure (Art. 28, 29 para. 2): the subject's statement and defence against
a notified disciplinary measure, the organ's answer, and the organ's decision.

A disciplinary measure recorded after a check is ``pending``: its written notice names the
laws, the information used with its providers and the deadline to state and defend (working
days, ``data/procedure.json``). The organ decides — apply or withdraw — only after that
deadline, or earlier once it has answered the subject's statement; a statement made must be
answered before any decision. An applied measure ends on the last day of its period.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.audit.service import record_event
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import local_date
from xinyong.core.errors import Conflict, NotFound, PermissionDenied
from xinyong.measures import notices, rules
from xinyong.measures import repository as repo
from xinyong.measures.access import CHECK, require_role
from xinyong.measures.checks import _own_check, applied_read
from xinyong.measures.models import AppliedMeasure, AppliedStatus
from xinyong.measures.schemas import AppliedList, AppliedMeasureRead
from xinyong.subjects.service import get_subject

REFUSALS = {
    rules.DEFENCE_PERIOD_RUNNING: (
        "陈述申辩期限尚未届满，且无已答复的陈述申辩，不能作出决定（第二十九条第二款）。"
        " The subject's time to state and defend has not run out and no statement has been"
        " answered: the measure cannot be decided yet (Art. 29 para. 2)."
    ),
    rules.STATEMENT_UNANSWERED: (
        "信用主体已陈述申辩，须先答复方可作出决定（第二十九条第二款）。"
        " The subject has made a statement: answer it before deciding (Art. 29 para. 2)."
    ),
    rules.DEFENCE_PERIOD_OVER: (
        "陈述申辩期限已届满（第二十九条第二款）。"
        " The deadline to state and defend has passed (Art. 29 para. 2)."
    ),
}


class NotPending(Conflict, code="measure_not_pending"): ...


def _refuse(code: str, row: AppliedMeasure) -> Conflict:
    due = row.defence_due_on.isoformat() if row.defence_due_on else None
    return Conflict(REFUSALS[code], code=code, details=[{"defence_due_on": due}])


def _audited_read(
    session: Session,
    actor: Actor,
    row: AppliedMeasure,
    action: str,
    at: datetime,
    *,
    after: dict[str, Any],
    before: dict[str, Any] | None = None,
    reason: str | None = None,
) -> AppliedMeasureRead:
    """Audit the step just taken on the applied measure (``measures:measure:<action>``; the
    measure's code leads ``after``) and answer with the measure as it now stands."""
    record_event(
        session, actor=actor, tag=f"measures:measure:{action}", at=at,
        object_type="applied_measure", object_id=row.id, subject_id=row.subject_id,
        before=before, after={"measure": row.measure_code, **after}, reason=reason,
    )  # fmt: skip
    session.flush()
    return applied_read(row, local_date(at))


def _pending(row: AppliedMeasure) -> None:
    if row.status is not AppliedStatus.PENDING:
        raise NotPending(
            f"措施 {row.measure_code} 不在待决定状态（{row.status.value}）。"
            f" Measure {row.measure_code} is not pending a decision ({row.status.value}).",
            details=[{"status": row.status.value}],
        )


def _of_check(session: Session, actor: Actor, check_id: int, code: str) -> AppliedMeasure:
    require_role(actor, CHECK, "measures:apply")
    check = _own_check(session, actor, check_id)
    for row in repo.applied_of_check(session, check.id):
        if row.measure_code == code:
            return row
    raise NotFound(
        f"核查 {check_id} 未记录措施 {code} / check {check_id} recorded no measure {code}"
    )


def check_measures(session: Session, *, actor: Actor, check_id: int, at: datetime) -> AppliedList:
    """The measures the organ recorded after its check, with where each stands."""
    require_role(actor, CHECK, "measures:apply")
    check = _own_check(session, actor, check_id)
    today = local_date(at)
    return AppliedList(
        items=[applied_read(r, today) for r in repo.applied_of_check(session, check.id)]
    )


def answer_statement(
    session: Session, *, actor: Actor, check_id: int, code: str, answer: str, at: datetime
) -> AppliedMeasureRead:
    """The organ answers the subject's statement and defence (Art. 29 para. 2)."""
    row = _of_check(session, actor, check_id, code)
    _pending(row)
    if row.statement is None:
        raise Conflict(
            "信用主体尚未陈述申辩 / the subject has made no statement", code="no_statement"
        )
    if row.answered_at is not None:
        raise Conflict("陈述申辩已答复 / the statement is answered already", code="answered")
    row.statement_answer = answer.strip()
    row.answered_at = at
    row.answered_by_name = actor.display_name
    session.flush()
    return _audited_read(session, actor, row, "answer", at, after={"answered": True})


def decide_measure(
    session: Session, *, actor: Actor, check_id: int, code: str, outcome: str, reason: str,
    at: datetime,
) -> AppliedMeasureRead:  # fmt: skip
    """Apply or withdraw a notified disciplinary measure (Art. 29 para. 2): 409
    ``defence_period_running`` before the deadline unless a statement has been answered, 409
    ``statement_unanswered`` while a statement waits for its answer. Applied, it is in force
    until the last day of its period (``ends_on``); the decision goes to the subject's inbox."""
    row = _of_check(session, actor, check_id, code)
    _pending(row)
    today = local_date(at)
    blocked = rules.decision_blocked(
        today=today, defence_due_on=row.defence_due_on, stated=row.statement is not None,
        answered=row.answered_at is not None,
    )  # fmt: skip
    if blocked is not None:
        raise _refuse(blocked, row)
    row.status = AppliedStatus.APPLIED if outcome == "apply" else AppliedStatus.WITHDRAWN
    row.decided_at = at
    row.decided_by_name = actor.display_name
    row.decision_reason = reason.strip()
    if row.status is AppliedStatus.APPLIED:
        measure = repo.measure_by_code(session, row.measure_code)
        row.ends_on = rules.measure_ends_on(today, measure.period_months if measure else None)
    session.flush()
    subject = get_subject(session, row.subject_id)
    row.decision_number = notices.issue_decision(
        session, actor=actor, row=row, subject=subject, at=at
    )
    return _audited_read(
        session, actor, row, "decide", at,
        before={"status": AppliedStatus.PENDING.value},
        after={"status": row.status.value,
               "ends_on": row.ends_on.isoformat() if row.ends_on else None,
               "decision_number": row.decision_number},
        reason=row.decision_reason,
    )  # fmt: skip


def state_defence(
    session: Session, *, actor: Actor, applied_id: int, statement: str, at: datetime
) -> AppliedMeasureRead:
    """The subject states its case and defends itself against a notified measure, by the
    deadline of the notice (Art. 29 para. 2); once. 409 ``defence_period_over`` after it."""
    if actor.role is not Role.SUBJECT or actor.subject_id is None:
        require_role(actor, frozenset({Role.SUBJECT}), "measures:state_defence")
        raise PermissionDenied("该账号未绑定信用主体 / this account is bound to no subject")
    row = session.get(AppliedMeasure, applied_id)
    if row is None or row.subject_id != actor.subject_id:
        raise NotFound(f"没有措施 {applied_id} / no measure {applied_id}")
    _pending(row)
    if row.statement is not None:
        raise Conflict("已陈述申辩 / a statement was made already", code="statement_made")
    blocked = rules.statement_blocked(today=local_date(at), defence_due_on=row.defence_due_on)
    if blocked is not None:
        raise _refuse(blocked, row)
    row.statement = statement.strip()
    row.stated_at = at
    session.flush()
    notices.issue_statement(session, actor=actor, row=row, at=at)
    return _audited_read(session, actor, row, "statement", at, after={"check_id": row.check_id})
