"""Logins, bearer tokens and web sessions (PLT-1): lockout, expiry, and who the actor is."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from xinyong.accounts import challenge, rules, totp
from xinyong.accounts import repository as repo
from xinyong.accounts.models import ApiToken, UserAccount, WebSession
from xinyong.accounts.passwords import (
    hash_password,
    needs_rehash,
    spend_verification_time,
    verify_password,
)
from xinyong.audit.service import record_event
from xinyong.core.actor import ANONYMOUS, Actor, Role
from xinyong.core.config import Settings
from xinyong.core.errors import NotAuthenticated
from xinyong.db.uow import Kept, commit_kept
from xinyong.subjects import service as subjects

SESSION_COOKIE = "xinyong_session"

#: One answer for an unknown user, a wrong password, a locked or a disabled account, so that
#: the login form does not tell an attacker which usernames exist or which are locked.
INVALID_CREDENTIALS = "用户名或密码错误 / invalid username or password"
#: The one answer to a failed login that carried a second-factor code, whichever check failed.
INVALID_SECOND_FACTOR = "用户名、密码或验证码错误 / invalid username, password or verification code"
INVALID_TOKEN = "令牌无效或已过期，请重新登录 / the token is invalid or has expired"
TOTP_REQUIRED_MESSAGE = (
    "该账号已启用两步验证，请输入验证器中的 6 位验证码"
    " / this account uses two-step verification: enter the 6-digit code from your authenticator"
)

#: A session's ``last_seen_at`` is written at most this often: a write per page view would
#: serialise every request on SQLite, and a minute is noise against a 15-minute idle limit.
TOUCH_EVERY = timedelta(minutes=1)


class InvalidCredentials(NotAuthenticated, code="invalid_credentials"): ...


class InvalidToken(NotAuthenticated, code="invalid_token"): ...


class TotpRequired(NotAuthenticated, code="totp_required"):
    """The password was right; this account also needs its second-factor code."""

    def __init__(self, message: str, *, ticket: str) -> None:
        super().__init__(message)
        #: For the web form's second step; never part of the API answer.
        self.ticket = ticket


class TotpInvalid(NotAuthenticated, code="totp_invalid"): ...


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def actor_for(user: UserAccount, *, subject_id: int | None = None) -> Actor:
    """The actor services see for ``user``: its organisation and inquiry authority, and for a
    ``subject`` account the bound subject (``subject_id`` when the register has it)."""
    org = user.org
    return _actor(
        role=user.role,
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        subject_code=user.subject_code,
        org_id=org.id if org else None,
        org_code=org.code if org else None,
        org_name=org.name if org else None,
        subject_id=user.subject_id or subject_id,
        purposes=frozenset(row.purpose for row in user.purpose_rows),
        items=frozenset(row.item_code for row in user.item_rows),
    )


def _actor(
    *,
    role: Role,
    user_id: int,
    username: str,
    display_name: str,
    subject_code: str | None,
    org_id: int | None,
    org_code: str | None,
    org_name: str | None,
    subject_id: int | None,
    purposes: frozenset[str],
    items: frozenset[str],
) -> Actor:
    """An account's actor; no purposes or items means every one."""
    return Actor(
        role=role,
        user_id=user_id,
        username=username,
        display_name=display_name,
        org_id=org_id,
        org_code=org_code,
        org_name=org_name,
        subject_id=subject_id,
        subject_code=subject_code,
        purposes=purposes or None,
        items=items or None,
        extra={"subject_code": subject_code} if subject_code else {},
    )


def _refuse_login(
    session: Session,
    *,
    user: UserAccount | None,
    at: datetime,
    reason: str,
    second_factor_sent: bool = False,
) -> NotAuthenticated:
    """Audit and commit a refused login; the error to raise.

    The answer depends only on what the client sent, never on which check failed: without a
    code it is ``invalid_credentials``, with a code it is ``totp_invalid`` — so a wrong code does
    not tell its sender that the password was right (docs/compliance.md, PLT-1).
    """
    record_event(
        session,
        actor=ANONYMOUS,
        tag="accounts:user:login_failed",
        at=at,
        object_type="user" if user else None,
        object_id=user.id if user else None,
        reason=reason,
    )
    commit_kept(session, Kept.LOGIN_REFUSED)
    if second_factor_sent:
        return TotpInvalid(INVALID_SECOND_FACTOR)
    return InvalidCredentials(INVALID_CREDENTIALS)


def count_failed_check(
    session: Session, *, user: UserAccount, at: datetime, settings: Settings
) -> None:
    """One more failed login for ``user`` (PLT-1 lockout); audits the lock when it starts."""
    before = rules.LoginState(user.failed_logins, user.locked_until)
    after = rules.after_failure(
        before,
        at,
        max_failures=settings.login_max_failures,
        lock_minutes=settings.login_lock_minutes,
    )
    user.failed_logins, user.locked_until = after.failed_logins, after.locked_until
    if after.locked_until != before.locked_until:
        record_event(
            session,
            actor=ANONYMOUS,
            tag="accounts:user:locked",
            at=at,
            object_type="user",
            object_id=user.id,
            after={"locked_until": after.locked_until.isoformat() if after.locked_until else None},
            reason=f"{settings.login_max_failures} consecutive failed logins",
        )


def authenticate(
    session: Session,
    *,
    username: str,
    password: str,
    at: datetime,
    settings: Settings,
    totp: str | None = None,
) -> UserAccount:
    """Check a username, a password and, for an account with an active second factor, a TOTP
    or recovery code (PLT-1).

    Failures are committed although the login fails: the failure count, the lock after
    ``settings.login_max_failures`` consecutive failures, and an audit entry for each. A wrong
    second-factor code counts like a wrong password. An enrolled account whose right password
    comes without a code gets :class:`TotpRequired` (carrying a short-lived ticket for the web
    form's second step); that neither counts nor clears earlier failures, so alternating
    password-only and wrong-code attempts cannot dodge the lockout.
    """
    code = (totp or "").strip() or None
    sent = code is not None
    user = repo.user_by_username(session, rules.normalise_username(username))
    if user is None or not user.is_active:
        spend_verification_time(password)
        reason = "unknown username" if user is None else "account disabled"
        raise _refuse_login(session, user=user, at=at, reason=reason, second_factor_sent=sent)
    if rules.is_locked(user.locked_until, at):
        spend_verification_time(password)
        raise _refuse_login(
            session, user=user, at=at, reason="account locked", second_factor_sent=sent
        )
    if not verify_password(user.password_hash, password):
        count_failed_check(session, user=user, at=at, settings=settings)
        raise _refuse_login(
            session, user=user, at=at, reason="wrong password", second_factor_sent=sent
        )
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    factor = challenge.active_factor(session, user)
    if factor is not None:
        if code is None:
            record_event(
                session,
                actor=ANONYMOUS,
                tag="accounts:totp:challenge",
                at=at,
                object_type="user",
                object_id=user.id,
            )
            commit_kept(session, Kept.SECOND_FACTOR_CHALLENGE)
            raise TotpRequired(
                TOTP_REQUIRED_MESSAGE, ticket=challenge.login_ticket(user, at=at, settings=settings)
            )
        if not challenge.second_factor_accepted(
            session, actor=actor_for(user), factor=factor, code=code, at=at, settings=settings
        ):
            count_failed_check(session, user=user, at=at, settings=settings)
            raise _refuse_login(
                session, user=user, at=at, reason="wrong second factor", second_factor_sent=True
            )
    return _logged_in(session, user=user, at=at)


def _logged_in(session: Session, *, user: UserAccount, at: datetime) -> UserAccount:
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, at
    record_event(
        session,
        actor=actor_for(user),
        tag="accounts:user:login",
        at=at,
        object_type="user",
        object_id=user.id,
    )
    session.flush()
    return user


def authenticate_second_step(
    session: Session, *, ticket: str, code: str, at: datetime, settings: Settings
) -> UserAccount:
    """The web login's second step: the ticket of :class:`TotpRequired` and a code. Every
    failure is the one ``totp_invalid`` answer; wrong codes count toward the lockout."""
    user_id = challenge.ticket_user_id(ticket)
    user = repo.user_by_id(session, user_id) if user_id is not None else None
    if (
        user is None
        or not user.is_active
        or not challenge.ticket_valid(ticket, user, at=at, settings=settings)
    ):
        raise _refuse_login(
            session, user=user, at=at, reason="invalid login ticket", second_factor_sent=True
        )
    if rules.is_locked(user.locked_until, at):
        raise _refuse_login(
            session, user=user, at=at, reason="account locked", second_factor_sent=True
        )
    factor = challenge.active_factor(session, user)
    if factor is None:
        raise _refuse_login(
            session, user=user, at=at, reason="no second factor", second_factor_sent=True
        )
    if not challenge.second_factor_accepted(
        session, actor=actor_for(user), factor=factor, code=code.strip(), at=at, settings=settings
    ):
        count_failed_check(session, user=user, at=at, settings=settings)
        raise _refuse_login(
            session, user=user, at=at, reason="wrong second factor", second_factor_sent=True
        )
    return _logged_in(session, user=user, at=at)


def issue_token(
    session: Session, *, user: UserAccount, at: datetime, settings: Settings
) -> tuple[str, datetime]:
    """A new bearer token for ``user``, valid ``settings.token_ttl_minutes``. Only its hash is
    kept: the token itself is shown once."""
    expires_at = at + timedelta(minutes=settings.token_ttl_minutes)
    token = _new_secret(
        session,
        lambda digest: ApiToken(
            token_sha256=digest, user_id=user.id, created_at=at, expires_at=expires_at
        ),
        user=user,
        tag="accounts:token:issue",
        object_type="api_token",
        at=at,
        after={"expires_at": expires_at.isoformat()},
    )
    return token, expires_at


def _new_secret(
    session: Session,
    row_of: Callable[[str], ApiToken | WebSession],
    *,
    user: UserAccount,
    tag: str,
    object_type: str,
    at: datetime,
    after: dict[str, Any] | None = None,
) -> str:
    """A fresh secret for ``user``, kept only as the hash ``row_of`` stores; audited."""
    secret = secrets.token_urlsafe(32)
    row = row_of(_digest(secret))
    session.add(row)
    session.flush()
    record_event(
        session,
        actor=actor_for(user),
        tag=tag,
        at=at,
        object_type=object_type,
        object_id=row.id,
        after=after,
    )
    session.flush()
    return secret


def revoke_token(session: Session, *, actor: Actor, bearer: str, at: datetime) -> None:
    """Log out an API client: the token stops working at once."""
    row = repo.token_by_hash(session, _digest(bearer))
    if row is None or row.revoked_at is not None or row.user_id != actor.user_id:
        raise InvalidToken("令牌无效 / invalid token")
    row.revoked_at = at
    record_event(
        session,
        actor=actor,
        tag="accounts:token:revoke",
        at=at,
        object_type="api_token",
        object_id=row.id,
    )
    session.flush()


def start_web_session(session: Session, *, user: UserAccount, at: datetime) -> str:
    """A new browser session; returns the cookie value (kept only as a hash)."""
    return _new_secret(
        session,
        lambda digest: WebSession(
            session_sha256=digest, user_id=user.id, created_at=at, last_seen_at=at
        ),
        user=user,
        tag="accounts:session:start",
        object_type="web_session",
        at=at,
    )


def end_web_session(session: Session, *, session_cookie: str | None, at: datetime) -> None:
    """Log out a browser. Ending an unknown or ended session does nothing: logging out twice
    is harmless."""
    if not session_cookie:
        return
    row = repo.web_session_by_hash(session, _digest(session_cookie))
    if row is None or row.ended_at is not None:
        return
    row.ended_at = at
    user = repo.user_by_id(session, row.user_id)
    record_event(
        session,
        actor=actor_for(user) if user else ANONYMOUS,
        tag="accounts:session:end",
        at=at,
        object_type="web_session",
        object_id=row.id,
    )
    session.flush()


def _actor_from_bearer(session: Session, bearer: str, at: datetime) -> Actor:
    row = repo.bearer_account(session, _digest(bearer))
    if (
        row is None
        or row.revoked_at is not None
        or rules.token_expired(row.expires_at, at)
        or not row.is_active
    ):
        # A client that sent a token expects to act as someone: answering as the public
        # would hide the real problem behind 403s.
        raise InvalidToken(INVALID_TOKEN)
    if totp.may_enrol(row.role) or (row.subject_code and row.subject_id is None):
        # An administrator (a second factor the policy may oblige) or a subject account not
        # yet bound to the register: what a web session's account goes through.
        user = repo.user_by_id(session, row.user_id)
        if user is None:
            raise InvalidToken(INVALID_TOKEN)
        return _bound_actor(session, user)
    purposes, items = repo.authority(session, row.user_id)
    named = {name: row._mapping[name] for name in _ACTOR_COLUMNS}
    return _actor(**named, purposes=purposes, items=items)


#: The columns of ``repository.bearer_account`` an actor is made of, by ``_actor``'s names.
_ACTOR_COLUMNS = (
    "role", "user_id", "username", "display_name", "subject_code", "org_id", "org_code",
    "org_name", "subject_id",
)  # fmt: skip


def _actor_from_cookie(session: Session, cookie: str, at: datetime, settings: Settings) -> Actor:
    row = repo.web_session_by_hash(session, _digest(cookie))
    if row is None or row.ended_at is not None:
        return ANONYMOUS
    user = repo.user_by_id(session, row.user_id)
    if user is None or not user.is_active:
        return ANONYMOUS
    limit = rules.idle_limit(
        user.role,
        admin_minutes=settings.session_idle_minutes_admin,
        other_minutes=settings.session_idle_minutes_other,
    )
    if rules.session_idle_expired(row.last_seen_at, at, limit):
        return ANONYMOUS
    if at - row.last_seen_at >= TOUCH_EVERY:
        # Not audited: a page view is not a change of state worth a log entry. Best effort:
        # a read-only request on SQLite cannot always become a writer (another connection
        # committed meanwhile); the view is then served and the next request touches.
        row.last_seen_at = at
        try:
            commit_kept(session, Kept.SESSION_TOUCH)
        except OperationalError:
            session.rollback()
            user = repo.user_by_id(session, row.user_id) or user
    return _bound_actor(session, user)


def _bound_actor(session: Session, user: UserAccount) -> Actor:
    """The request's actor. A subject account may be created before its subject is in the
    register (the binding is by code): resolve the subject at each request so it is found once
    it exists. An administrator whom the security policy obliges to enrol a second factor and
    who has none carries ``extra["totp_enrolment_required"]`` (the pages' warning)."""
    extra: dict[str, str] = {}
    if totp.may_enrol(user.role) and challenge.enrolment_missing(session, user):
        extra["totp_enrolment_required"] = "1"
    if user.subject_code and user.subject_id is None:
        found = subjects.find_by_code(session, user.subject_code)
        actor = actor_for(user, subject_id=found.id if found else None)
    else:
        actor = actor_for(user)
    if extra:
        actor.extra.update(extra)
    return actor


def resolve_actor(
    session: Session,
    *,
    bearer: str | None,
    session_cookie: str | None,
    at: datetime,
    settings: Settings,
) -> Actor:
    """Who acts: a bearer token, else a web session cookie, else the public.

    An invalid or expired bearer token is refused (401); a stale cookie is not — the browser
    simply sees the public pages and the login form again.
    """
    if bearer:
        return _actor_from_bearer(session, bearer, at)
    if session_cookie:
        return _actor_from_cookie(session, session_cookie, at, settings)
    return ANONYMOUS
