"""``GET /audit/checkpoint`` on the public server (``xinyong serve --public``): the latest
signed audit checkpoint, from the publication store (PLT-2). The core serves the same path
from its own log (``web.api.audit``); anyone may keep a copy and later have
``xinyong audit verify --checkpoint FILE`` prove the log still extends it."""

from __future__ import annotations

from fastapi import APIRouter, Response

from xinyong.publication import service
from xinyong.web.public_store import PublicSessionDep

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("/checkpoint", response_class=Response)
def checkpoint(session: PublicSessionDep) -> Response:
    return Response(service.checkpoint_json(session), media_type="application/json")
