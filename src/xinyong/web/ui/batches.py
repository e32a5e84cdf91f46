"""The batch check pages (批量比对; issue 17 item 2): an inquirer or an institution uploads a file
of subjects with a matter, watches its progress and downloads the results. The services
authorise, refuse and record; a page shows their answer or their refusal."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from xinyong.core.actor import Actor, Role
from xinyong.core.errors import XinyongError
from xinyong.inquiry.purposes import purposes_in_force
from xinyong.measures import batches
from xinyong.measures.batch_file import MAX_ROWS
from xinyong.web.api.check_batches import answer_or_queue, read_upload
from xinyong.web.api.inquiries import client_address
from xinyong.web.csrf import CsrfDep
from xinyong.web.deps import ClockDep, SessionDep
from xinyong.web.pages import render
from xinyong.web.params import Id
from xinyong.web.ui.components import PageGate
from xinyong.web.ui.support import Problem, problem_of, render_form

router = APIRouter(include_in_schema=False)

ROLES = frozenset({Role.INQUIRER, Role.INSTITUTION})
BatchesPage = Annotated[Actor, Depends(PageGate(ROLES))]


def _matters(session: Session, actor: Actor) -> list[str]:
    in_force = purposes_in_force(session)
    mine = in_force if actor.purposes is None else set(actor.purposes) & set(in_force)
    return sorted(mine)


def _upload_page(
    request: Request, session: Session, actor: Actor, *, matter: str = "",
    problem: Problem | None = None,
) -> Response:  # fmt: skip
    ctx: dict[str, Any] = {
        "matters": _matters(session, actor), "chosen": matter,
        "batches": batches.batches_of(session, actor=actor), "max_rows": MAX_ROWS,
        "inline_rows": batches.INLINE_ROWS,
    }  # fmt: skip
    return render_form(request, "checks/batches.html", ctx, problem)


@router.get("/checks/batches", response_class=HTMLResponse)
def batches_page(request: Request, session: SessionDep, actor: BatchesPage) -> Response:
    return _upload_page(request, session, actor)


@router.post("/checks/batches", response_class=HTMLResponse)
def upload_batch(
    request: Request, _csrf: CsrfDep, session: SessionDep, actor: BatchesPage, clock: ClockDep,
    matter: Annotated[str, Form()] = "", file: Annotated[UploadFile | None, File()] = None,
) -> Response:  # fmt: skip
    try:
        batch = batches.submit_batch(
            session, actor=actor, matter=matter.strip(), data=read_upload(file),
            filename=file.filename if file else None, at=clock.now(),
            address=client_address(request),
        )  # fmt: skip
        answer_or_queue(request, session, batch, clock)
    except XinyongError as exc:
        session.rollback()
        return _upload_page(request, session, actor, matter=matter, problem=problem_of(exc))
    return RedirectResponse(f"/checks/batches/{batch.id}", status_code=303)


@router.get("/checks/batches/{batch_id}", response_class=HTMLResponse)
def batch_page(batch_id: Id, request: Request, session: SessionDep, actor: BatchesPage) -> Response:
    try:
        batch = batches.own_batch(session, actor=actor, batch_id=batch_id)
    except XinyongError as exc:
        return _upload_page(request, session, actor, problem=problem_of(exc))
    data = batches.batch_read(session, batch)
    running = data["status"] in ("queued", "running")
    return render(request, "checks/batch.html", {"batch": data, "running": running})
