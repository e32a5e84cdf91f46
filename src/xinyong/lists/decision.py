"""Decision, service and publication of a list entry (Art. 26 ¶2, 27; LST-3, LST-4)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from xinyong.core.actor import Actor
from xinyong.core.clock import local_date
from xinyong.core.errors import InvalidInput
from xinyong.lists import access, notices, publishing, rules
from xinyong.lists import repository as repo
from xinyong.lists.models import (
    EntryStatus,
    ListEntry,
    ProcedureState,
    ServiceMethod,
)
from xinyong.lists.schemas import (
    DecisionCreate,
    ProcedureRead,
    ServiceCreate,
)
from xinyong.lists.steps import audited_read, move, move_with_notice
from xinyong.lists.steps import due as _due
from xinyong.marks.service import MarkKind, put_mark
from xinyong.subjects.service import get_subject

S = ProcedureState


def decide(
    session: Session, *, actor: Actor, procedure_id: int, data: DecisionCreate, at: datetime
) -> ProcedureRead:
    """The written decision: reasons, basis, measures, removal, remedies (Art. 26 ¶2), taken
    by an account of the organ with the authority and recorded from that account's
    organisation, which the decision document names (Art. 25, 26; ``access.deciding_organ``).
    """
    p = access.load(session, actor, procedure_id)
    organ = access.deciding_organ(session, actor, p, claimed_uscc=data.deciding_org_uscc)
    before = p.state.value
    rules.check_transition(p.state, S.DECIDED)
    kinds = {s.kind for s in repo.statements(session, p.id)}
    rules.may_decide(p.statement_due_on, local_date(at), kinds)
    if not data.reasons.strip() or not data.measures.strip():
        raise InvalidInput(
            "认定决定内容不全 / the decision is incomplete: reasons and measures are required",
            details=[{"field": "reasons", "reason": "required"}],
        )
    # Art. 25, 26: the organ is the deciding account's own organisation, never the request's.
    p.deciding_org_id, p.deciding_org_name, p.deciding_org_uscc = organ.id, organ.name, organ.uscc
    p.decision_reasons, p.measures, p.decided_at = data.reasons.strip(), data.measures.strip(), at
    rep = access.person_brief(session, p.legal_representative_subject_id)
    months = p.period_months or rules.DEFAULT_PERIOD_MONTHS
    number = move_with_notice(
        session,
        p,
        S.DECIDED,
        kind=notices.DECISION,
        title="列入严重失信主体名单决定书",
        body=notices.decision_body(p, months=months, representative=rep.name if rep else None),
        actor=actor,
        at=at,
        due_on=_due(session, S.DECIDED, local_date(at)),
        reason=data.reasons,
        recipient_name=access.subject_brief(session, p.subject_id).name,
    )
    p.decision_number = number or f"LIST-{p.id}"
    return audited_read(
        session,
        p,
        actor=actor,
        action="decide",
        at=at,
        before=before,
        extra={"decision_number": p.decision_number},
    )


def record_service(
    session: Session, *, actor: Actor, procedure_id: int, data: ServiceCreate, at: datetime
) -> ProcedureRead:
    """How and when the decision reached the subject (Art. 26 ¶2: served according to law)."""
    access.require_role(actor, access.OFFICE, "登记送达")
    p = access.load(session, actor, procedure_id)
    before = p.state.value
    rules.check_transition(p.state, S.SERVED)
    today = local_date(at)
    served_on = data.served_on or today
    decided_on = local_date(p.decided_at) if p.decided_at else today
    if not decided_on <= served_on <= today:
        raise InvalidInput(
            f"送达日期须在决定日期 {decided_on} 与今天之间 / the service date lies between the "
            f"decision ({decided_on}) and today",
            details=[{"field": "served_on", "reason": "out of range"}],
        )
    p.service_method, p.served_on, p.served_at = ServiceMethod(data.method), served_on, at
    p.service_note = data.note.strip() or None
    move_with_notice(
        session,
        p,
        S.SERVED,
        kind=notices.SERVICE_RECORD,
        title="送达回证",
        body=notices.service_body(p, served_on=served_on, note=data.note.strip()),
        actor=actor,
        at=at,
        due_on=_due(session, S.SERVED, served_on),
        reason=data.note,
    )
    return audited_read(
        session,
        p,
        actor=actor,
        action="serve",
        at=at,
        before=before,
        extra={"method": p.service_method.value, "served_on": served_on.isoformat()},
    )


def publish_entry(
    session: Session, *, actor: Actor, procedure_id: int, at: datetime, reason: str = ""
) -> ProcedureRead:
    """The entry goes live for its period (LST-3, LST-4), delivered as a ``serious_dishonesty``
    record naming the legal representative of an organisation (Art. 27)."""
    access.require_role(actor, access.OFFICE, "公示名单")
    p = access.load(session, actor, procedure_id)
    before = p.state.value
    rules.check_transition(p.state, S.PUBLISHED)
    # The period counts from the decision date, not from publication (Order 36; LST-4).
    start, end = rules.entry_period(p.period_months, local_date(p.decided_at or at))
    subject = access.subject_brief(session, p.subject_id)
    rep = access.person_brief(session, p.legal_representative_subject_id)
    fields = publishing.entry_fields(
        p,
        get_subject(session, subject.id),
        representative=rep.name if rep else None,
        period=(start, end),
        notice_served_on=next(
            (
                local_date(s.at)
                for s in repo.steps(session, p.id)
                if s.to_state is S.STATEMENT_PERIOD
            ),
            None,
        ),
    )
    # Commits the record (see publishing): first, and idempotent on the procedure's source id.
    record_id = publishing.deliver_entry_record(session, actor=actor, p=p, fields=fields, at=at)
    entry = ListEntry(
        procedure_id=p.id,
        list_kind=p.list_kind,
        subject_id=p.subject_id,
        legal_representative_subject_id=p.legal_representative_subject_id,
        period_start_on=start,
        period_end_on=end,
        status=EntryStatus.ACTIVE,
        record_id=record_id,
        published_at=at,
    )
    session.add(entry)
    session.flush()
    # The entry's period governs its record in every channel (Art. 35; LST-4).
    put_mark(
        session,
        record_id=record_id,
        subject_id=p.subject_id,
        kind=MarkKind.SERIOUS_DISHONESTY_ENTRY,
        source_type="list_entry",
        source_id=entry.id,
        at=at,
        starts_on=start,
        ends_on=end,
    )
    move(session, p, S.PUBLISHED, actor=actor, at=at, due_on=None, reason=reason)
    return audited_read(
        session,
        p,
        actor=actor,
        action="publish",
        at=at,
        before=before,
        reason=reason,
        extra={"entry_id": entry.id, "record_id": record_id, "period_end_on": end.isoformat()},
    )
