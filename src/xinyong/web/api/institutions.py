"""``/institutions``: the register of credit service institutions (Art. 37, 38; CSI-1).

Anyone reads the register; the credit office files, changes status, records and reads
supervision, and exports the register as CSV.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from xinyong.institutions import service
from xinyong.institutions.schemas import (
    FilingCreate,
    FilingDetail,
    FilingPage,
    FilingRead,
    StatusChangeCreate,
    SupervisionCreate,
    SupervisionList,
    SupervisionRead,
)
from xinyong.web.deps import ActingDep, ActorDep, SessionDep
from xinyong.web.params import Page
from xinyong.web.ui.support import csv_response

router = APIRouter(prefix="/institutions", tags=["institutions"])

FilingId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Status = Annotated[str | None, Query(max_length=32)]
CSV_COLUMNS = ("filing_number", "org_code", "uscc", "name", "legal_representative",
               "registered_address", "services", "business_scope", "contact", "filed_on",
               "status", "status_at")  # fmt: skip


@router.get("")
def list_filings(
    session: SessionDep, status: Status = None, page: Page = 1,
    per_page: Annotated[int, Query(ge=1, le=service.MAX_PER_PAGE)] = 50,
) -> FilingPage:  # fmt: skip
    """The public register: filings and their current status, by filing number."""
    return service.list_filings(session, status=status, page=page, per_page=per_page)


@router.get(".csv")
def register_csv(session: SessionDep, actor: ActorDep, status: Status = None) -> Response:
    """The register with contacts, for the credit office (CSV, UTF-8 with BOM)."""
    rows = service.register_rows(session, actor=actor, status=status)
    values = ([getattr(r, c) if c != "services" else " ".join(r.services) for c in CSV_COLUMNS]
              for r in rows)  # fmt: skip
    return csv_response("institutions.csv", CSV_COLUMNS, values)


@router.post("", status_code=201)
def file_institution(data: FilingCreate, acting: ActingDep) -> FilingDetail:
    return acting(service.file_institution, data=data)


@router.get("/{filing_id}")
def get_filing(
    filing_id: FilingId, session: SessionDep, actor: ActorDep
) -> FilingDetail | FilingRead:
    """A filing; the credit office and the institution itself also see contact and history."""
    return service.get_filing(session, actor=actor, filing_id=filing_id)


@router.post("/{filing_id}/status")
def change_status(filing_id: FilingId, data: StatusChangeCreate, acting: ActingDep) -> FilingDetail:
    return acting(service.change_status, filing_id=filing_id, data=data)


@router.post("/{filing_id}/supervision", status_code=201)
def record_supervision(
    filing_id: FilingId, data: SupervisionCreate, acting: ActingDep
) -> SupervisionRead:
    return acting(service.record_supervision, filing_id=filing_id, data=data)


@router.get("/{filing_id}/supervision")
def list_supervision(filing_id: FilingId, session: SessionDep, actor: ActorDep) -> SupervisionList:
    return service.list_supervision(session, actor=actor, filing_id=filing_id)
