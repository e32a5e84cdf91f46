"""TOTP second factor use cases (PLT-1): enrol, confirm, disable, reset, and the security
policy that can oblige administrators to enrol. Checking a code at login is in
:mod:`xinyong.accounts.sessions`.

Every change is audited (``accounts:totp:*``); no audit entry ever holds a secret, a code or a
recovery code.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.accounts import repository as repo
from xinyong.accounts import rules, totp
from xinyong.accounts.challenge import (
    enrolment_required,
    second_factor_accepted,
    second_factor_state,
)
from xinyong.accounts.models import SecurityPolicy, TotpFactor, TotpRecoveryCode, UserAccount
from xinyong.accounts.passwords import verify_password
from xinyong.accounts.schemas import (
    AccountFactorRead,
    EnrolmentRead,
    SecondFactorRead,
    SecurityPolicyRead,
)
from xinyong.accounts.sealing import seal, unseal
from xinyong.accounts.sessions import actor_for, count_failed_check
from xinyong.audit.service import record_event
from xinyong.core.actor import Actor, Role
from xinyong.core.config import Settings
from xinyong.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from xinyong.core.permissions import require
from xinyong.db.uow import Kept, commit_kept

#: The local operator for ``xinyong user totp-reset``: resetting a factor is a security
#: administrator's act; shell access to the server already reaches beyond it.
SECURITY_OPERATOR = Actor(
    role=Role.SECADMIN, username="cli", display_name="本机操作员 local operator (cli)"
)


#: Why a disable was refused (audited, and told to the caller).
_NO_PROOF = "neither the password nor a code matched"


class TotpNotAvailable(PermissionDenied, code="totp_not_available"): ...


class TotpAlreadyEnrolled(Conflict, code="totp_already_enrolled"): ...


class TotpNotStarted(Conflict, code="totp_not_started"): ...


class TotpNotEnrolled(Conflict, code="totp_not_enrolled"): ...


class TotpCodeRejected(InvalidInput, code="totp_invalid"): ...


class ReauthenticationFailed(PermissionDenied, code="reauthentication_failed"): ...


def _account(session: Session, actor: Actor) -> UserAccount:
    if actor.user_id is None:
        require(actor, "security:manage")  # raises 401 for the public
    user = repo.user_by_id(session, actor.user_id or 0)
    if user is None:
        raise NotFound("账号不存在 / no such account")
    if not totp.may_enrol(user.role):
        roles = ", ".join(sorted(r.value for r in totp.TOTP_ROLES))
        raise TotpNotAvailable(
            f"两步验证仅供以下角色使用：{roles} / two-step verification is for: {roles}"
        )
    return user


def _end(factor: TotpFactor, at: datetime) -> None:
    """End a factor and wipe its secret: nothing left to steal."""
    factor.ended_at = at
    factor.secret_sealed = ""


def status(session: Session, *, actor: Actor) -> SecondFactorRead:
    """The actor's own second factor."""
    user = repo.user_by_id(session, actor.user_id) if actor.user_id is not None else None
    if user is None:
        require(actor, "security:manage")
        raise NotFound("账号不存在 / no such account")
    factor = repo.current_factor(session, user.id)
    return SecondFactorRead(
        available=totp.may_enrol(user.role),
        status=_status(factor),
        required=enrolment_required(session, user),
        confirmed_at=factor.confirmed_at if factor else None,
        recovery_codes_left=sum(1 for r in factor.recovery_codes if r.used_at is None)
        if factor and factor.is_active
        else 0,
    )


def _status(factor: TotpFactor | None) -> str:
    if factor is None:
        return "none"
    return "active" if factor.is_active else "pending"


def start_enrolment(
    session: Session, *, actor: Actor, at: datetime, settings: Settings
) -> EnrolmentRead:
    """Generate a secret for the actor's authenticator app. The factor is pending — logins do
    not ask for it — until :func:`confirm_enrolment` proves the app holds it. Starting again
    replaces a pending secret."""
    user = _account(session, actor)
    current = repo.current_factor(session, user.id)
    if current is not None and current.is_active:
        raise TotpAlreadyEnrolled(
            "已启用两步验证；如需更换手机，请先停用 / already enrolled: disable it first"
        )
    if current is not None:
        _end(current, at)
    secret = totp.new_secret()
    factor = TotpFactor(
        user_id=user.id, secret_sealed=seal(secret, secret_key=settings.secret_key), started_at=at
    )
    session.add(factor)
    session.flush()
    _audit(session, actor, user, "start", at, after={"factor_id": factor.id, "status": "pending"})
    session.flush()
    return EnrolmentRead(secret=secret, otpauth_uri=totp.provisioning_uri(secret, user.username))


def pending_enrolment(
    session: Session, *, actor: Actor, settings: Settings
) -> EnrolmentRead | None:
    """The pending enrolment's secret again (the page re-shows the QR code after a mistyped
    code); ``None`` when there is none. An active factor's secret is never shown."""
    user = _account(session, actor)
    factor = repo.current_factor(session, user.id)
    if factor is None or factor.is_active:
        return None
    secret = unseal(factor.secret_sealed, secret_key=settings.secret_key)
    if secret is None:
        return None
    return EnrolmentRead(secret=secret, otpauth_uri=totp.provisioning_uri(secret, user.username))


def confirm_enrolment(
    session: Session, *, actor: Actor, code: str, at: datetime, settings: Settings
) -> list[str]:
    """Activate the pending factor with a valid current code; returns the recovery codes, which
    are shown this once and kept only as hashes."""
    user = _account(session, actor)
    factor = repo.current_factor(session, user.id)
    if factor is None or factor.is_active:
        raise TotpNotStarted("请先开始启用两步验证 / start the enrolment first")
    secret = unseal(factor.secret_sealed, secret_key=settings.secret_key)
    step = totp.matching_step(secret, code, at, last_used_step=None) if secret is not None else None
    if step is None:
        raise TotpCodeRejected(
            "验证码不正确或已过期，请输入验证器当前显示的 6 位数字"
            " / wrong or expired code: enter the 6 digits your authenticator shows now",
            details=[{"field": "code", "reason": "not a current code of this secret"}],
        )
    codes = totp.new_recovery_codes()
    factor.confirmed_at, factor.last_used_step = at, step
    factor.recovery_codes = [TotpRecoveryCode(code_sha256=totp.recovery_digest(c)) for c in codes]
    after = {"factor_id": factor.id, "status": "active", "recovery_codes": len(codes)}
    _audit(session, actor, user, "enrol", at, after=after)
    session.flush()
    return codes


def disable(
    session: Session,
    *,
    actor: Actor,
    password: str = "",
    code: str = "",
    at: datetime,
    settings: Settings,
) -> None:
    """Turn the actor's own factor off. Needs the password or a valid code, so a browser left
    logged in cannot remove it; a wrong one counts toward the login lockout."""
    user = _account(session, actor)
    factor = repo.current_factor(session, user.id)
    if factor is None:
        raise TotpNotEnrolled("未启用两步验证 / two-step verification is not enabled")
    proven = bool(password) and verify_password(user.password_hash, password)
    if not proven and code.strip() and factor.is_active:
        proven = second_factor_accepted(
            session,
            actor=actor_for(user),
            factor=factor,
            code=code.strip(),
            at=at,
            settings=settings,
        )
    if not proven and factor.is_active:
        count_failed_check(session, user=user, at=at, settings=settings)
        _audit(session, actor, user, "disable_refused", at, reason=_NO_PROOF)
        commit_kept(session, Kept.SECOND_FACTOR_DISABLE_REFUSED)
        raise ReauthenticationFailed(
            "密码或验证码不正确 / the password or the code is wrong",
            details=[{"field": "password", "reason": _NO_PROOF}],
        )
    _remove(session, actor=actor, user=user, factor=factor, action="disable", at=at)


def reset(session: Session, *, actor: Actor, username: str, reason: str, at: datetime) -> None:
    """A security administrator removes another account's factor (a lost phone); the account
    then logs in with its password alone and enrols again."""
    require(actor, "security:manage")
    why = reason.strip()
    if not why:
        raise InvalidInput(
            "请说明重置原因 / give a reason for the reset",
            details=[{"field": "reason", "reason": "required"}],
        )
    user = repo.user_by_username(session, rules.normalise_username(username))
    if user is None:
        raise NotFound(f"账号 {username} 不存在 / no account {username}")
    factor = repo.current_factor(session, user.id)
    if factor is None:
        raise TotpNotEnrolled(
            f"账号 {user.username} 未启用两步验证 / {user.username} has no second factor"
        )
    _remove(session, actor=actor, user=user, factor=factor, action="reset", at=at, reason=why)


def _remove(
    session: Session,
    *,
    actor: Actor,
    user: UserAccount,
    factor: TotpFactor,
    action: str,
    at: datetime,
    reason: str | None = None,
) -> None:
    """End ``user``'s factor (disabled by its owner, reset by a security administrator)."""
    was = _status(factor)
    _end(factor, at)
    _audit(
        session,
        actor,
        user,
        action,
        at,
        before={"factor_id": factor.id, "status": was},
        after={"status": "none"},
        reason=None if reason is None else reason[:500],
    )
    session.flush()


def _audit(
    session: Session,
    actor: Actor,
    user: UserAccount,
    action: str,
    at: datetime,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
) -> None:
    """Audit ``accounts:totp:<action>`` on ``user``'s account; never pass a secret or a code."""
    record_event(
        session,
        actor=actor,
        tag=f"accounts:totp:{action}",
        at=at,
        object_type="user",
        object_id=user.id,
        before=before,
        after=after,
        reason=reason,
    )


# --- the security policy ---------------------------------------------------------------------


def read_policy(session: Session, *, actor: Actor) -> SecurityPolicyRead:
    require(actor, "security:manage")
    row = repo.security_policy(session)
    return SecurityPolicyRead(
        require_totp_for_admins=bool(row and row.require_totp_for_admins),
        updated_at=row.updated_at if row else None,
        updated_by=row.updated_by if row else None,
    )


def set_policy(
    session: Session, *, actor: Actor, require_totp_for_admins: bool, at: datetime
) -> SecurityPolicyRead:
    """Oblige (or stop obliging) sysadmin and secadmin accounts to enrol a second factor."""
    require(actor, "security:manage")
    row = repo.security_policy(session)
    before = {"require_totp_for_admins": bool(row and row.require_totp_for_admins)}
    if row is None:
        row = SecurityPolicy(updated_at=at, updated_by=actor.username)
        session.add(row)
    row.require_totp_for_admins = require_totp_for_admins
    row.updated_at, row.updated_by = at, actor.username
    session.flush()
    record_event(
        session,
        actor=actor,
        tag="accounts:security_policy:update",
        at=at,
        object_type="security_policy",
        object_id=row.id,
        before=before,
        after={"require_totp_for_admins": require_totp_for_admins},
    )
    session.flush()
    return read_policy(session, actor=actor)


def factor_overview(session: Session, *, actor: Actor) -> Sequence[AccountFactorRead]:
    """Every account that may enrol, with its factor's status (the reset page)."""
    require(actor, "security:manage")
    active = repo.active_factor_user_ids(session)
    policy = repo.security_policy(session)
    obliged = policy is not None and policy.require_totp_for_admins
    return [
        AccountFactorRead(
            username=u.username,
            display_name=u.display_name,
            role=u.role.value,
            status="active" if u.id in active else "none",
            required=totp.must_enrol(u.role, policy_requires=obliged),
        )
        for u in repo.list_users(session)
        if totp.may_enrol(u.role)
    ]


def state_of(session: Session, *, user: UserAccount) -> str:
    """``active``, ``enrolment_required`` or ``none``: what a token answer reports."""
    return second_factor_state(session, user)
