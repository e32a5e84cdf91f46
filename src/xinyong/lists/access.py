"""Who may act in a list procedure, and how procedures and entries are shown.

Choice (LST-1…3): a procedure is *proposed* by a state organ
(an ``inquirer`` account) or the credit office. The *decision* is the deciding organ's
(Art. 25, 26; issue 11 item 8): a listing department — an organisation the credit office
registered as a collection source of the list's item — decides the procedures it proposed;
the credit office decides the others, on its own basis; either way the organ is the deciding
account's organisation (``deciding_organ``). Every other step — notice, objection answer,
service, publication, early removal — is taken by the credit office, the competent department
that runs the list on the provincial platform (Art. 26 ¶2 publishes "through the provincial
platform"). The subject states, defends and objects for itself; the credit office
may also record a statement it received on paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from xinyong.accounts import service as accounts
from xinyong.calendar import service as calendar
from xinyong.catalogue.sources import is_source
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import local_date
from xinyong.core.errors import (
    CalendarNotCovered,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from xinyong.core.permissions import require
from xinyong.core.rows import from_row
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
#: Roles whose organisation may be the deciding organ (``deciding_organ``).
DECIDERS = frozenset({Role.INQUIRER, Role.CREDIT_OFFICE})


@dataclass(frozen=True, slots=True)
class Organ:
    """The organ a decision is recorded from: the deciding account's own organisation."""

    id: int
    name: str
    uscc: str


def own_organ(
    session: Session, actor: Actor, *, claimed_uscc: str | None, field: str = "deciding_org_uscc"
) -> Organ:
    """The acting account's organisation as a decision names it, with its USCC on file. A USCC
    the request still carries (older clients) must be that organisation's own."""
    org = accounts.organisation_by_id(session, actor.org_id) if actor.org_id else None
    if org is None or not org.uscc:
        code = org.code if org else (actor.org_code or "—")
        raise InvalidInput(
            f"机构 {code} 未登记统一社会信用代码，决定书无法载明作出决定的机关 / organisation "
            f"{code} has no USCC on file, so the decision cannot name it (xinyong org add "
            "--uscc)",
            code="deciding_org_uscc_missing",
            details=[{"field": "organisation", "reason": "no USCC on file"}],
        )
    if claimed_uscc is not None and claimed_uscc.strip().upper() != org.uscc:
        raise InvalidInput(
            "作出决定的机关取自决定账号所属机构，不能另行指定 / the deciding organ is the "
            "deciding account's own organisation; the request cannot name another",
            code="deciding_org_not_own",
            details=[{"field": field, "reason": "not the account's organisation"}],
        )
    return Organ(id=org.id, name=org.name, uscc=org.uscc)


def deciding_organ(
    session: Session, actor: Actor, p: ListProcedure, *, claimed_uscc: str | None = None
) -> Organ:
    """The account's organisation, if it holds the authority to decide ``p`` (Art. 25, 26;
    ``rules.organ_may_decide``): a listing department registered as a collection source of the
    list's item, or the credit office. The organ is never taken from the request: a USCC the
    request still carries must be the organisation's own."""
    require_role(actor, DECIDERS, "作出认定决定")
    item = p.list_kind.value
    org = accounts.organisation_by_id(session, actor.org_id) if actor.org_id else None
    proposer_is_listing = is_source(session, item_code=item, org_id=p.proposing_org_id)
    allowed = org is not None and rules.organ_may_decide(
        actor_is_office=actor.role is Role.CREDIT_OFFICE,
        actor_is_proposer=actor.org_id == p.proposing_org_id,
        actor_is_listing=is_source(session, item_code=item, org_id=actor.org_id),
        proposer_is_listing=proposer_is_listing,
    )
    if org is None or not allowed:
        raise rules.NotTheDecidingOrgan(
            "本单位无权作出该认定决定：由在册认定部门（名单信息项的采集来源）或信用主管部门作出"
            + ("，本程序由提议的认定部门决定" if proposer_is_listing else "")
            + " / your organisation may not take this decision: a registered listing "
            "department (a collection source of the list's item) or the credit office decides"
            + ("; this procedure is decided by the listing department that proposed it"
               if proposer_is_listing else ""),
            details=[{"field": "organisation", "reason": actor.org_code or "none"}],
        )  # fmt: skip
    return own_organ(session, actor, claimed_uscc=claimed_uscc)


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
    """A procedure its reader may see; the administrators never (PLT-1, :mod:`permissions`)."""
    require(actor, "lists:read")
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
    return from_row(
        EntryRead,
        e,
        subject=subject_brief(session, e.subject_id),
        legal_representative=person_brief(session, e.legal_representative_subject_id),
        status=rules.effective_status(e.status, e.period_end_on, today).value,
    )


def _step(s: ListProcedureStep) -> StepRead:
    found = rules.TRANSITIONS.get((s.from_state, s.to_state)) if s.from_state else None
    return from_row(StepRead, s, actor=s.actor_name, article=found.article if found else "Art. 25")


def _statement(s: ListStatement) -> StatementRead:
    return from_row(StatementRead, s, by=s.by_name)


def procedure_read(
    session: Session, p: ListProcedure, *, at: datetime, detail: bool = False
) -> ProcedureRead:
    today = local_date(at)
    left = days_left(session, today, p.due_on)
    deadline = rules.step_deadline(p.state)
    zh, en = rules.GROUND_TEXTS[p.ground]
    read = from_row(
        ProcedureRead,
        p,
        subject=subject_brief(session, p.subject_id),
        legal_representative=person_brief(session, p.legal_representative_subject_id),
        proposing_org=p.proposing_org_name,
        proposed_by=p.proposed_by_name,
        ground_text=f"{zh} / {en}",
        due_what=f"{deadline.due_zh} / {deadline.due_en}" if deadline and p.due_on else None,
        working_days_left=left,
        overdue=p.due_on is not None and today > p.due_on,
        deciding_org=p.deciding_org_name,
        next_steps=[s.value for s in rules.next_states(p.state)],
    )
    if detail:
        read.steps = [_step(s) for s in repo.steps(session, p.id)]
        read.statements = [_statement(s) for s in repo.statements(session, p.id)]
        read.documents = [
            from_row(DocumentBrief, d, pdf_url=f"/api/v1/documents/{d.number}.pdf")
            for d in documents.documents_about(
                session, object_type="list_procedure", object_id=p.id
            )
        ]
        entry = repo.entry_of(session, p.id)
        read.entry = entry_read(session, entry, today=today) if entry else None
    return read


def red_list_read(session: Session, e: RedListEntry, *, today: date) -> RedListRead:
    return from_row(
        RedListRead,
        e,
        subject=subject_brief(session, e.subject_id),
        adopted_by=e.adopted_by_name,
        in_force=e.published_at is not None
        and rules.red_list_valid(e.valid_until, e.adopted_on, today),
    )
