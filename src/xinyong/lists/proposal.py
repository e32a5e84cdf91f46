"""Proposal, prior notice, dropping and reading a list procedure (Art. 25, 26 ¶1, 27; LST-1,
LST-2). See ``lists.service`` for the whole procedure."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from xinyong.core.actor import Actor, Role
from xinyong.core.clock import local_date
from xinyong.core.errors import InvalidInput, RuleViolation
from xinyong.inquiry.models import InquiryChannel
from xinyong.inquiry.reads import Seen, log_look
from xinyong.lists import access, notices, rules
from xinyong.lists import repository as repo
from xinyong.lists.models import (
    ListKind,
    ListProcedure,
    ListProcedureStep,
    ProcedureState,
)
from xinyong.lists.schemas import (
    ProcedureCreate,
    ProcedureList,
    ProcedureRead,
)
from xinyong.lists.steps import audited_read, move, move_with_notice
from xinyong.lists.steps import due as _due
from xinyong.lists.steps import subject_by_code as _subject
from xinyong.subjects.models import RepresentativeRole, Subject, SubjectType
from xinyong.subjects.service import representatives

S = ProcedureState


def _representative(
    session: Session, subject: Subject, given: str | None, today: date
) -> int | None:
    """Art. 27: an organisation's entry names its legal representative / responsible person —
    the one given, else the register's link in force today."""
    if subject.type == SubjectType.NATURAL_PERSON.value:
        if given:
            raise InvalidInput(
                "自然人不需要法定代表人 / a natural person has no legal representative",
                details=[{"field": "legal_representative", "reason": "natural person"}],
            )
        return None
    if given:
        person = _subject(session, given, "legal_representative")
        if person.type != SubjectType.NATURAL_PERSON.value:
            raise InvalidInput(
                "法定代表人（负责人）须为自然人 / the representative must be a natural person",
                details=[{"field": "legal_representative", "reason": "not a natural person"}],
            )
        return person.id
    links = sorted(
        representatives(session, subject.id, on=today),
        key=lambda link: link.role != RepresentativeRole.LEGAL_REPRESENTATIVE.value,
    )
    if not links:
        raise RuleViolation(
            "单位列入严重失信主体名单须注明法定代表人或负责人（第二十七条），"
            "主体库中没有记录，请填写 / "
            "an organisation's entry names its legal representative (Art. 27): none is "
            "registered, give one",
            code="representative_required",
            details=[{"field": "legal_representative", "reason": "required"}],
        )
    return links[0].person_id


def _ground_records(session: Session, subject: Subject, record_ids: list[int]) -> list[int]:
    """The records a proposal rests on: the subject's own active negative records."""
    wanted = sorted(set(record_ids))
    found = repo.negative_records_of(session, subject_id=subject.id, record_ids=wanted)
    missing = [i for i in wanted if i not in found]
    if missing:
        raise InvalidInput(
            f"记录 {missing[0]} 不是该主体的有效失信记录 / record {missing[0]} is not an active "
            "negative record of this subject",
            code="ground_record_invalid",
            details=[
                {"field": "records", "reason": "not a negative record", "id": i} for i in missing
            ],
        )
    return wanted


def propose(
    session: Session, *, actor: Actor, data: ProcedureCreate, at: datetime
) -> ProcedureRead:
    """A proposal citing a ground of Art. 25 and its legal basis (LST-1)."""
    access.require_role(actor, access.PROPOSERS, "提议列入严重失信主体名单")
    basis, facts = data.legal_basis.strip(), data.facts.strip()
    if not basis or not facts:
        raise InvalidInput(
            "提议须写明依据和事实 / a proposal states its legal basis and the facts",
            details=[{"field": "legal_basis" if not basis else "facts", "reason": "empty"}],
        )
    subject = _subject(session, data.subject, "subject")
    if subject.type == SubjectType.STATE_ORGAN.value:
        raise RuleViolation(
            "国家机关不适用严重失信主体名单 / state organs are not put on this list",
            code="subject_type_not_listed",
            details=[{"field": "subject", "reason": "state_organ"}],
        )
    today = local_date(at)
    grounds = _ground_records(session, subject, data.records)
    p = ListProcedure(
        list_kind=ListKind.SERIOUS_DISHONESTY,
        subject_id=subject.id,
        legal_representative_subject_id=_representative(
            session, subject, data.legal_representative, today
        ),
        proposing_org_id=actor.org_id,
        proposing_org_name=actor.org_name or actor.display_name,
        proposed_by_id=actor.user_id,
        proposed_by_name=actor.display_name,
        ground=data.ground,
        legal_basis=basis,
        facts=facts,
        period_months=data.period_months,
        ground_record_ids=grounds or None,
        state=S.PROPOSED,
        state_at=at,
        due_on=_due(session, S.PROPOSED, today),
        created_at=at,
    )
    session.add(p)
    session.flush()
    session.add(
        ListProcedureStep(
            procedure_id=p.id,
            subject_id=p.subject_id,
            from_state=None,
            to_state=S.PROPOSED,
            at=at,
            due_on=p.due_on,
            actor_id=actor.user_id,
            actor_name=actor.display_name,
        )
    )
    return audited_read(
        session,
        p,
        actor=actor,
        action="propose",
        at=at,
        before=None,
        extra={"ground": p.ground.value, "legal_basis": basis},
    )


def send_prior_notice(
    session: Session, *, actor: Actor, procedure_id: int, at: datetime, reason: str = ""
) -> ProcedureRead:
    """The written prior notice (Art. 26 ¶1), served in the subject's inbox; the statement
    period (Art. 29 ¶2) runs from that day."""
    access.require_role(actor, access.OFFICE, "发出事先告知")
    p = access.load(session, actor, procedure_id)
    before = p.state.value
    rules.check_transition(p.state, S.NOTIFIED)
    today = local_date(at)
    statement_due = _due(session, S.STATEMENT_PERIOD, today)
    assert statement_due is not None
    number = move_with_notice(
        session,
        p,
        S.NOTIFIED,
        kind=notices.PRIOR_NOTICE,
        title="拟列入严重失信主体名单事先告知书",
        body=notices.prior_notice_body(p, statement_due_on=statement_due),
        actor=actor,
        at=at,
        due_on=None,
        reason=reason,
        recipient_name=access.subject_brief(session, p.subject_id).name,
    )
    move(session, p, S.STATEMENT_PERIOD, actor=actor, at=at, due_on=statement_due)
    p.statement_due_on = statement_due
    return audited_read(
        session,
        p,
        actor=actor,
        action="notify",
        at=at,
        before=before,
        reason=reason,
        extra={"document": number},
    )


def drop_procedure(
    session: Session, *, actor: Actor, procedure_id: int, reason: str, at: datetime
) -> ProcedureRead:
    """The organ does not list the subject (before its decision)."""
    access.require_role(actor, access.OFFICE, "终止程序")
    if not reason.strip():
        raise InvalidInput(
            "请写明终止理由 / give the reason", details=[{"field": "reason", "reason": "required"}]
        )
    p = access.load(session, actor, procedure_id)
    before = p.state.value
    move(session, p, S.DROPPED, actor=actor, at=at, due_on=None, reason=reason.strip())
    return audited_read(session, p, actor=actor, action="drop", at=at, before=before, reason=reason)


def get_procedure(
    session: Session, *, actor: Actor, procedure_id: int, at: datetime
) -> ProcedureRead:
    """One procedure in full; anyone's look but its subject's is logged (Art. 20, 31)."""
    p = access.load(session, actor, procedure_id)
    read = access.procedure_read(session, p, at=at, detail=True)
    if actor.subject_id != p.subject_id:
        _log_look(session, actor, [read], at)
    return read


def _log_look(session: Session, actor: Actor, reads: list[ProcedureRead], at: datetime) -> None:
    """A procedure is non-public until its decision is published, and its file never is:
    one inquiry-log row per subject seen, committed with the answer (Art. 20, 31)."""
    seen = [Seen(r.subject.id, r.subject.code, r.list_kind) for r in reads]
    if log_look(session, actor=actor, channel=InquiryChannel.PROCEDURE, at=at, seen=seen):
        session.flush()


def list_procedures(
    session: Session, *, actor: Actor, at: datetime, state: str | None = None
) -> ProcedureList:
    """The credit office sees every procedure, a proposing organ its own; by next deadline."""
    access.require_role(actor, access.PROPOSERS, "查看名单程序")
    org = None if actor.role is Role.CREDIT_OFFICE else (actor.org_id or -1)
    rows = [
        p
        for p in repo.procedures(session, proposing_org_id=org)
        if not state or p.state.value == state
    ]
    rows.sort(key=lambda p: (p.due_on is None, p.due_on or date.max, p.id))
    reads = [access.procedure_read(session, p, at=at) for p in rows]
    _log_look(session, actor, reads, at)
    return ProcedureList(items=reads)
