"""The TOTP second factor against the database (PLT-1): enrol, confirm, disable, reset, the
lockout, and audit entries that never hold a secret."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import FROZEN
from tests.factories.accounts import PASSWORD, make_user
from xinyong.accounts import second_factor
from xinyong.accounts import service as accounts
from xinyong.accounts.models import TotpFactor, TotpRecoveryCode, UserAccount
from xinyong.audit.models import AuditEntry
from xinyong.core.config import Settings
from xinyong.core.errors import InvalidInput, NotAuthenticated, PermissionDenied


def when(minutes: float = 0):  # type: ignore[no-untyped-def]
    return FROZEN + timedelta(minutes=minutes)


def code(secret: str, minutes: float = 0) -> str:
    return pyotp.TOTP(secret).at(when(minutes))


def enrolled(db: Session, settings: Settings, role: str = "sysadmin") -> tuple[UserAccount, str]:
    user = make_user(db, at=when(), role=role, username="admin1")
    actor = accounts.actor_for(user)
    started = second_factor.start_enrolment(db, actor=actor, at=when(), settings=settings)
    second_factor.confirm_enrolment(
        db, actor=actor, code=code(started.secret), at=when(), settings=settings
    )
    return user, started.secret


def login(db: Session, settings: Settings, minutes: float, totp: str | None = None) -> UserAccount:
    return accounts.authenticate(
        db, username="admin1", password=PASSWORD, at=when(minutes), settings=settings, totp=totp
    )


def test_enrolment_is_pending_until_confirmed(db: Session, settings: Settings) -> None:
    user = make_user(db, at=when(), role="auditor", username="admin1")
    actor = accounts.actor_for(user)
    started = second_factor.start_enrolment(db, actor=actor, at=when(), settings=settings)
    assert second_factor.status(db, actor=actor).status == "pending"
    login(db, settings, 1)  # no code asked while pending
    with pytest.raises(InvalidInput):
        second_factor.confirm_enrolment(
            db, actor=actor, code=code(started.secret, 5), at=when(), settings=settings
        )
    codes = second_factor.confirm_enrolment(
        db, actor=actor, code=code(started.secret), at=when(), settings=settings
    )
    assert len(codes) == 10
    factor = db.scalar(select(TotpFactor).where(TotpFactor.user_id == user.id))
    assert factor is not None
    assert factor.is_active
    # Sealed at rest; recovery codes only as hashes.
    assert started.secret not in factor.secret_sealed
    stored = set(db.scalars(select(TotpRecoveryCode.code_sha256)))
    assert not stored & set(codes)


def test_the_code_enrolment_used_cannot_log_in(db: Session, settings: Settings) -> None:
    _, secret = enrolled(db, settings)
    with pytest.raises(NotAuthenticated) as err:
        login(db, settings, 0, totp=code(secret))
    assert err.value.code == "totp_invalid"
    assert login(db, settings, 0.5, totp=code(secret, 0.5)).last_login_at == when(0.5)


def test_wrong_codes_count_toward_the_lockout(db: Session, settings: Settings) -> None:
    user, secret = enrolled(db, settings)
    for i in range(5):
        with pytest.raises(NotAuthenticated):
            login(db, settings, 1 + i * 0.1, totp="000000")
    db.refresh(user)
    assert user.locked_until == when(1.4) + timedelta(minutes=15)
    with pytest.raises(NotAuthenticated) as err:
        login(db, settings, 2, totp=code(secret, 2))
    assert err.value.code == "totp_invalid"


def test_password_only_neither_counts_nor_clears_failures(db: Session, settings: Settings) -> None:
    user, _ = enrolled(db, settings)
    for i in range(3):
        with pytest.raises(NotAuthenticated):
            login(db, settings, 1 + i, totp="000000")
    with pytest.raises(accounts.TotpRequired):
        login(db, settings, 5)
    db.refresh(user)
    assert user.failed_logins == 3
    assert user.last_login_at is None or user.last_login_at < when(5)


def test_disable_with_a_code_and_reset_by_the_secadmin(db: Session, settings: Settings) -> None:
    user, secret = enrolled(db, settings)
    actor = accounts.actor_for(user)
    with pytest.raises(PermissionDenied):
        second_factor.disable(db, actor=actor, code="123456", at=when(1), settings=settings)
    second_factor.disable(db, actor=actor, code=code(secret, 1), at=when(1), settings=settings)
    assert second_factor.status(db, actor=actor).status == "none"
    assert login(db, settings, 2) is not None

    _, secret = enrolled_again(db, settings, user)
    sec = make_user(db, at=when(), role="secadmin", username="sec1")
    with pytest.raises(PermissionDenied):
        second_factor.reset(db, actor=actor, username="admin1", reason="x", at=when(3))
    second_factor.reset(
        db, actor=accounts.actor_for(sec), username="ADMIN1", reason="手机丢失", at=when(3)
    )
    assert login(db, settings, 4).username == "admin1"


def enrolled_again(db: Session, settings: Settings, user: UserAccount) -> tuple[UserAccount, str]:
    actor = accounts.actor_for(user)
    started = second_factor.start_enrolment(db, actor=actor, at=when(2), settings=settings)
    second_factor.confirm_enrolment(
        db, actor=actor, code=code(started.secret, 2), at=when(2), settings=settings
    )
    return user, started.secret


def test_every_change_is_audited_without_secrets(db: Session, settings: Settings) -> None:
    user, secret = enrolled(db, settings)
    login(db, settings, 1, totp=code(secret, 1))
    second_factor.disable(db, actor=accounts.actor_for(user), password=PASSWORD, at=when(2),
                          settings=settings)  # fmt: skip
    sec = make_user(db, at=when(), role="secadmin", username="sec1")
    second_factor.set_policy(
        db, actor=accounts.actor_for(sec), require_totp_for_admins=True, at=when(3)
    )
    entries = list(db.scalars(select(AuditEntry).where(AuditEntry.tag.like("accounts:%"))))
    tags = [e.tag for e in entries]
    for tag in (
        "accounts:totp:start",
        "accounts:totp:enrol",
        "accounts:totp:disable",
        "accounts:security_policy:update",
    ):
        assert tag in tags
    dumped = " ".join(f"{e.before} {e.after} {e.reason}" for e in entries)
    assert secret not in dumped
    assert code(secret, 1) not in dumped


def test_the_policy_marks_admins_without_a_factor(db: Session, settings: Settings) -> None:
    sys_user = make_user(db, at=when(), role="sysadmin", username="admin1")
    sec = make_user(db, at=when(), role="secadmin", username="sec1")
    with pytest.raises(PermissionDenied):
        second_factor.set_policy(
            db, actor=accounts.actor_for(sys_user), require_totp_for_admins=True, at=when()
        )
    second_factor.set_policy(
        db, actor=accounts.actor_for(sec), require_totp_for_admins=True, at=when()
    )
    cookie = accounts.start_web_session(db, user=sys_user, at=when())
    actor = accounts.resolve_actor(
        db, bearer=None, session_cookie=cookie, at=when(1), settings=settings
    )
    assert actor.extra.get("totp_enrolment_required") == "1"
    # The contract holds: the password alone still logs in.
    assert login(db, settings, 1).username == "admin1"
    assert second_factor.state_of(db, user=sys_user) == "enrolment_required"
