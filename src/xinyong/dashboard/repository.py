"""Aggregations of the dashboard, each one grouped query (never a loop over rows). Read-only,
never commits.

Months are bucketed by bounds computed in Python (``rules.months``), as a ``CASE`` over the
bucket ends: the same SQL on SQLite and PostgreSQL, right in the platform's time zone, and
served by a plain index on the timestamp. Grouping happens over a subquery so that both
databases see one grouping column (PostgreSQL refuses to match two ``CASE`` expressions whose
parameters are numbered apart). Rules owned by other contexts come in as their SQL clauses.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any, TypeVar, cast

from sqlalchemy import (
    ColumnElement,
    Integer,
    SQLColumnExpression,
    case,
    func,
    literal,
    select,
)
from sqlalchemy.orm import Session

from xinyong.accounts.models import Organisation
from xinyong.accounts.rules import OrgKind
from xinyong.inquiry.models import Inquiry
from xinyong.lists import service as lists
from xinyong.lists.models import EntryStatus, ListEntry, ListKind, ListProcedure, RedListEntry
from xinyong.objections import service as objections
from xinyong.objections.models import Objection, ObjectionStatus
from xinyong.records.models import Record

#: Classes of an objection in the monthly table.
DECIDED_LATE, DECIDED_ON_TIME, OPEN_OVERDUE, OPEN_PENDING = 0, 1, 2, 3


#: The organisations a filtered dashboard counts (``None``: every one, nothing filtered).
Orgs = Collection[int] | None


Q = TypeVar("Q")


def _within(query: Q, column: SQLColumnExpression[Any], orgs: Orgs) -> Q:
    """``query`` (a ``Select``) limited to rows whose ``column`` names one of ``orgs`` (when
    filtered); typed by its argument so that the rows keep their column types."""
    if orgs is None:
        return query
    select_: Any = query
    return cast(Q, select_.where(column.in_(sorted(orgs))))


def provider_by_code(session: Session, code: str) -> tuple[int, str, str | None] | None:
    """(id, name, region) of the provider organisation ``code``, if there is one."""
    row = session.execute(
        select(Organisation.id, Organisation.name, Organisation.region).where(
            Organisation.code == code, Organisation.kind == OrgKind.PROVIDER
        )
    ).first()
    return None if row is None else (int(row[0]), str(row[1]), row[2])


def providers(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every provider organisation, by name (the filter's choices)."""
    query = (
        select(Organisation.code, Organisation.name)
        .where(Organisation.kind == OrgKind.PROVIDER)
        .order_by(Organisation.name, Organisation.code)
    )
    return [(str(c), str(n)) for c, n in session.execute(query)]


def org_regions(session: Session) -> list[tuple[int, str]]:
    """(id, region) of every organisation that has a region."""
    query = select(Organisation.id, Organisation.region).where(Organisation.region.is_not(None))
    return [(int(i), str(r)) for i, r in session.execute(query)]


def bucket(column: SQLColumnExpression[Any], ends: Sequence[object]) -> ColumnElement[int]:
    """Index of the first bucket whose (exclusive) end lies after ``column``."""
    return case(
        *[(column < end, literal(i, Integer)) for i, end in enumerate(ends)],
        else_=literal(len(ends), Integer),
    )


def deliveries(
    session: Session, *, since: datetime, until: datetime, ends: Sequence[datetime],
    orgs: Orgs = None,
) -> list[tuple[int, int, int]]:  # fmt: skip
    """(bucket, provider org id, records received) of records from providers."""
    inner = _within(
        select(
            bucket(Record.received_at, ends).label("b"),
            Record.provider_org_id.label("org"),
        ).where(
            Record.received_at >= since,
            Record.received_at < until,
            Record.provider_org_id.is_not(None),
        ),
        Record.provider_org_id,
        orgs,
    ).subquery()
    query = select(inner.c.b, inner.c.org, func.count()).group_by(inner.c.b, inner.c.org)
    return [(int(b), int(org), int(n)) for b, org, n in session.execute(query)]


def objections_by_month(
    session: Session,
    *,
    first: date,
    last: date,
    ends: Sequence[date],
    today: date,
    orgs: Orgs = None,
) -> list[tuple[int, int, int]]:
    """(bucket of the due date, class, objections) for objections due inside the range."""
    klass = case(
        (objections.decided_late_clause(), literal(DECIDED_LATE, Integer)),
        (Objection.status == ObjectionStatus.DECIDED, literal(DECIDED_ON_TIME, Integer)),
        (objections.overdue_clause(today), literal(OPEN_OVERDUE, Integer)),
        else_=literal(OPEN_PENDING, Integer),
    )
    inner = _within(
        select(bucket(Objection.due_on, ends).label("b"), klass.label("k")).where(
            Objection.due_on >= first, Objection.due_on <= last
        ),
        Objection.provider_org_id,
        orgs,
    ).subquery()
    query = select(inner.c.b, inner.c.k, func.count()).group_by(inner.c.b, inner.c.k)
    return [(int(b), int(k), int(n)) for b, k, n in session.execute(query)]


def objections_now(
    session: Session, *, today: date, soon_until: date | None, orgs: Orgs = None
) -> tuple[int, int, int]:
    """(open, overdue, due from today up to ``soon_until``) over every undecided objection."""
    overdue = objections.overdue_clause(today)
    soon = (
        case((Objection.due_on.between(today, soon_until), 1), else_=0)
        if soon_until is not None
        else literal(0, Integer)
    )
    query = select(
        func.count(),
        func.coalesce(func.sum(case((overdue, 1), else_=0)), 0),
        func.coalesce(func.sum(soon), 0),
    ).where(objections.open_clause())
    row = session.execute(_within(query, Objection.provider_org_id, orgs)).one()
    return int(row[0]), int(row[1]), int(row[2])


def overdue_by_handler(
    session: Session, *, today: date, orgs: Orgs = None
) -> list[tuple[int | None, int]]:
    """(handling provider org id, or ``None`` for the credit office; overdue objections)."""
    query = _within(
        select(Objection.provider_org_id, func.count()).where(objections.overdue_clause(today)),
        Objection.provider_org_id,
        orgs,
    ).group_by(Objection.provider_org_id)
    return [(None if org is None else int(org), int(n)) for org, n in session.execute(query)]


def inquiries_by_purpose(
    session: Session, *, since: datetime, until: datetime, orgs: Orgs = None
) -> list[tuple[str, str, int]]:
    """(purpose, outcome, inquiries) logged inside the range (``ix_inquiry_at``); filtered:
    the inquiries the organisations made."""
    query = _within(
        select(Inquiry.purpose, Inquiry.outcome, func.count()).where(
            Inquiry.at >= since, Inquiry.at < until
        ),
        Inquiry.org_id,
        orgs,
    ).group_by(Inquiry.purpose, Inquiry.outcome)
    return [(str(p), str(o), int(n)) for p, o, n in session.execute(query)]


#: States of a serious dishonesty entry, as the dashboard counts them.
SD_STATES = (EntryStatus.ACTIVE.value, EntryStatus.ENDED.value, EntryStatus.REMOVED.value)
#: States of a red list entry.
RED_STATES = ("in_force", "upcoming", "expired", "unpublished")


def _in_range(column: SQLColumnExpression[Any], since: object, until: object) -> ColumnElement[int]:
    return case(((column >= since) & (column < until), 1), else_=0)


def serious_dishonesty_states(
    session: Session, *, today: date, since: datetime, until: datetime, orgs: Orgs = None
) -> list[tuple[str, int, int]]:
    """(state on ``today``, entries, of which published in the range); filtered: the entries
    whose procedure the organisations proposed."""
    state = case(
        (ListEntry.status == EntryStatus.REMOVED, literal(2, Integer)),
        (lists.entry_ended_clause(today), literal(1, Integer)),
        else_=literal(0, Integer),
    )
    query = select(
        state.label("s"), _in_range(ListEntry.published_at, since, until).label("r")
    ).where(ListEntry.list_kind == ListKind.SERIOUS_DISHONESTY)
    if orgs is not None:
        proposed = select(ListProcedure.id).where(ListProcedure.proposing_org_id.in_(sorted(orgs)))
        query = query.where(ListEntry.procedure_id.in_(proposed))
    inner = query.subquery()
    query = select(inner.c.s, func.count(), func.sum(inner.c.r)).group_by(inner.c.s)
    return [(SD_STATES[int(s)], int(n), int(r or 0)) for s, n, r in session.execute(query)]


def red_list_states(
    session: Session, *, today: date, first: date, last: date, orgs: Orgs = None
) -> list[tuple[str, int, int]]:
    """(state on ``today``, entries, of which adopted in the range); filtered: the entries the
    organisations adopted."""
    state = case(
        (RedListEntry.published_at.is_(None), literal(3, Integer)),
        (lists.red_list_in_force_clause(today), literal(0, Integer)),
        (RedListEntry.adopted_on > today, literal(1, Integer)),
        else_=literal(2, Integer),
    )
    adopted = case(
        ((RedListEntry.adopted_on >= first) & (RedListEntry.adopted_on <= last), 1), else_=0
    )
    inner = _within(
        select(state.label("s"), adopted.label("r")), RedListEntry.adopted_by_org_id, orgs
    ).subquery()
    query = select(inner.c.s, func.count(), func.sum(inner.c.r)).group_by(inner.c.s)
    return [(RED_STATES[int(s)], int(n), int(r or 0)) for s, n, r in session.execute(query)]
