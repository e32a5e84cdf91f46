"""The second factor at login (PLT-1): checking a code against an account's factor, the web
form's short-lived login ticket, and whether the security policy obliges enrolment.

The login flow itself (lockout, answers, audit of failures) is in
:mod:`xinyong.accounts.sessions`; enrolment use cases in :mod:`xinyong.accounts.second_factor`.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from xinyong.accounts import repository as repo
from xinyong.accounts import totp
from xinyong.accounts.models import TotpFactor, UserAccount
from xinyong.accounts.sealing import unseal
from xinyong.audit.service import record_event
from xinyong.core.actor import Actor
from xinyong.core.config import Settings

#: How long the web form's second step may follow the password.
TICKET_MINUTES = 5


def second_factor_accepted(
    session: Session,
    *,
    actor: Actor,
    factor: TotpFactor,
    code: str,
    at: datetime,
    settings: Settings,
) -> bool:
    """Whether ``code`` is a current TOTP code (not a replay) or an unused recovery code of
    ``factor``. A success records the use — the code's time step, or the recovery code's
    ``used_at`` — so that neither works twice. Does not commit."""
    if totp.looks_like_recovery_code(code):
        digest = totp.recovery_digest(code)
        for row in factor.recovery_codes:
            if row.used_at is None and hmac.compare_digest(row.code_sha256, digest):
                row.used_at = at
                left = sum(1 for r in factor.recovery_codes if r.used_at is None)
                record_event(
                    session,
                    actor=actor,
                    tag="accounts:totp:recovery_used",
                    at=at,
                    object_type="user",
                    object_id=factor.user_id,
                    after={"recovery_codes_left": left},
                )
                return True
        return False
    secret = unseal(factor.secret_sealed, secret_key=settings.secret_key)
    if secret is None:
        return False
    step = totp.matching_step(secret, code, at, last_used_step=factor.last_used_step)
    if step is None:
        return False
    factor.last_used_step = step
    return True


def active_factor(session: Session, user: UserAccount) -> TotpFactor | None:
    factor = repo.current_factor(session, user.id)
    return factor if factor is not None and factor.is_active else None


def login_ticket(user: UserAccount, *, at: datetime, settings: Settings) -> str:
    """Proof, for :data:`TICKET_MINUTES`, that ``user``'s password was just given: the web
    form's second step carries it instead of the password. Bound to the password hash, so a
    password change voids it."""
    expires = int((at + timedelta(minutes=TICKET_MINUTES)).timestamp())
    return f"{user.id}.{expires}.{_ticket_mac(user.id, user.password_hash, expires, settings)}"


def ticket_user_id(ticket: str) -> int | None:
    head = ticket.partition(".")[0]
    return int(head) if head.isdigit() and len(head) < 19 else None


def ticket_valid(ticket: str, user: UserAccount, *, at: datetime, settings: Settings) -> bool:
    head, _, rest = ticket.partition(".")
    expires, _, mac = rest.partition(".")
    if head != str(user.id) or not expires.isdigit() or len(expires) > 12:
        return False
    expected = _ticket_mac(user.id, user.password_hash, int(expires), settings)
    return hmac.compare_digest(mac, expected) and at.timestamp() < int(expires)


def _ticket_mac(user_id: int, password_hash: str, expires: int, settings: Settings) -> str:
    message = f"login-ticket|{user_id}|{expires}|{password_hash}".encode()
    return hmac.new(settings.secret_key.encode(), message, hashlib.sha256).hexdigest()


def enrolment_required(session: Session, user: UserAccount) -> bool:
    """Whether the security policy obliges ``user`` to have a second factor."""
    policy = repo.security_policy(session)
    return totp.must_enrol(
        user.role, policy_requires=policy is not None and policy.require_totp_for_admins
    )


def enrolment_missing(session: Session, user: UserAccount) -> bool:
    """Obliged to enrol and without an active factor: the pages warn and lead to enrolment."""
    return enrolment_required(session, user) and active_factor(session, user) is None


def second_factor_state(session: Session, user: UserAccount) -> str:
    """``active``, ``enrolment_required`` or ``none`` (the token answer's ``second_factor``)."""
    if active_factor(session, user) is not None:
        return "active"
    return "enrolment_required" if enrolment_required(session, user) else "none"
