"""Violation register use cases (Art. 44, 45; GOV-1).

:func:`register_violation` is called by other contexts inside their own transaction (a late
objection, a refused off-list measure, suspected harvesting…); it flushes and audits, never
commits. The register is read by the credit office only. Until ``core.permissions`` gains a
``violations:read`` action, the role check lives here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.audit.binding import digest_of
from xinyong.audit.service import record_event
from xinyong.core.actor import SYSTEM, Actor, Role
from xinyong.core.errors import InvalidInput, NotAuthenticated, PermissionDenied
from xinyong.core.rows import from_row
from xinyong.violations import repository as repo
from xinyong.violations.models import Violation, ViolationKind
from xinyong.violations.schemas import ViolationPage, ViolationRead

MAX_PER_PAGE = 200
MAX_EXPORT = 50_000


def register_violation(
    session: Session,
    *,
    kind: ViolationKind | str,
    at: datetime,
    actor: Actor,
    subject_id: int | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    detail: dict[str, Any] | None = None,
) -> Violation:
    """Put a violation on the register in the caller's transaction (no commit).

    ``actor`` is the account the violation concerns (its id, name and unit are copied); the
    audit entry is written by the platform itself, which detected it.
    """
    violation = repo.add(
        session,
        Violation(
            at=at,
            kind=ViolationKind(kind),
            user_id=actor.user_id,
            user_name=actor.display_name if not actor.is_anonymous else "",
            org_id=actor.org_id,
            org_code=actor.org_code,
            org_name=actor.org_name,
            subject_id=subject_id,
            object_type=object_type,
            object_id=None if object_id is None else str(object_id),
            detail=detail or {},
        ),
    )
    record_event(
        session,
        actor=SYSTEM,
        tag="violations:violation:register",
        at=at,
        object_type="violation",
        object_id=violation.id,
        subject_id=subject_id,
        after=to_read(violation).model_dump(mode="json")
        | {"row_digest": digest_of("violation", violation)},
    )
    return violation


def to_read(v: Violation) -> ViolationRead:
    return from_row(ViolationRead, v, detail=dict(v.detail or {}))


def require_credit_office(actor: Actor) -> None:
    """The register is the credit office's (GOV-1)."""
    if actor.role is Role.CREDIT_OFFICE:
        return
    if actor.is_anonymous:
        raise NotAuthenticated("请先登录 / log in to do this")
    raise PermissionDenied(
        "违法违规登记簿仅供信用主管部门查看 / only the credit office reads the violation register"
    )


def list_violations(
    session: Session,
    *,
    actor: Actor,
    kind: ViolationKind | str | None = None,
    page: int = 1,
    per_page: int = 50,
    export: bool = False,
) -> ViolationPage:
    """The register, newest first, optionally of one kind (GOV-1); ``export``: up to
    :data:`MAX_EXPORT` rows in one page (CSV)."""
    require_credit_office(actor)
    if export:
        page, per_page = 1, MAX_EXPORT
    elif page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInput(
            f"分页参数无效 / invalid paging: page ≥ 1, per_page 1–{MAX_PER_PAGE}",
            details=[{"field": "page", "reason": "page ≥ 1, per_page 1–200"}],
        )
    try:
        the_kind = ViolationKind(kind) if kind else None
    except ValueError:
        raise InvalidInput(
            f"未知的违规类别 {kind} / unknown violation kind {kind}",
            code="unknown_violation_kind",
            details=[{"field": "kind", "reason": f"one of {', '.join(ViolationKind)}"}],
        ) from None
    rows, total = repo.page(session, kind=the_kind, offset=(page - 1) * per_page, limit=per_page)
    pages = max(1, -(-total // per_page))
    return ViolationPage(items=[to_read(v) for v in rows], total=total, page=page, pages=pages)


def latest_violation(
    session: Session, *, kind: ViolationKind, user_id: int, since: datetime, until: datetime
) -> ViolationRead | None:
    """The newest violation of ``kind`` concerning an account between ``since`` and ``until``
    (e.g. the harvesting alert that keeps an account blocked, INQ-3). A read for other
    services; the upper bound keeps a clock set back (a training environment) consistent."""
    v = repo.latest_of_user(session, kind=kind, user_id=user_id, since=since, until=until)
    return None if v is None else to_read(v)
