"""Published inquiry purposes and check matters (Art. 19 ¶3) and inquirers' daily caps (Art. 18).

The provincial credit office announces the catalogue of inquiry applications: each purpose is
data with its legal basis and a lifecycle (draft → published → retired), and anyone reads the
ones in force (``GET /purposes`` and the public page). The seven stable codes of API.md ship
published (``data/purposes.json``); the office's steps are rows of ``inquiry_purpose`` that
override the shipped state, each step audited. An inquiry or check naming a purpose that is
not in force is refused as an unknown one is. The platform's own purposes (``supervision`` …,
``rules.INTERNAL_PURPOSES``) are reserved: they name why the platform itself looked, and no
inquirer may claim them.

Daily caps: every inquirer's and institution's account may have at most ``per_day`` inquiries
answered per platform day — the office's default for all accounts, or its cap for one account,
or else the shipped policy's ``daily_cap``. Over the cap an inquiry is refused (429
``daily_cap_reached``) and the refusal is logged like any other (``service``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from xinyong.audit.service import record_event
from xinyong.core.actor import Actor
from xinyong.core.clock import PLATFORM_ZONE, local_date
from xinyong.core.errors import Conflict, InvalidInput, NotFound, RateLimited
from xinyong.core.permissions import require
from xinyong.core.shipped import shipped_json
from xinyong.db.statements import run
from xinyong.inquiry import rules
from xinyong.inquiry.models import (
    InquiryCap,
    InquiryChannel,
    InquiryDayCount,
    InquiryPurpose,
    PurposeStatus,
)
from xinyong.inquiry.purpose_schemas import (
    AccountCap,
    CapsRead,
    PurposeCreate,
    PurposeList,
    PurposeManaged,
    PurposeManagedList,
    PurposeRead,
)

DATA_PACKAGE = "xinyong.inquiry.data"
PURPOSES_FILE = "purposes.json"
#: Codes no one may draft: the platform's own purposes and the subject's own query.
RESERVED = frozenset(rules.INTERNAL_PURPOSES) | {"self_query"}
DEFAULT_SCOPE = "default"


@dataclass(frozen=True, slots=True)
class _Purpose:
    code: str
    name_zh: str
    name_en: str
    legal_basis: str
    status: str
    shipped: bool
    status_at: datetime | None = None


@cache
def shipped_purposes() -> tuple[_Purpose, ...]:
    """The purposes that ship published (``data/purposes.json``)."""
    return tuple(
        _Purpose(p["code"], p["name_zh"], p["name_en"], p["legal_basis"], "published", True)
        for p in shipped_json(DATA_PACKAGE, PURPOSES_FILE)["purposes"]
    )


def _rows(session: Session) -> dict[str, InquiryPurpose]:
    return {r.code: r for r in session.scalars(select(InquiryPurpose))}


def _all(session: Session) -> list[_Purpose]:
    rows = _rows(session)
    found = {p.code: p for p in shipped_purposes() if p.code not in rows}
    for r in rows.values():
        found[r.code] = _Purpose(
            r.code, r.name_zh, r.name_en, r.legal_basis, r.status.value, r.shipped, r.status_at
        )
    return sorted(found.values(), key=lambda p: (not p.shipped, p.code))


def in_force(code: str, status: PurposeStatus | None) -> bool:
    """Whether the purpose ``code`` is in force, given the office's ``status`` of it (``None``:
    the office never changed it, so it is in force if it ships)."""
    if status is None:
        return any(p.code == code for p in shipped_purposes())
    return status == PurposeStatus.PUBLISHED


def purposes_in_force(session: Session) -> frozenset[str]:
    """Codes of the purposes and matters in force (published, not retired)."""
    return frozenset(p.code for p in _all(session) if p.status == PurposeStatus.PUBLISHED)


def published_purposes(session: Session) -> PurposeList:
    """``GET /purposes``: what anyone reads (Art. 19 ¶3)."""
    return PurposeList(
        items=[
            PurposeRead(code=p.code, name=p.name_zh, name_en=p.name_en, legal_basis=p.legal_basis)
            for p in _all(session)
            if p.status == PurposeStatus.PUBLISHED
        ]
    )


def _managed(p: _Purpose) -> PurposeManaged:
    return PurposeManaged(
        code=p.code, name=p.name_zh, name_en=p.name_en, legal_basis=p.legal_basis,
        status=p.status, shipped=p.shipped, status_at=p.status_at,
    )  # fmt: skip


def managed_purposes(session: Session, *, actor: Actor) -> PurposeManagedList:
    """Every purpose with its status, for the credit office."""
    require(actor, "inquiry:manage")
    return PurposeManagedList(items=[_managed(p) for p in _all(session)])


def draft_purpose(
    session: Session, *, actor: Actor, data: PurposeCreate, at: datetime
) -> PurposeManaged:
    """A new purpose, as a draft (not yet in force)."""
    require(actor, "inquiry:manage")
    if data.code in RESERVED:
        raise InvalidInput(
            f"{data.code} 是平台自身的用途，不能作为查询用途 / {data.code} is one of the "
            "platform's own purposes and cannot be an inquiry purpose",
            code="purpose_reserved",
            details=[{"field": "code", "reason": "reserved"}],
        )
    if any(p.code == data.code for p in _all(session)):
        raise Conflict(
            f"用途 {data.code} 已存在 / the purpose {data.code} exists", code="purpose_exists"
        )
    row = InquiryPurpose(
        code=data.code, name_zh=data.name_zh.strip(), name_en=data.name_en.strip(),
        legal_basis=data.legal_basis.strip(), status=PurposeStatus.DRAFT, shipped=False,
        created_at=at, status_at=at, by_name=actor.display_name,
    )  # fmt: skip
    session.add(row)
    session.flush()
    _audit(session, actor, row, at, before=None)
    session.flush()
    return _managed(_all_by_code(session, row.code))


def _all_by_code(session: Session, code: str) -> _Purpose:
    for p in _all(session):
        if p.code == code:
            return p
    raise NotFound(f"没有查询用途 {code} / no purpose {code}", code="purpose_not_found")


def _audit(
    session: Session, actor: Actor, row: InquiryPurpose, at: datetime, *, before: str | None,
    reason: str | None = None,
) -> None:  # fmt: skip
    record_event(
        session, actor=actor, tag=f"inquiry:purpose:{row.status.value}", at=at,
        object_type="inquiry_purpose", object_id=row.code, reason=reason,
        before={"status": before} if before else None,
        after={"status": row.status.value, "legal_basis": row.legal_basis, "name": row.name_zh},
    )  # fmt: skip


def _step(
    session: Session, *, actor: Actor, code: str, to: PurposeStatus, at: datetime,
    reason: str | None = None,
) -> PurposeManaged:  # fmt: skip
    require(actor, "inquiry:manage")
    current = _all_by_code(session, code)
    if to.value not in rules.purpose_steps(current.status):
        raise Conflict(
            f"用途 {code} 当前为 {current.status}，不能改为 {to.value} / the purpose {code} is "
            f"{current.status} and cannot become {to.value}",
            code="purpose_step_not_allowed",
        )
    if to is PurposeStatus.PUBLISHED and not current.legal_basis.strip():
        raise InvalidInput(
            "公布查询用途须写明法律依据（第十九条第三款） / a purpose is published with its "
            "legal basis (Art. 19 ¶3)",
            code="legal_basis_missing",
            details=[{"field": "legal_basis", "reason": "required to publish"}],
        )
    row = _rows(session).get(code)
    if row is None:  # a shipped purpose's first step: its row starts from the shipped data
        row = InquiryPurpose(
            code=code, name_zh=current.name_zh, name_en=current.name_en,
            legal_basis=current.legal_basis, shipped=True, created_at=at,
            status=PurposeStatus(current.status), status_at=at, by_name=actor.display_name,
        )  # fmt: skip
        session.add(row)
    row.status, row.status_at, row.by_name = to, at, actor.display_name
    session.flush()
    _audit(session, actor, row, at, before=current.status, reason=reason)
    session.flush()
    return _managed(_all_by_code(session, code))


def publish_purpose(session: Session, *, actor: Actor, code: str, at: datetime) -> PurposeManaged:
    """Draft → published: from now on inquiries and checks may name it."""
    return _step(session, actor=actor, code=code, to=PurposeStatus.PUBLISHED, at=at)


def retire_purpose(
    session: Session, *, actor: Actor, code: str, at: datetime, reason: str = ""
) -> PurposeManaged:
    """Published → retired: inquiries and checks naming it are refused from now on."""
    return _step(
        session, actor=actor, code=code, to=PurposeStatus.RETIRED, at=at, reason=reason or None
    )


# --- daily caps ------------------------------------------------------------------------------


def _cap_rows(session: Session) -> dict[str, InquiryCap]:
    return {r.scope: r for r in session.scalars(select(InquiryCap))}


def caps(session: Session, *, actor: Actor, default: int) -> CapsRead:
    """The caps in force: the default for every account and each account's own."""
    require(actor, "inquiry:manage")
    rows = _cap_rows(session)
    base = rows.pop(DEFAULT_SCOPE, None)
    return CapsRead(
        default=base.per_day if base else default,
        accounts=sorted(
            (AccountCap(user_id=int(s.removeprefix("user:")), per_day=r.per_day)
             for s, r in rows.items()),
            key=lambda c: c.user_id,
        ),
    )  # fmt: skip


def set_cap(
    session: Session, *, actor: Actor, per_day: int, at: datetime, user_id: int | None = None,
    default: int,
) -> CapsRead:  # fmt: skip
    """Set the default cap (``user_id`` None) or one account's cap; audited."""
    require(actor, "inquiry:manage")
    if per_day < 1:
        raise InvalidInput("上限须至少为 1 / the cap is at least 1", code="invalid_cap")
    scope = DEFAULT_SCOPE if user_id is None else f"user:{user_id}"
    row = session.get(InquiryCap, scope)
    before: dict[str, Any] | None = {"per_day": row.per_day} if row else None
    if row is None:
        row = InquiryCap(scope=scope, per_day=per_day, set_at=at, set_by_name=actor.display_name)
        session.add(row)
    row.per_day, row.set_at, row.set_by_name = per_day, at, actor.display_name
    session.flush()
    record_event(
        session, actor=actor, tag="inquiry:cap:set", at=at, object_type="inquiry_cap",
        object_id=scope, before=before, after={"per_day": per_day},
    )  # fmt: skip
    session.flush()
    return caps(session, actor=actor, default=default)


def cap_of(session: Session, *, user_id: int, default: int) -> int:
    """The cap that binds this account today."""
    rows = session.scalars(
        select(InquiryCap).where(InquiryCap.scope.in_([f"user:{user_id}", DEFAULT_SCOPE]))
    ).all()
    by_scope = {r.scope: r.per_day for r in rows}
    return binding_cap(by_scope.get(f"user:{user_id}"), by_scope.get(DEFAULT_SCOPE), default)


def binding_cap(account: int | None, office_default: int | None, default: int) -> int:
    """The cap that binds an account: the office's cap for it, else the office's default for
    all accounts, else the shipped policy's ``default``."""
    if account is not None:
        return account
    return office_default if office_default is not None else default


def day_start(at: datetime) -> datetime:
    """The start of the platform day of ``at`` (when the daily cap starts anew)."""
    return datetime.combine(local_date(at), time(0), tzinfo=PLATFORM_ZONE)


def cap_refusal(per_day: int, at: datetime) -> RateLimited:
    """429 ``daily_cap_reached``, to retry at the start of the next platform day."""
    seconds = max(1, int((day_start(at) + timedelta(days=1) - at).total_seconds()))
    return RateLimited(
        f"本账号今日查询已达上限（{per_day} 次），请明日再试 / this account has reached its "
        f"daily cap of {per_day} answered inquiries; try again tomorrow",
        retry_after=seconds,
        code=rules.DAILY_CAP_REACHED,
    )


#: Channels whose answered inquiries count against the daily cap: each row of a declared batch
#: check counts as one inquiry (Art. 18).
CAPPED_CHANNELS = (InquiryChannel.GOVERNMENT, InquiryChannel.AUTHORIZED, InquiryChannel.BATCH)


def _count_statements() -> dict[str, Any]:
    """The counter's upsert on each dialect, built once: add ``n`` to the account's row of
    the day, creating it at ``n``."""
    table = cast(Table, InquiryDayCount.__table__)
    out: dict[str, Any] = {}
    for name, insert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert)):
        stmt = insert(table).values(
            user_id=bindparam("user_id"), day=bindparam("day"), answered=bindparam("n")
        )
        out[name] = stmt.on_conflict_do_update(
            index_elements=[table.c.user_id, table.c.day],
            set_={"answered": table.c.answered + stmt.excluded.answered},
        )
    return out


_COUNT = _count_statements()

#: The answered count of an account on a day (0 when it has none), as a scalar subquery on
#: the binds ``user_id`` and ``day`` (``inquiry.screening`` reads it with the other facts).
ANSWERED_ON_DAY = func.coalesce(
    select(InquiryDayCount.answered)
    .where(InquiryDayCount.user_id == bindparam("user_id"), InquiryDayCount.day == bindparam("day"))
    .scalar_subquery(),
    0,
)


def counting(
    session: Session, *, user_id: int, channel: InquiryChannel, at: datetime, n: int = 1
) -> tuple[Any, dict[str, Any]] | None:
    """The write that counts ``n`` inquiries answered to the account at ``at`` on ``channel``
    against its daily cap (Art. 18), as (statement, binds); ``None`` on an uncapped channel.
    Run after the inquiries' audit entry, so that a transaction takes the audit sequencer's
    lock before the counter's row (one lock order)."""
    if n <= 0 or channel not in CAPPED_CHANNELS:
        return None
    stmt = _COUNT[session.get_bind().dialect.name]
    return stmt, {"user_id": user_id, "day": local_date(at), "n": n}


def count_answered(
    session: Session, *, user_id: int, channel: InquiryChannel, at: datetime, n: int = 1
) -> None:
    """Run :func:`counting`'s write (after the inquiries' audit entry)."""
    write = counting(session, user_id=user_id, channel=channel, at=at, n=n)
    if write is not None:
        run(session, *write)


def answered_today(session: Session, *, user_id: int, at: datetime) -> int:
    """Inquiries answered to the account on the platform day of ``at`` (capped channels)."""
    answered = session.scalar(select(ANSWERED_ON_DAY), {"user_id": user_id, "day": local_date(at)})
    return int(answered or 0)
