"""Use cases of the register of credit service institutions (Art. 37–39; CSI-1).

The credit office files an institution organisation, changes the filing's status (suspend,
reinstate, revoke, deregister — :mod:`xinyong.institutions.rules`) and records its supervision;
anyone reads the register (the filing and its current status); the office and the institution
itself also see the contact and the status history; supervision records are the office's.

:func:`may_inquire` is what the inquiry context asks before an authorized inquiry: an
institution whose filing is not active is refused (Art. 16, 38; CSI-2).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from xinyong.accounts.models import Organisation
from xinyong.accounts.rules import OrgKind
from xinyong.audit.service import record_event, record_row_event
from xinyong.core import identifiers as ids
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import local_date
from xinyong.core.errors import Conflict, InvalidInput, RuleViolation
from xinyong.core.permissions import require
from xinyong.documents.service import take_number
from xinyong.institutions import repository as repo
from xinyong.institutions import rules
from xinyong.institutions.models import InstitutionFiling, StatusChange, SupervisionRecord
from xinyong.institutions.register import (
    MAX_EXPORT,
    MAX_PER_PAGE,
    filing_detail,
    filing_status,
    get_filing,
    inquiry_bar,
    invalid,
    list_filings,
    list_supervision,
    load_filing,
    register_rows,
    supervision_read,
    unfiled_institutions,
)
from xinyong.institutions.rules import FilingStatus
from xinyong.institutions.schemas import (
    FilingCreate,
    FilingDetail,
    StatusChangeCreate,
    SupervisionCreate,
    SupervisionRead,
)
from xinyong.subjects.service import check_identifier

__all__ = [
    "CREATION_REASON",
    "MAX_EXPORT",
    "MAX_PER_PAGE",
    "OPERATOR",
    "change_status",
    "check_filing_uscc",
    "file_institution",
    "file_on_creation",
    "filing_status",
    "get_filing",
    "inquiry_bar",
    "list_filings",
    "list_supervision",
    "record_supervision",
    "register_rows",
    "unfiled_institutions",
]

#: Why a filing made with its organisation from the command line exists (file_on_creation).
CREATION_REASON = (
    "添加信用服务机构时由本机操作员一并备案 / filed by the local operator when the "
    "institution organisation was added"
)


#: The local operator filing from the command line: shell access to the server is trusted like
#: the credit office's (as for ``xinyong webhooks``).
OPERATOR = Actor(
    role=Role.CREDIT_OFFICE, username="cli", display_name="本机操作员 local operator (cli)"
)


class NotAnInstitution(InvalidInput, code="not_an_institution"): ...


class AlreadyFiled(Conflict, code="institution_already_filed"): ...


class UsccAlreadyFiled(Conflict, code="uscc_already_filed"): ...


class IllegalTransition(RuleViolation, code="illegal_status_transition"): ...


def _actor_name(actor: Actor) -> str:
    return actor.display_name or actor.username


def _institution_org(session: Session, org_code: str) -> Organisation:
    org = repo.organisation_by_code(session, org_code.strip())
    if org is None:
        raise invalid(
            "org",
            f"机构 {org_code} 不存在 / no organisation {org_code}",
            code="unknown_organisation",
        )
    if org.kind is not OrgKind.INSTITUTION:
        raise NotAnInstitution(
            f"机构 {org.code} 不是信用服务机构（类型 {org.kind.value}）/ organisation {org.code} "
            f"is a {org.kind.value}, not a credit service institution",
            details=[{"field": "org", "reason": "not of kind institution"}],
        )
    if repo.filing_of_org(session, org.id) is not None:
        raise AlreadyFiled(f"机构 {org.code} 已备案 / organisation {org.code} is already filed")
    return org


def check_filing_uscc(session: Session, value: str) -> str:
    """The normalised USCC of a filing to be made: valid (SUB-2) and not filed yet."""
    return _uscc(session, value)


def _uscc(session: Session, value: str) -> str:
    result = check_identifier(session, value, kind=ids.IdentifierKind.USCC)
    if not result.valid or result.normalized is None:
        raise invalid(
            "uscc", result.error or "统一社会信用代码无效 / invalid USCC", code="invalid_uscc"
        )
    if repo.filing_by_uscc(session, result.normalized) is not None:
        raise UsccAlreadyFiled(
            f"统一社会信用代码 {result.normalized} 已有备案 / the USCC {result.normalized} is "
            "already filed",
            details=[{"field": "uscc", "reason": "already filed"}],
        )
    return result.normalized


def _file(
    session: Session,
    *,
    actor: Actor,
    org: Organisation,
    reason: str,
    at: datetime,
    **particulars: Any,
) -> FilingDetail:
    """File ``org`` with its ``particulars``, active from ``at`` under a new filing number
    ``XYFW-<year>-<seq>``; kept as history and audited like any status change."""
    filing = InstitutionFiling(
        org_id=org.id,
        org_code=org.code,
        **particulars,
        filing_number=take_number(session, prefix=rules.FILING_PREFIX, at=at),
        status=FilingStatus.ACTIVE,
        status_at=at,
        created_at=at,
    )
    try:
        with session.begin_nested():
            repo.add(session, filing)
    except IntegrityError:
        # A concurrent filing of the same organisation or USCC won the race.
        raise AlreadyFiled(
            f"机构 {filing.org_code} 或其信用代码已备案 / organisation {filing.org_code} or its "
            "USCC is already filed"
        ) from None
    return _status_set(
        session, actor=actor, filing=filing, was=None, action="create", reason=reason, at=at
    )


def _status_set(
    session: Session,
    *,
    actor: Actor,
    filing: InstitutionFiling,
    was: FilingStatus | None,
    action: str,
    reason: str,
    at: datetime,
    before: dict[str, Any] | None = None,
) -> FilingDetail:
    """Keep the filing's move from ``was`` (``None``: just filed) to its status as history and
    audit it (``institutions:filing:{action}``); the filing as it now stands."""
    repo.add(
        session,
        StatusChange(
            filing_id=filing.id,
            at=at,
            from_status=was,
            to_status=filing.status,
            reason=reason,
            actor_user_id=actor.user_id,
            actor_name=_actor_name(actor),
        ),
    )
    detail = filing_detail(session, filing)
    record_row_event(
        session,
        filing,
        actor=actor,
        tag=f"institutions:filing:{action}",
        at=at,
        before=before,
        after=detail.model_dump(mode="json"),
        reason=reason,
    )
    session.flush()
    return detail


def file_institution(
    session: Session, *, actor: Actor, data: FilingCreate, at: datetime
) -> FilingDetail:
    """File a credit service institution (Art. 37): its particulars, a filing number
    ``XYFW-<year>-<seq>``; the filing is active from now. 409 if already filed."""
    require(actor, "institutions:file")
    org = _institution_org(session, data.org)
    uscc = _uscc(session, data.uscc)
    filed_on = data.filed_on or local_date(at)
    if problem := rules.filed_on_problem(filed_on, local_date(at)):
        raise invalid("filed_on", problem)
    return _file(
        session,
        actor=actor,
        org=org,
        reason="备案 / filed",
        at=at,
        uscc=uscc,
        name=data.name,
        legal_representative=data.legal_representative,
        registered_address=data.registered_address,
        services=sorted({s.value for s in data.services}),
        business_scope=data.business_scope,
        contact=data.contact,
        filed_on=filed_on,
    )


def file_on_creation(
    session: Session, *, actor: Actor, org_code: str, at: datetime, uscc: str | None = None
) -> FilingDetail:
    """File an institution organisation as active at the moment it is added from the command
    line (``xinyong org add --kind institution``), so that an institution set up by the local
    operator can work at once; its name is the organisation's, the other particulars are left
    for the credit office to complete. Recorded and audited like any filing."""
    require(actor, "institutions:file")
    org = _institution_org(session, org_code)
    return _file(
        session,
        actor=actor,
        org=org,
        reason=CREATION_REASON,
        at=at,
        uscc=_uscc(session, uscc) if uscc else None,
        name=org.name,
        services=[],
        filed_on=local_date(at),
    )


def change_status(
    session: Session, *, actor: Actor, filing_id: int, data: StatusChangeCreate, at: datetime
) -> FilingDetail:
    """Suspend, reinstate, revoke or deregister a filing (Art. 37), with a reason; the change
    is kept as history and audited. Revoked and deregistered filings are final (422)."""
    require(actor, "institutions:file")
    filing = load_filing(session, filing_id)
    if problem := rules.reason_problem(data.reason):
        raise invalid("reason", problem, code="reason_missing")
    current = filing.status
    if not rules.transition_allowed(current, data.status):
        raise IllegalTransition(
            f"备案状态不能从 {current.value} 变为 {data.status.value} / a filing cannot go from "
            f"{current.value} to {data.status.value}",
            details=[
                {
                    "field": "status",
                    "reason": f"allowed from {current.value}: "
                    + (", ".join(sorted(rules.TRANSITIONS[current])) or "none (final)"),
                }
            ],
        )
    before = filing_detail(session, filing).model_dump(mode="json")
    filing.status, filing.status_at = data.status, at
    return _status_set(
        session,
        actor=actor,
        filing=filing,
        was=current,
        action="status",
        reason=data.reason,
        at=at,
        before=before,
    )


def record_supervision(
    session: Session, *, actor: Actor, filing_id: int, data: SupervisionCreate, at: datetime
) -> SupervisionRead:
    """Record an act of supervision of an institution (Art. 37, 38); kept for good, audited."""
    require(actor, "institutions:supervise")
    filing = load_filing(session, filing_id)
    if problem := rules.supervised_on_problem(data.supervised_on, local_date(at)):
        raise invalid("supervised_on", problem)
    row = SupervisionRecord(
        filing_id=filing.id,
        **data.model_dump(),
        recorded_at=at,
        recorded_by_user_id=actor.user_id,
        recorded_by_name=_actor_name(actor),
    )
    repo.add(session, row)
    read = supervision_read(row)
    record_event(
        session,
        actor=actor,
        tag="institutions:supervision:record",
        at=at,
        object_type="institution_supervision",
        object_id=row.id,
        after=read.model_dump(mode="json"),
    )
    session.flush()
    return read
