"""The security auditor's desk (PLT-1, PLT-2, DESIGN §6).

``/audit``: the audit log with filters (tag, actor, role, object, dates), newest first, pages
and CSV; ``/audit/entries/{seq}``: one entry whole, with its inclusion proof;
``/audit/checkpoints``: the signed checkpoints, "sign a checkpoint now", "verify now" and a
consistency proof between two sizes. The inquiry log is ``/audit/inquiries`` (web/ui/inquiry.py).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from xinyong.audit import browse
from xinyong.audit import service as audit
from xinyong.core.actor import Actor, Role
from xinyong.core.bounds import MAX_INT
from xinyong.core.config import Settings
from xinyong.core.errors import InvalidInput, NotFound, XinyongError
from xinyong.web.csrf import CsrfDep
from xinyong.web.deps import ClockDep, SessionDep, SettingsDep
from xinyong.web.pages import localtime, render
from xinyong.web.params import Page
from xinyong.web.ui.components import PageGate
from xinyong.web.ui.support import Problem, Table, csv_response, problem_of, render_form

router = APIRouter(include_in_schema=False)

AuditorPage = Annotated[Actor, Depends(PageGate(Role.AUDITOR))]
#: An entry's position in the log (the first is 0).
Seq = Annotated[int, Path(ge=0, le=MAX_INT)]
PER_PAGE = 50
CSV_LIMIT = 100_000
ROLE_CODES = [r.value for r in Role]
CSV_COLUMNS = (
    "seq",
    "at",
    "actor_name",
    "actor_role",
    "org_name",
    "tag",
    "object_type",
    "object_id",
    "reason",
    "request_id",
)


def _date(value: str, field: str, problems: list[str]) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(field)
        return None


def _filters(request: Request) -> tuple[browse.EntryFilter, dict[str, str], Problem | None]:
    q = request.query_params
    raw = {k: q.get(k, "").strip()[:120] for k in ("tag", "actor", "role", "object", "from", "to")}
    if raw["role"] not in ROLE_CODES:
        raw["role"] = ""
    bad: list[str] = []
    f = browse.EntryFilter(
        tag=raw["tag"],
        actor=raw["actor"],
        role=raw["role"],
        object_id=raw["object"],
        date_from=_date(raw["from"], "from", bad),
        date_to=_date(raw["to"], "to", bad),
    )
    problem = None
    if bad:
        problem = Problem(
            422,
            "日期格式应为 YYYY-MM-DD / a date is written YYYY-MM-DD",
            [f"{b}: YYYY-MM-DD" for b in bad],
        )
    return f, raw, problem


@router.get("/audit", response_class=HTMLResponse)
def audit_log(
    request: Request, session: SessionDep, actor: AuditorPage, page: Page = 1
) -> Response:
    f, raw, problem = _filters(request)
    order, (rows, total) = _entries(request, session, actor, f, page, PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    table = Table("/audit", "seq", order, min(page, pages), pages, total, raw)
    ctx = {"rows": rows, "table": table, "filters": raw, "roles": ROLE_CODES}
    return render_form(
        request, "auditor/log.html", ctx | {"size": browse.log_size(session)}, problem
    )


def _entries(
    request: Request,
    session: Session,
    actor: Actor,
    f: browse.EntryFilter,
    page: int,
    per_page: int,
) -> tuple[str, tuple[list[browse.EntryRow], int]]:
    """The order asked for (newest first by default) and that page of the matching entries."""
    order = "asc" if request.query_params.get("order") == "asc" else "desc"
    newest = order == "desc"
    found = browse.search_entries(
        session, actor=actor, f=f, page=page, per_page=per_page, newest=newest
    )
    return order, found


@router.get("/audit/entries.csv")
def audit_log_csv(request: Request, session: SessionDep, actor: AuditorPage) -> Response:
    f, _raw, _problem = _filters(request)
    _order, (rows, _total) = _entries(request, session, actor, f, 1, CSV_LIMIT)

    def cell(r: browse.EntryRow, c: str) -> Any:
        return localtime(r.at) if c == "at" else getattr(r, c)

    return csv_response(
        "audit-log.csv", CSV_COLUMNS, ([cell(r, c) for c in CSV_COLUMNS] for r in rows)
    )


@router.get("/audit/entries/{seq}", response_class=HTMLResponse)
def audit_entry(request: Request, seq: Seq, session: SessionDep, actor: AuditorPage) -> Response:
    return _entry_page(request, session, actor, seq)


def _entry_page(request: Request, session: Session, actor: Actor, seq: int) -> Response:
    entry = browse.entry_detail(session, actor=actor, seq=seq)
    if entry is None:
        raise NotFound(f"没有审计条目 {seq} / no audit entry {seq}", code="entry_not_found")
    proof = audit.inclusion_proof(session, actor=actor, seq=seq)
    return render(request, "auditor/entry.html", {"entry": entry, "proof": proof})


def _checkpoints_page(
    request: Request,
    session: Session,
    actor: Actor,
    settings: Settings,
    *,
    verification: browse.VerificationRead | None = None,
    consistency: Any = None,
    problem: Problem | None = None,
    done: str = "",
) -> Response:
    ctx = {
        "checkpoints": browse.checkpoints(session, actor=actor, settings=settings),
        "size": browse.log_size(session),
        "verification": verification,
        "consistency": consistency,
        "done": done,
    }
    return render_form(request, "auditor/checkpoints.html", ctx, problem)


@router.get("/audit/checkpoints", response_class=HTMLResponse)
def checkpoints_page(
    request: Request, session: SessionDep, actor: AuditorPage, settings: SettingsDep, done: str = ""
) -> Response:
    q = request.query_params
    consistency, problem = None, None
    # The form arrives with its second size filled in (the log's size): a proof is asked for
    # only when the first size is given too.
    if q.get("first"):
        try:
            first, second = int(q.get("first", "")), int(q.get("second", ""))
            if not (0 <= first < 2**62 and 0 <= second < 2**62):
                raise ValueError
            consistency = audit.consistency_proof(session, actor=actor, first=first, second=second)
        except ValueError:
            problem = Problem(422, "请填写两个非负整数 / give two whole numbers", [])
        except XinyongError as exc:
            problem = problem_of(exc)
    return _checkpoints_page(
        request,
        session,
        actor,
        settings,
        consistency=consistency,
        problem=problem,
        done=done[:16],
    )


@router.post("/audit/checkpoints")
def sign_checkpoint(
    _csrf: CsrfDep, session: SessionDep, actor: AuditorPage, clock: ClockDep, settings: SettingsDep
) -> Response:
    audit.take_checkpoint(session, actor=actor, at=clock.now(), settings=settings)
    return RedirectResponse("/audit/checkpoints?done=signed", status_code=303)


@router.post("/audit/verify", response_class=HTMLResponse)
def verify_now(
    request: Request,
    _csrf: CsrfDep,
    session: SessionDep,
    actor: AuditorPage,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    try:
        result = browse.verify_now(session, actor=actor, settings=settings, at=clock.now())
    except InvalidInput as exc:
        session.rollback()
        return _checkpoints_page(request, session, actor, settings, problem=problem_of(exc))
    return _checkpoints_page(request, session, actor, settings, verification=result)
