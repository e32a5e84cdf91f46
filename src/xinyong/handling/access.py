"""Who may see and decide a case, and how its deadline reads (objections, corrections,
repairs).

A case is routed to the organisation that provided its record: that unit handles it, the
credit office oversees and may handle any, the subject sees its own; anyone else is answered
404, so that a case's existence does not leak.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy.orm import Session

from xinyong.accounts.models import Organisation
from xinyong.calendar import service as calendar
from xinyong.core.actor import Actor, Role
from xinyong.core.errors import (
    CalendarNotCovered,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)

#: The roles of a unit that handles the cases routed to it.
HANDLER_ROLES = (Role.PROVIDER, Role.INSTITUTION)
#: The roles that list cases: their subject, their handling unit, the credit office.
LISTING_ROLES = (Role.SUBJECT, *HANDLER_ROLES, Role.CREDIT_OFFICE)
#: The credit office, as handler names and notices call it.
CREDIT_OFFICE_NAME = "信用主管部门 credit office"


class Case(Protocol):
    """What every case has (an ORM row of objections, corrections or repairs)."""

    id: int
    subject_id: int
    provider_org_id: int | None
    due_on: date
    escalated_at: datetime | None


C = TypeVar("C", bound=Case)


def signed_in(actor: Actor) -> None:
    if actor.is_anonymous:
        raise NotAuthenticated("Log in to do this. 请先登录。")


def is_handler(actor: Actor, case: Case) -> bool:
    """The record's provider handles the case; the credit office oversees and may too."""
    if actor.role is Role.CREDIT_OFFICE:
        return True
    return (
        actor.role in HANDLER_ROLES
        and actor.org_id is not None
        and case.provider_org_id == actor.org_id
    )


def visible(actor: Actor, case: Case) -> bool:
    if actor.role is Role.SUBJECT:
        return actor.subject_id is not None and case.subject_id == actor.subject_id
    return is_handler(actor, case)


def load_case(session: Session, actor: Actor, model: type[C], case_id: int, *, missing: str) -> C:
    """The case, or 404 (``missing``) for anyone who may not see it (no existence leak)."""
    signed_in(actor)
    case = session.get(model, case_id)
    if case is None or not visible(actor, case):
        raise NotFound(missing)
    return case


def require_handler(actor: Actor, case: Case, *, refused: str) -> None:
    """403 (``refused``) unless the actor handles the case."""
    if not is_handler(actor, case):
        raise PermissionDenied(refused)


def routed_to(record: Any) -> dict[str, Any]:
    """A case about ``record`` is its subject's, and goes to the unit that provided it."""
    return {
        "record_id": record.id,
        "subject_id": record.subject_id,
        "provider_org_id": record.provider_org_id,
    }


@dataclass(frozen=True)
class CaseKind(Generic[C]):
    """How one kind of case is found and handled: its table, its 404 (``missing``, with
    ``{id}``), its 403 for who does not handle it, and when it is closed to handling."""

    model: type[C]
    missing: str
    refused: str
    is_open: Callable[[C], bool]
    closed: Callable[[C], Exception]

    def load(self, session: Session, actor: Actor, case_id: int) -> C:
        """The case, or 404 for anyone who may not see it (no existence leak)."""
        return load_case(
            session, actor, self.model, case_id, missing=self.missing.format(id=case_id)
        )

    def load_handled(self, session: Session, actor: Actor, case_id: int) -> C:
        """The case, to its handler, while it is open."""
        case = self.load(session, actor, case_id)
        require_handler(actor, case, refused=self.refused)
        if not self.is_open(case):
            raise self.closed(case)
        return case


@dataclass(frozen=True)
class ListScope:
    """Which cases a listing shows: a unit's, a subject's, or (credit office) all."""

    provider_org_id: int | None
    subject_id: int | None
    everything: bool


def listing_scope(
    actor: Actor, status: str | None, statuses: Iterable[str], *, what: tuple[str, str]
) -> tuple[ListScope, str | None]:
    """Check who lists ``what`` (its Chinese and English names) and the status filter
    (``open`` or one of ``statuses``); the scope and the filter (``None``: every status)."""
    signed_in(actor)
    allowed = [*statuses, "open"]
    if status not in (None, "", *allowed):
        raise InvalidInput(
            f"未知状态 {status} / unknown status {status}",
            details=[{"field": "status", "reason": " | ".join(allowed)}],
        )
    if actor.role not in LISTING_ROLES:
        role = actor.role.value
        raise PermissionDenied(
            f"角色 {role} 无权查看{what[0]} / the role {role} may not list {what[1]}"
        )
    scope = ListScope(
        provider_org_id=actor.org_id if actor.role in HANDLER_ROLES else None,
        subject_id=actor.subject_id if actor.role is Role.SUBJECT else None,
        everything=actor.role is Role.CREDIT_OFFICE,
    )
    return scope, status or None


def working_days(session: Session) -> Callable[[date, int], date]:
    """The deadline ``n`` working days after a start, on the platform calendar."""
    return lambda start, n: calendar.deadline(session, start=start, working_days=n)


def days_left(session: Session, *, today: date, due: date, done: bool) -> int | None:
    """Working days left until ``due`` (negative: overdue); ``None`` once the case is done or
    where the calendar does not reach."""
    if done:
        return None
    try:
        return calendar.working_days_left(session, today=today, due=due)
    except CalendarNotCovered:
        return None


def org_name(session: Session, org_id: int | None) -> str:
    """The handling unit's name (the credit office when none)."""
    if org_id is None:
        return CREDIT_OFFICE_NAME
    org = session.get(Organisation, org_id)
    return org.name if org is not None else f"#{org_id}"
