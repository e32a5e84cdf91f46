"""Every query of the accounts context. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, bindparam, literal, select, union_all
from sqlalchemy.orm import Session

from xinyong.accounts.models import (
    ApiToken,
    Organisation,
    SecurityPolicy,
    TotpFactor,
    UserAccount,
    UserItem,
    UserPurpose,
    WebSession,
)
from xinyong.db.statements import run


def organisation_by_code(session: Session, code: str) -> Organisation | None:
    return session.scalar(select(Organisation).where(Organisation.code == code))


def organisation_by_id(session: Session, org_id: int) -> Organisation | None:
    return session.get(Organisation, org_id)


def list_organisations(session: Session) -> Sequence[Organisation]:
    return session.scalars(select(Organisation).order_by(Organisation.code)).all()


def user_by_username(session: Session, username: str) -> UserAccount | None:
    return session.scalar(select(UserAccount).where(UserAccount.username == username))


def user_by_id(session: Session, user_id: int) -> UserAccount | None:
    return session.get(UserAccount, user_id)


def list_users(session: Session) -> Sequence[UserAccount]:
    return session.scalars(select(UserAccount).order_by(UserAccount.username)).all()


def token_by_hash(session: Session, digest: str) -> ApiToken | None:
    return session.scalar(select(ApiToken).where(ApiToken.token_sha256 == digest))


#: A bearer token with its account and organisation, as column values: every API request with
#: a token reads it (an entity each of the token, the account and its two lists of authority
#: were four statements through the ORM).
_BEARER_ACCOUNT = (
    select(
        ApiToken.expires_at,
        ApiToken.revoked_at,
        UserAccount.id.label("user_id"),
        UserAccount.username,
        UserAccount.display_name,
        UserAccount.role,
        UserAccount.is_active,
        UserAccount.subject_code,
        UserAccount.subject_id,
        Organisation.id.label("org_id"),
        Organisation.code.label("org_code"),
        Organisation.name.label("org_name"),
    )
    .join(UserAccount, UserAccount.id == ApiToken.user_id)
    .outerjoin(Organisation, Organisation.id == UserAccount.org_id)
    .where(ApiToken.token_sha256 == bindparam("digest"))
)

#: An account's inquiry authority: ``("purpose", code)`` and ``("item", code)`` rows.
_AUTHORITY = union_all(
    select(literal("purpose").label("kind"), UserPurpose.purpose.label("code")).where(
        UserPurpose.user_id == bindparam("user_id")
    ),
    select(literal("item").label("kind"), UserItem.item_code.label("code")).where(
        UserItem.user_id == bindparam("user_id")
    ),
)


def bearer_account(session: Session, digest: str) -> Row[Any] | None:
    """The token whose SHA-256 is ``digest`` with its account's columns, or ``None``."""
    return run(session, _BEARER_ACCOUNT, {"digest": digest}).first()


def authority(session: Session, user_id: int) -> tuple[frozenset[str], frozenset[str]]:
    """The account's inquiry purposes and catalogue items (empty: every one)."""
    purposes: set[str] = set()
    items: set[str] = set()
    for row in run(session, _AUTHORITY, {"user_id": user_id}):
        (purposes if row.kind == "purpose" else items).add(row.code)
    return frozenset(purposes), frozenset(items)


def web_session_by_hash(session: Session, digest: str) -> WebSession | None:
    return session.scalar(select(WebSession).where(WebSession.session_sha256 == digest))


def current_factor(session: Session, user_id: int) -> TotpFactor | None:
    """The account's factor that has not ended (pending or active), if any."""
    return session.scalar(
        select(TotpFactor)
        .where(TotpFactor.user_id == user_id, TotpFactor.ended_at.is_(None))
        .order_by(TotpFactor.id.desc())
        .limit(1)
    )


def active_factor_user_ids(session: Session) -> set[int]:
    rows = session.scalars(
        select(TotpFactor.user_id).where(
            TotpFactor.ended_at.is_(None), TotpFactor.confirmed_at.is_not(None)
        )
    )
    return set(rows)


def security_policy(session: Session) -> SecurityPolicy | None:
    return session.scalar(select(SecurityPolicy).order_by(SecurityPolicy.id).limit(1))
