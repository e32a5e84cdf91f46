"""The system administrator's use cases on existing accounts (PLT-1, DESIGN §6): disable and
enable an account, reset its password, bind a subject account to its subject, set an inquirer's
authority (Art. 20). Creating accounts and organisations is in :mod:`xinyong.accounts.service`.

Every change is audited with a reason in the same transaction; nothing here commits (the use
case's edge does). Decisions:

- An administrator never disables their own account (the platform would lose its last way to
  manage accounts by a slip of the hand): 409 ``cannot_disable_self``.
- Disabling or resetting a password ends the account's browser sessions and revokes its API
  tokens at once: whoever held the old password must log in again.
- A password reset also lifts a lock-out (failed logins start again from nought).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from xinyong.accounts import repository as repo
from xinyong.accounts import rules
from xinyong.accounts.models import ApiToken, UserAccount, UserItem, UserPurpose, WebSession
from xinyong.accounts.passwords import hash_password, refused_passwords
from xinyong.accounts.schemas import UserRead
from xinyong.accounts.service import WeakPassword, _registered_subject_id, _subject_code, user_read
from xinyong.audit.service import record_event
from xinyong.core.actor import Actor, Role
from xinyong.core.errors import Conflict, InvalidInput, NotFound
from xinyong.core.permissions import require
from xinyong.inquiry.purposes import purposes_in_force

__all__ = [
    "CannotDisableSelf",
    "UnknownUser",
    "bind_subject",
    "find_users",
    "reset_password",
    "set_active",
    "set_authority",
]

MAX_REASON = 500


class UnknownUser(NotFound, code="user_not_found"): ...


class CannotDisableSelf(Conflict, code="cannot_disable_self"): ...


class ReasonRequired(InvalidInput, code="reason_required"): ...


class NotASubjectAccount(InvalidInput, code="not_a_subject_account"): ...


class NoAuthority(InvalidInput, code="authority_not_applicable"): ...


def _user(session: Session, username: str) -> UserAccount:
    user = repo.user_by_username(session, rules.normalise_username(username))
    if user is None:
        raise UnknownUser(f"没有账号 {username} / no account {username}")
    return user


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise ReasonRequired(
            "请说明理由（1–500 字） / give a reason (1–500 characters)",
            details=[{"field": "reason", "reason": "required"}],
        )
    return reason


def _end_access(session: Session, user: UserAccount, at: datetime) -> None:
    """End every browser session and revoke every API token of ``user``."""
    session.execute(
        update(WebSession)
        .where(WebSession.user_id == user.id, WebSession.ended_at.is_(None))
        .values(ended_at=at)
    )
    session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=at)
    )


def _audit(
    session: Session,
    actor: Actor,
    user: UserAccount,
    tag: str,
    at: datetime,
    before: UserRead,
    reason: str | None,
) -> UserRead:
    """Audit ``tag`` on ``user`` with its state before and now; the state now."""
    session.flush()
    after = user_read(user)
    record_event(
        session,
        actor=actor,
        tag=tag,
        at=at,
        object_type="user",
        object_id=user.id,
        before=before.model_dump(mode="json"),
        after=after.model_dump(mode="json"),
        reason=reason,
    )
    return after


def find_users(
    session: Session,
    *,
    actor: Actor,
    role: str | None = None,
    org: str | None = None,
    q: str | None = None,
    active: bool | None = None,
) -> Sequence[UserRead]:
    """Accounts filtered by role, organisation code, a fragment of username or display name,
    and whether they are active."""
    require(actor, "accounts:manage")
    stmt = select(UserAccount).order_by(UserAccount.username)
    if role and (problem := rules.role_problem(role)):
        raise InvalidInput(
            problem, code="role_invalid", details=[{"field": "role", "reason": problem}]
        )
    if role:
        stmt = stmt.where(UserAccount.role == Role(role))
    if active is not None:
        stmt = stmt.where(UserAccount.is_active.is_(active))
    users = session.scalars(stmt).all()
    needle = (q or "").strip().lower()
    return [
        user_read(u)
        for u in users
        if (not org or (u.org is not None and u.org.code == org))
        and (not needle or needle in u.username or needle in u.display_name.lower())
    ]


def set_active(
    session: Session, *, actor: Actor, username: str, active: bool, reason: str, at: datetime
) -> UserRead:
    """Disable (``active=False``) or enable an account. A disabled account cannot log in and its
    sessions and tokens end; nothing it did is removed."""
    require(actor, "accounts:manage")
    reason = _reason(reason)
    user = _user(session, username)
    if not active and actor.user_id is not None and user.id == actor.user_id:
        raise CannotDisableSelf("不能停用自己的账号 / you cannot disable your own account")
    before = user_read(user)
    user.is_active = active
    if not active:
        _end_access(session, user, at)
    tag = "accounts:user:enable" if active else "accounts:user:disable"
    return _audit(session, actor, user, tag, at, before, reason)


def reset_password(
    session: Session, *, actor: Actor, username: str, password: str, reason: str, at: datetime
) -> UserRead:
    """Give an account a new password (told to its holder out of band); lifts a lock-out and
    ends its sessions and tokens."""
    require(actor, "accounts:manage")
    reason = _reason(reason)
    problems = rules.password_problems(password, refused=refused_passwords())
    if problems:
        raise WeakPassword(
            problems[0], details=[{"field": "password", "reason": p} for p in problems]
        )
    user = _user(session, username)
    before = user_read(user)
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    _end_access(session, user, at)
    return _audit(session, actor, user, "accounts:user:password_reset", at, before, reason)


def bind_subject(
    session: Session, *, actor: Actor, username: str, subject: str, reason: str, at: datetime
) -> UserRead:
    """Bind a ``subject`` account to the subject it acts for (SUB-2: the identifier is checked
    and normalised)."""
    require(actor, "accounts:manage")
    reason = _reason(reason)
    user = _user(session, username)
    if user.role is not Role.SUBJECT:
        raise NotASubjectAccount(
            "只有信用主体账号可绑定主体 / only a subject account binds a subject",
            details=[{"field": "subject", "reason": "not a subject account"}],
        )
    code, problem = _subject_code(subject, at)
    if problem or code is None:
        raise InvalidInput(
            problem or "",
            code="subject_invalid",
            details=[{"field": "subject", "reason": problem or ""}],
        )
    before = user_read(user)
    user.subject_code = code
    user.subject_id = _registered_subject_id(session, code)
    return _audit(session, actor, user, "accounts:user:bind_subject", at, before, reason)


def set_authority(
    session: Session,
    *,
    actor: Actor,
    username: str,
    purposes: Iterable[str],
    items: Iterable[str],
    reason: str,
    at: datetime,
) -> UserRead:
    """Set an inquirer's (or institution's) authority (Art. 20): the purposes and catalogue
    items it may use; empty lists mean every published purpose / item."""
    require(actor, "accounts:manage")
    reason = _reason(reason)
    user = _user(session, username)
    if user.role not in rules.AUTHORITY_ROLES:
        raise NoAuthority(
            "只有查询机关和信用服务机构账号有查询权限 / only inquirer and institution "
            "accounts carry an authority",
            details=[{"field": "purposes", "reason": "not applicable"}],
        )
    wanted_purposes, wanted_items = sorted(set(purposes)), sorted(set(items))
    in_force = purposes_in_force(session) if wanted_purposes else rules.PURPOSES
    problems = [
        ("purposes", p) for x in wanted_purposes if (p := rules.purpose_problem(x, in_force))
    ]
    problems += [("items", p) for x in wanted_items if (p := rules.item_code_problem(x))]
    if problems:
        raise InvalidInput(
            problems[0][1],
            code="authority_invalid",
            details=[{"field": f, "reason": r} for f, r in problems],
        )
    before = user_read(user)
    user.purpose_rows = [UserPurpose(purpose=p) for p in wanted_purposes]
    user.item_rows = [UserItem(item_code=i) for i in wanted_items]
    # The actor is resolved at each request: the new authority applies at once.
    return _audit(session, actor, user, "accounts:user:authority", at, before, reason)
