"""``GET /reports/{number}`` on the public server (``xinyong serve --public``): the
verification answer of an issued report, from the publication store (RGT-1). The core serves
the same path from its own tables (``web.api.reports``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from xinyong.publication import service
from xinyong.web.public_store import PublicSessionDep

router = APIRouter(tags=["reports"])


@router.get("/reports/{number}", response_class=Response)
def verify_report(
    number: Annotated[str, Path(max_length=64)], session: PublicSessionDep
) -> Response:
    body = service.report_verification_json(session, number=number)
    return Response(body, media_type="application/json")
