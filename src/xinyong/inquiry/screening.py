"""What an inquiry's screening reads (Art. 18–20; INQ-1, INQ-3), in one statement.

Before an inquiry is answered the service checks, in order: the account's harvesting block,
its daily cap, whether the purpose is in force, whether it is enumerating the register, and
whether the code names a subject (``service._screen``). Each check reads the database. Read one
by one they were six ORM statements on the hottest write path of the platform; here they are
one ``SELECT`` of scalar subqueries, built once at import and bound per inquiry, all read in
the inquiry's transaction as before. The rules that judge the facts stay in ``rules`` and
``purposes``; this module only reads.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    bindparam,
    distinct,
    exists,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy.orm import Session

from xinyong.db.statements import run
from xinyong.inquiry.models import Inquiry, InquiryCap, InquiryPurpose, PurposeStatus
from xinyong.inquiry.purposes import ANSWERED_ON_DAY, DEFAULT_SCOPE
from xinyong.inquiry.repository import INQUIRY_CHANNELS
from xinyong.subjects.models import Subject
from xinyong.violations.models import Violation, ViolationKind


class Facts(NamedTuple):
    """What the screening of one inquiry by one account needs to know, read at once."""

    #: When the account's latest harvesting alert within the cool-down was raised (None: none).
    alert_at: datetime | None
    #: The office's cap for this account, and its default for all accounts (None: not set).
    account_cap: int | None
    default_cap: int | None
    #: Inquiries answered to the account on the platform day (capped channels; its counter).
    answered_today: int
    #: Distinct subjects the account asked about within the harvesting window, and whether
    #: the subject asked about now is among them.
    recent_distinct: int
    asked_before: bool
    #: The office's status of the purpose (None: no row; the shipped state holds).
    purpose_status: PurposeStatus | None
    #: The subject the code names (None: no subject of the register has that code).
    subject: SubjectBrief | None


class SubjectBrief(NamedTuple):
    id: int
    code: str
    name: str
    type: str


def _asked(since: str) -> list[ColumnElement[bool]]:
    """The account's inquiries proper (not logged looks) from bind ``since`` until ``at``."""
    return [
        Inquiry.user_id == bindparam("user_id"),
        Inquiry.at >= bindparam(since),
        Inquiry.at <= bindparam("at"),
        # Constants, written into the statement: no list of binds to expand per inquiry.
        Inquiry.channel.in_([literal_column(f"'{c.value}'") for c in INQUIRY_CHANNELS]),
    ]


_ALERT_AT = (
    select(func.max(Violation.at))
    .where(
        Violation.kind == ViolationKind.HARVESTING,
        Violation.user_id == bindparam("user_id"),
        Violation.at >= bindparam("cooldown_since"),
        Violation.at <= bindparam("at"),
    )
    .scalar_subquery()
)
_ACCOUNT_CAP = (
    select(InquiryCap.per_day).where(InquiryCap.scope == bindparam("scope")).scalar_subquery()
)
_DEFAULT_CAP = select(InquiryCap.per_day).where(InquiryCap.scope == DEFAULT_SCOPE).scalar_subquery()
_RECENT_DISTINCT = (
    select(func.count(distinct(Inquiry.subject_code)))
    .where(*_asked("window_since"))
    .scalar_subquery()
)
_ASKED_BEFORE = exists().where(
    *_asked("window_since"),
    Inquiry.subject_code == bindparam("code"),
)
_PURPOSE_STATUS = (
    select(InquiryPurpose.status)
    .where(InquiryPurpose.code == bindparam("purpose"))
    .scalar_subquery()
)
_ONE = select(literal(1).label("one")).subquery()
_FACTS = (
    select(
        _ALERT_AT,
        _ACCOUNT_CAP,
        _DEFAULT_CAP,
        ANSWERED_ON_DAY,
        _RECENT_DISTINCT,
        _ASKED_BEFORE,
        _PURPOSE_STATUS,
        Subject.id,
        Subject.code,
        Subject.name,
        Subject.type,
    )
    .select_from(_ONE)
    .outerjoin(Subject, Subject.code == bindparam("code"))
)


def facts(
    session: Session,
    *,
    user_id: int,
    code: str,
    purpose: str,
    at: datetime,
    cooldown_since: datetime,
    window_since: datetime,
    day_start: datetime,
) -> Facts:
    """The screening facts of an inquiry by ``user_id`` about ``code`` for ``purpose`` at
    ``at`` (one round trip, in the caller's transaction)."""
    row: Any = run(
        session,
        _FACTS,
        {
            "user_id": user_id,
            "scope": f"user:{user_id}",
            "code": code,
            "purpose": purpose,
            "at": at,
            "cooldown_since": cooldown_since,
            "window_since": window_since,
            # The platform day's counter, not a count of the day's log rows.
            "day": day_start.date(),
        },
    ).one()
    subject = None if row[7] is None else SubjectBrief(row[7], row[8], row[9], row[10])
    return Facts(row[0], row[1], row[2], int(row[3]), int(row[4]), bool(row[5]), row[6], subject)
