"""Credit repair pages (Art. 36; RGT-5).

A subject applies from one of its negative records (statement, proof files, the public credit
commitment, the obligations declaration) and follows the application with its due date and the
working days left. A provider (or the credit office) handles those routed to it, by due date,
and decides with a confirmation step: the first POST shows what the decision does, the second
(``confirm=1``) makes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xinyong.core.actor import Actor, Role
from xinyong.core.bounds import MAX_INT
from xinyong.core.errors import InvalidInput, XinyongError
from xinyong.repair import service
from xinyong.repair.evidence import EvidenceItem, file_item
from xinyong.web.csrf import CsrfDep
from xinyong.web.deps import ActorDep, ClockDep, SessionDep
from xinyong.web.pages import render
from xinyong.web.params import Id
from xinyong.web.ui.components import PageGate
from xinyong.web.ui.support import FormFields, problem_of

router = APIRouter(include_in_schema=False)

SUBJECTS = frozenset({Role.SUBJECT})
HANDLERS = frozenset({Role.PROVIDER, Role.INSTITUTION, Role.CREDIT_OFFICE})
HandlersPage = Annotated[Actor, Depends(PageGate(HANDLERS))]
SubjectsPage = Annotated[Actor, Depends(PageGate(SUBJECTS))]
NEED_DECISION = "请选择决定并说明理由 / choose a decision and state its reasons"


@dataclass
class ApplicationForm:
    fields: dict[str, str]
    files: list[tuple[str, str, bytes]] = field(default_factory=list)


async def _application_form(request: Request) -> ApplicationForm:
    """The multipart form, files read here (async) so that the router stays synchronous."""
    form = await request.form()
    fields: dict[str, str] = {}
    files: list[tuple[str, str, bytes]] = []
    for key, value in form.multi_items():
        if isinstance(value, str):
            fields[key] = value
        elif key == "files" and value.filename:
            files.append((value.filename, value.content_type or "", await value.read()))
    return ApplicationForm(fields, files)


ApplicationFormDep = Annotated[ApplicationForm, Depends(_application_form)]


def _evidence(form: ApplicationForm) -> list[EvidenceItem]:
    notes = [line.strip() for line in form.fields.get("evidence_notes", "").splitlines()]
    items = [EvidenceItem(name=n[:255], description=n) for n in notes if n]
    return [file_item(name, data, ctype) for name, ctype, data in form.files] + items


@router.get("/me/repairs", response_class=HTMLResponse)
def my_repairs(
    request: Request, session: SessionDep, actor: SubjectsPage, clock: ClockDep
) -> Response:
    ctx = {
        "repairs": service.list_repairs(session, actor=actor, at=clock.now()).items,
        "records": service.repairable_records(session, actor=actor, at=clock.now()),
    }
    return render(request, "repair/mine.html", ctx)


def _apply_page(
    request: Request, session: SessionDep, actor: ActorDep, clock: ClockDep, record_id: int,
    *, form: dict[str, str] | None = None, problem: Any = None, status: int = 200,
) -> Response:  # fmt: skip
    check = service.repair_eligibility(session, actor=actor, record_id=record_id, at=clock.now())
    ctx = {"check": check, "form": form or {}, "problem": problem}
    return render(request, "repair/apply.html", ctx, status_code=status)


@router.get("/me/repairs/new", response_class=HTMLResponse)
def apply_form(
    request: Request, session: SessionDep, actor: SubjectsPage, clock: ClockDep,
    record_id: Annotated[str, Query(max_length=20)] = "",
) -> Response:  # fmt: skip
    """The application form for one record; without a valid record, the list of the records
    one may apply for (a page, never a 422)."""
    if not record_id.isdigit() or not 0 < int(record_id) <= MAX_INT:
        return RedirectResponse("/me/repairs#repairable", status_code=303)
    return _apply_page(request, session, actor, clock, int(record_id))


@router.post("/me/repairs")
def apply(
    request: Request, session: SessionDep, actor: SubjectsPage, clock: ClockDep, _csrf: CsrfDep,
    form: ApplicationFormDep,
) -> Response:  # fmt: skip
    raw = form.fields.get("record_id", "").strip()
    record_id = int(raw) if raw.isdigit() and len(raw) < 19 else 0
    try:
        repair = service.apply_for_repair(
            session, actor=actor, record_id=record_id, statement=form.fields.get("statement", ""),
            evidence=_evidence(form), commitment=form.fields.get("commitment", ""),
            obligations_fulfilled=form.fields.get("obligations") == "1",
            obligations_proof=form.fields.get("obligations_proof"), at=clock.now(),
        )  # fmt: skip
    except XinyongError as exc:
        session.rollback()
        problem = problem_of(exc)
        return _apply_page(request, session, actor, clock, record_id, form=form.fields,
                           problem=problem, status=problem.status)  # fmt: skip
    return RedirectResponse(f"/me/repairs/{repair.id}", status_code=303)


def _repair_page(
    request: Request, session: SessionDep, actor: Actor, clock: ClockDep, repair_id: int,
    *, handler: bool,
) -> Response:  # fmt: skip
    """An application: the subject's own, or (``handler``) one to decide, with its form."""
    repair = service.get_repair(session, actor=actor, repair_id=repair_id, at=clock.now())
    return render(request, "repair/detail.html", {"repair": repair, "handler": handler})


@router.get("/me/repairs/{repair_id}", response_class=HTMLResponse)
def my_repair(
    request: Request, repair_id: Id, session: SessionDep, actor: SubjectsPage, clock: ClockDep
) -> Response:
    return _repair_page(request, session, actor, clock, repair_id, handler=False)


@router.get("/provider/repairs", response_class=HTMLResponse)
def to_handle(
    request: Request, session: SessionDep, actor: HandlersPage, clock: ClockDep,
    status: Annotated[str, Query(max_length=16)] = "",
) -> Response:  # fmt: skip
    repairs = service.list_repairs(session, actor=actor, at=clock.now(), status=status or None)
    return render(request, "repair/handle.html", {"repairs": repairs.items, "status": status})


@router.get("/provider/repairs/{repair_id}", response_class=HTMLResponse)
def handle_one(
    request: Request, repair_id: Id, session: SessionDep, actor: HandlersPage, clock: ClockDep
) -> Response:
    return _repair_page(request, session, actor, clock, repair_id, handler=True)


@router.post("/provider/repairs/{repair_id}/decision")
def decide(
    request: Request, repair_id: Id, session: SessionDep, actor: HandlersPage, clock: ClockDep,
    _csrf: CsrfDep, form: FormFields,
) -> Response:  # fmt: skip
    repair = service.get_repair(session, actor=actor, repair_id=repair_id, at=clock.now())
    outcome, reason = form.get("outcome", ""), form.get("reason", "").strip()
    ctx: dict[str, Any] = {"repair": repair, "handler": True, "outcome": outcome, "reason": reason}
    if form.get("confirm") != "1" or outcome not in ("repaired", "refused") or not reason:
        if outcome in ("repaired", "refused") and reason:
            return render(request, "repair/confirm.html", ctx)
        ctx["problem"] = problem_of(InvalidInput(NEED_DECISION))
        return render(request, "repair/detail.html", ctx, status_code=422)
    try:
        service.decide_repair(session, actor=actor, repair_id=repair_id, outcome=outcome,
                              reason=reason, at=clock.now())  # fmt: skip
    except XinyongError as exc:
        session.rollback()
        ctx["problem"] = problem_of(exc)
        return render(request, "repair/detail.html", ctx, status_code=ctx["problem"].status)
    return RedirectResponse(f"/provider/repairs/{repair_id}", status_code=303)
