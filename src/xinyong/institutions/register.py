"""Reads of the register of credit service institutions (Art. 37, 38; CSI-1): the public
register, a filing as each reader may see it, supervision records, and what the inquiry context
asks before an authorized inquiry (:func:`inquiry_bar`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from xinyong.core.actor import Actor, Role
from xinyong.core.errors import InvalidInput, NotFound
from xinyong.core.permissions import require
from xinyong.core.rows import from_row
from xinyong.institutions import repository as repo
from xinyong.institutions import rules
from xinyong.institutions.models import InstitutionFiling, SupervisionRecord
from xinyong.institutions.rules import FilingStatus
from xinyong.institutions.schemas import (
    FilingDetail,
    FilingPage,
    FilingRead,
    StatusChangeRead,
    SupervisionList,
    SupervisionRead,
)

MAX_PER_PAGE = 200
MAX_EXPORT = 50_000


def invalid(field: str, reason: str, *, code: str = "invalid_input") -> InvalidInput:
    return InvalidInput(reason, code=code, details=[{"field": field, "reason": reason}])


def load_filing(session: Session, filing_id: int) -> InstitutionFiling:
    filing = repo.filing_by_id(session, filing_id)
    if filing is None:
        raise NotFound(
            f"未找到备案 {filing_id} / no filing {filing_id}", code="institution_not_found"
        )
    return filing


def filing_read(f: InstitutionFiling) -> FilingRead:
    return from_row(FilingRead, f, services=list(f.services or []))


def filing_detail(session: Session, f: InstitutionFiling) -> FilingDetail:
    history = [
        StatusChangeRead(
            at=c.at,
            from_status=c.from_status.value if c.from_status else None,
            to_status=c.to_status.value,
            reason=c.reason,
            actor=c.actor_name,
        )
        for c in repo.history(session, f.id)
    ]
    return FilingDetail(**filing_read(f).model_dump(), contact=f.contact, history=history)


def supervision_read(r: SupervisionRecord) -> SupervisionRead:
    return from_row(SupervisionRead, r, recorded_by=r.recorded_by_name)


def _sees_detail(actor: Actor, filing: InstitutionFiling) -> bool:
    if actor.role is Role.CREDIT_OFFICE:
        return True
    return actor.role is Role.INSTITUTION and actor.org_id == filing.org_id


def list_filings(
    session: Session,
    *,
    status: str | None = None,
    page: int = 1,
    per_page: int = 50,
    export: bool = False,
) -> FilingPage:
    """The public register, by filing number (Art. 37, 38); anyone reads it. ``export``: every
    row in one page (CSV)."""
    if not export and (page < 1 or not 1 <= per_page <= MAX_PER_PAGE):
        raise invalid("page", f"分页参数无效 / invalid paging: page ≥ 1, per_page 1–{MAX_PER_PAGE}")
    try:
        the_status = FilingStatus(status) if status else None
    except ValueError:
        allowed = ", ".join(FilingStatus)
        raise invalid(
            "status",
            f"未知的备案状态 {status} / unknown status {status}; one of {allowed}",
            code="unknown_status",
        ) from None
    if export:
        page, per_page = 1, MAX_EXPORT
    rows, total = repo.page(
        session, status=the_status, offset=(page - 1) * per_page, limit=per_page
    )
    pages = max(1, -(-total // per_page))
    return FilingPage(items=[filing_read(f) for f in rows], total=total, page=page, pages=pages)


def register_rows(
    session: Session, *, actor: Actor, status: str | None = None
) -> list[FilingDetail]:
    """Every filing with its contact and history, for the credit office's export (CSV)."""
    require(actor, "institutions:supervise")
    result = list_filings(session, status=status, export=True)
    return [filing_detail(session, load_filing(session, f.id)) for f in result.items]


def get_filing(session: Session, *, actor: Actor, filing_id: int) -> FilingRead | FilingDetail:
    """A filing: what the public sees, or the detail for the office and the institution."""
    filing = load_filing(session, filing_id)
    return filing_detail(session, filing) if _sees_detail(actor, filing) else filing_read(filing)


def list_supervision(session: Session, *, actor: Actor, filing_id: int) -> SupervisionList:
    """An institution's supervision records, newest first (the credit office's)."""
    require(actor, "institutions:supervise")
    filing = load_filing(session, filing_id)
    return SupervisionList(
        items=[supervision_read(r) for r in repo.supervision(session, filing.id)]
    )


def filing_status(session: Session, *, org_id: int | None) -> FilingStatus | None:
    """The current status of an organisation's filing; ``None`` when it has none."""
    return None if org_id is None else repo.status_of_org(session, org_id)


def inquiry_bar(session: Session, *, org_id: int | None) -> str | None:
    """``None`` when an institution organisation may run authorized inquiries now (Art. 38;
    CSI-2); else why not: its filing status, or ``"none"`` without a filing."""
    status = filing_status(session, org_id=org_id)
    return None if rules.may_inquire(status) else (status.value if status else "none")


def unfiled_institutions(session: Session, *, actor: Actor) -> list[tuple[str, str]]:
    """(code, name) of the institution organisations the credit office has yet to file."""
    require(actor, "institutions:file")
    return [(o.code, o.name) for o in repo.unfiled_institutions(session)]
