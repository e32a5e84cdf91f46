"""Reading the inquiry log (Art. 20, 31; INQ-2).

Auditors read all of it, with filters (``audit:read``); the read is itself audited, because the
log tells who looked at whom. A subject reads the answered inquiries about itself: which
organisation, why, when, through which channel, which items — not the staff member's name
(Art. 31 gives the subject the right to know who used its information; the unit answers for its
staff). Refused inquiries disclosed nothing and are the auditors' business.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from xinyong.audit.service import record_event
from xinyong.core import identifiers as ids
from xinyong.core.actor import Actor
from xinyong.core.clock import PLATFORM_ZONE
from xinyong.core.errors import InvalidInput
from xinyong.core.permissions import require
from xinyong.core.rows import from_row
from xinyong.inquiry import repository as repo
from xinyong.inquiry.consents import own_subject_id
from xinyong.inquiry.models import Inquiry, Outcome
from xinyong.inquiry.schemas import (
    InquiryLogPage,
    InquiryLogQuery,
    InquiryLogRead,
    SubjectInquiries,
    SubjectInquiryRead,
)

MAX_PER_PAGE = 200
#: Rows one CSV export may hold; narrow the filters for more.
MAX_EXPORT = 50_000


def log_read(row: Inquiry) -> InquiryLogRead:
    return from_row(
        InquiryLogRead, row, items=list(row.items or []), record_ids=list(row.record_ids or [])
    )


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=PLATFORM_ZONE)


def _filter(q: InquiryLogQuery) -> repo.LogFilter:
    if q.since and q.until and q.until < q.since:
        raise InvalidInput(
            "筛选条件无效：结束日期早于开始日期 / invalid filters: until is before since",
            details=[{"field": "until", "reason": "not before since"}],
        )
    return repo.LogFilter(
        subject_code=ids.normalize_identifier(q.subject) if q.subject else None,
        org_code=(q.org or "").strip() or None,
        purpose=(q.purpose or "").strip() or None,
        outcome=Outcome(q.outcome) if q.outcome else None,
        since=_start_of(q.since) if q.since else None,
        # ``until`` is a whole day: inquiries up to its end.
        until=_start_of(q.until + timedelta(days=1)) if q.until else None,
    )


def inquiries_for_auditor(
    session: Session,
    *,
    actor: Actor,
    at: datetime,
    filters: InquiryLogQuery | None = None,
    page: int = 1,
    per_page: int = 50,
    export: bool = False,
) -> InquiryLogPage:
    """The inquiry log for auditors (INQ-2), filtered, sorted and paged; ``export`` returns
    up to :data:`MAX_EXPORT` rows in one page (CSV). The read is audited."""
    require(actor, "audit:read")
    q = filters or InquiryLogQuery()
    if export:
        page, per_page = 1, MAX_EXPORT
    elif page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInput(
            f"分页参数无效 / invalid paging: page ≥ 1, per_page 1–{MAX_PER_PAGE}",
            details=[{"field": "page", "reason": f"page ≥ 1, per_page 1–{MAX_PER_PAGE}"}],
        )
    f = _filter(q)
    rows, total = repo.log_page(
        session, f, sort=q.sort, descending=q.order == "desc",
        offset=(page - 1) * per_page, limit=per_page,
    )  # fmt: skip
    record_event(
        session, actor=actor, tag=f"inquiry:log:{'export' if export else 'read'}", at=at,
        object_type="inquiry_log",
        after={**q.model_dump(mode="json"), "page": page, "rows": len(rows)},
    )  # fmt: skip
    session.flush()
    pages = max(1, -(-total // per_page))
    return InquiryLogPage(items=[log_read(r) for r in rows], total=total, page=page, pages=pages)


def my_inquiries(session: Session, *, actor: Actor) -> SubjectInquiries:
    """Who looked at my information, and why (Art. 31; INQ-2): newest first."""
    subject_id = own_subject_id(session, actor)
    if subject_id is None:
        return SubjectInquiries(items=[])
    return SubjectInquiries(
        items=[
            SubjectInquiryRead(
                organisation=row.org_name or row.org_code or "—",
                purpose=row.purpose,
                at=row.at,
                channel=row.channel.value,
                items=list(row.items or []),
            )
            for row in repo.answered_about(session, subject_id)
        ]
    )
