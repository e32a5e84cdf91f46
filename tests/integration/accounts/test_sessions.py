"""Logins, lockout, tokens and web sessions (PLT-1), with a clock that moves."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import FROZEN
from tests.factories.accounts import PASSWORD, make_user
from xinyong.accounts import service as accounts
from xinyong.accounts.models import UserAccount, WebSession
from xinyong.audit.models import AuditEntry
from xinyong.core.actor import ANONYMOUS, Role
from xinyong.core.clock import Clock
from xinyong.core.config import Settings
from xinyong.core.errors import NotAuthenticated
from xinyong.core.identifiers import uscc_check_char

#: A company's code without its check character (a subject account is bound by code).
_COMPANY = "91520100MA6DKQ0X1"


def at(minutes: float = 0) -> Clock:
    return Clock(FROZEN + timedelta(minutes=minutes))


def login(
    db: Session, settings: Settings, username: str, password: str, minutes: float = 0
) -> UserAccount:
    return accounts.authenticate(
        db, username=username, password=password, at=at(minutes).now(), settings=settings
    )


def refused(
    db: Session, settings: Settings, username: str, password: str, minutes: float = 0
) -> str:
    with pytest.raises(NotAuthenticated) as err:
        login(db, settings, username, password, minutes)
    return err.value.message


def test_login_succeeds_and_is_case_insensitive(db: Session, settings: Settings) -> None:
    make_user(db, at=at().now(), role="provider", username="zhang")
    user = login(db, settings, "ZHANG", PASSWORD)
    assert user.last_login_at == at().now()
    assert db.scalar(select(AuditEntry).where(AuditEntry.tag == "accounts:user:login")) is not None


def test_the_same_answer_for_unknown_user_wrong_password_and_locked(
    db: Session, settings: Settings
) -> None:
    make_user(db, at=at().now(), role="provider", username="zhang")
    unknown = refused(db, settings, "nobody", PASSWORD)
    wrong = refused(db, settings, "zhang", "wrong password")
    for _ in range(4):
        refused(db, settings, "zhang", "wrong password")
    locked = refused(db, settings, "zhang", PASSWORD, minutes=1)
    assert unknown == wrong == locked == accounts.INVALID_CREDENTIALS


def test_five_failures_lock_for_fifteen_minutes(db: Session, settings: Settings) -> None:
    user = make_user(db, at=at().now(), role="provider", username="zhang")
    for i in range(5):
        refused(db, settings, "zhang", f"wrong {i}", minutes=i * 0.1)
    db.refresh(user)
    assert user.locked_until == at(0.4).now() + timedelta(minutes=15)
    # The right password is refused while locked, and trying does not extend the lock.
    refused(db, settings, "zhang", PASSWORD, minutes=10)
    refused(db, settings, "zhang", PASSWORD, minutes=15.3)
    db.refresh(user)
    assert user.locked_until == at(15.4).now()
    assert login(db, settings, "zhang", PASSWORD, minutes=15.4).locked_until is None
    tags = list(db.scalars(select(AuditEntry.tag).where(AuditEntry.tag.like("accounts:user:%"))))
    assert tags.count("accounts:user:login_failed") == 7
    assert tags.count("accounts:user:locked") == 1


def test_a_success_resets_the_count(db: Session, settings: Settings) -> None:
    user = make_user(db, at=at().now(), role="provider", username="zhang")
    for _ in range(4):
        refused(db, settings, "zhang", "nope")
    login(db, settings, "zhang", PASSWORD)
    for _ in range(4):
        refused(db, settings, "zhang", "nope")
    db.refresh(user)
    assert user.locked_until is None
    assert user.failed_logins == 4


def test_failures_are_committed_though_the_login_fails(db: Session, settings: Settings) -> None:
    user = make_user(db, at=at().now(), role="provider", username="zhang")
    refused(db, settings, "zhang", "nope")
    db.rollback()  # what the web layer does at the end of a failed request
    db.refresh(user)
    assert user.failed_logins == 1


def test_token_works_until_it_expires(db: Session, settings: Settings) -> None:
    user = make_user(db, at=at().now(), role="inquirer", username="li", purposes=["licensing"])
    token, expires_at = accounts.issue_token(db, user=user, at=at().now(), settings=settings)
    assert expires_at == at(settings.token_ttl_minutes).now()
    stored = db.scalar(select(AuditEntry.after).where(AuditEntry.tag == "accounts:token:issue"))
    assert token not in str(stored)

    def resolve(minutes: float, bearer: str = token) -> object:
        return accounts.resolve_actor(
            db, bearer=bearer, session_cookie=None, at=at(minutes).now(), settings=settings
        )

    actor = resolve(59)
    assert getattr(actor, "username", None) == "li"
    assert getattr(actor, "purposes", None) == {"licensing"}
    with pytest.raises(NotAuthenticated):
        resolve(60)
    with pytest.raises(NotAuthenticated):
        resolve(1, bearer="forged")


def test_revoked_token_stops_working(db: Session, settings: Settings) -> None:
    user = make_user(db, at=at().now(), role="provider", username="zhang")
    token, _ = accounts.issue_token(db, user=user, at=at().now(), settings=settings)
    actor = accounts.actor_for(user)
    accounts.revoke_token(db, actor=actor, bearer=token, at=at(1).now())
    with pytest.raises(NotAuthenticated):
        accounts.resolve_actor(
            db, bearer=token, session_cookie=None, at=at(2).now(), settings=settings
        )


@pytest.mark.parametrize(
    ("role", "purposes", "items", "subject_code"),
    [
        ("inquirer", ["licensing", "inspection"], ["admin_penalty"], None),
        ("inquirer", [], [], None),
        ("provider", [], [], None),
        ("institution", [], [], None),
        ("credit_office", [], [], None),
        ("sysadmin", [], [], None),
        ("subject", [], [], _COMPANY + uscc_check_char(_COMPANY)),
    ],
)
def test_a_token_acts_as_its_account(
    db: Session,
    settings: Settings,
    role: str,
    purposes: list[str],
    items: list[str],
    subject_code: str | None,
) -> None:
    """A bearer token's actor is the account's own: role, organisation, inquiry authority and
    bound subject code, as a web session's account has them (``actor_for``)."""
    user = make_user(
        db, at=at().now(), role=role, purposes=purposes, items=items, subject_code=subject_code
    )
    token, _ = accounts.issue_token(db, user=user, at=at().now(), settings=settings)
    actor = accounts.resolve_actor(
        db, bearer=token, session_cookie=None, at=at(1).now(), settings=settings
    )
    assert actor == accounts.actor_for(user)
    assert actor.purposes == (frozenset(purposes) or None)
    assert actor.items == (frozenset(items) or None)
    if user.org is not None:
        assert (actor.org_id, actor.org_code, actor.org_name) == (
            user.org.id,
            user.org.code,
            user.org.name,
        )


def test_a_disabled_account_s_token_stops_working(db: Session, settings: Settings) -> None:
    user = make_user(db, at=at().now(), role="inquirer", username="wang")
    token, _ = accounts.issue_token(db, user=user, at=at().now(), settings=settings)
    user.is_active = False
    db.flush()
    with pytest.raises(NotAuthenticated):
        accounts.resolve_actor(
            db, bearer=token, session_cookie=None, at=at(1).now(), settings=settings
        )


@pytest.mark.parametrize(
    ("role", "idle"),
    [
        (Role.SYSADMIN, 15),
        (Role.AUDITOR, 15),
        (Role.CREDIT_OFFICE, 15),
        (Role.PROVIDER, 30),
        (Role.SUBJECT, 30),
    ],
)
def test_web_sessions_expire_when_idle(
    db: Session, settings: Settings, role: Role, idle: int
) -> None:
    subject = "91520102MA6H12345E" if role is Role.SUBJECT else None
    user = make_user(db, at=at().now(), role=role, username="u1", subject_code=subject)
    cookie = accounts.start_web_session(db, user=user, at=at().now())

    def resolve(minutes: float) -> object:
        return accounts.resolve_actor(
            db, bearer=None, session_cookie=cookie, at=at(minutes).now(), settings=settings
        )

    # Each visit inside the idle limit keeps the session alive...
    assert resolve(idle - 1) != ANONYMOUS
    assert resolve(2 * idle - 2) != ANONYMOUS
    # ...and a pause of the idle limit ends it: the browser is the public again.
    assert resolve(3 * idle - 2) == ANONYMOUS


def test_ended_session_is_the_public(db: Session, settings: Settings) -> None:
    user = make_user(db, at=at().now(), role="provider", username="zhang")
    cookie = accounts.start_web_session(db, user=user, at=at().now())
    accounts.end_web_session(db, session_cookie=cookie, at=at(1).now())
    accounts.end_web_session(db, session_cookie=cookie, at=at(2).now())  # harmless twice
    actor = accounts.resolve_actor(
        db, bearer=None, session_cookie=cookie, at=at(3).now(), settings=settings
    )
    assert actor == ANONYMOUS
    row = db.scalar(select(WebSession))
    assert row is not None
    assert row.session_sha256 != cookie
    assert row.ended_at == at(1).now()


def test_nothing_presented_is_the_public(db: Session, settings: Settings) -> None:
    actor = accounts.resolve_actor(
        db, bearer=None, session_cookie="stale", at=at().now(), settings=settings
    )
    assert actor == ANONYMOUS
