"""Every query of the accounts context. Never commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.accounts.models import (
    ApiToken,
    Organisation,
    SecurityPolicy,
    TotpFactor,
    UserAccount,
    WebSession,
)


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
