"""Written notices and decisions (PLT-4): the inbox, a document, its PDF."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Response

from xinyong.documents import service
from xinyong.documents.schemas import DocumentRead, InboxRead
from xinyong.web.deps import ActingDep, ActorDep, SessionDep

router = APIRouter(tags=["documents"])


@router.get("/me/inbox")
def my_inbox(session: SessionDep, actor: ActorDep) -> InboxRead:
    return service.inbox(session, actor=actor)


@router.get("/documents/{number}.pdf", response_class=Response)
def document_pdf(number: str, session: SessionDep, actor: ActorDep) -> Response:
    name, pdf = service.get_document_pdf(session, actor=actor, number=number)
    disposition = f"inline; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": disposition})


@router.get("/documents/{number}")
def document(number: str, acting: ActingDep) -> DocumentRead:
    return acting(service.get_document, number=number)
