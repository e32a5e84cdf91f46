"""Tables of this context: organisations, accounts, their authority, tokens, web sessions,
second factors and the security policy."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Boolean, Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from xinyong.accounts.rules import OrgKind
from xinyong.core.actor import Role
from xinyong.db.base import Base
from xinyong.db.types import UTCDateTime


def _state(enum: type[StrEnum]) -> Enum:
    """A StrEnum stored by its value in a plain string column (no database enum type)."""
    return Enum(
        enum,
        native_enum=False,
        length=16,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Organisation(Base):
    """A unit on the platform; organisations form a tree (province → city → county)."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[OrgKind] = mapped_column(_state(OrgKind))
    #: GB/T 2260 administrative division code (6 digits).
    region: Mapped[str | None] = mapped_column(String(6))
    #: Kind of state organ (``rules.ORGAN_KINDS``), bounding the measures it may implement
    #: (Art. 23, 29); ``None``: no statutory authority for any measure.
    organ_kind: Mapped[str | None] = mapped_column(String(32))
    #: Its unified social credit code (GB 32100): what a document or record it issues names
    #: it by (e.g. a list decision's deciding organ, Art. 26).
    uscc: Mapped[str | None] = mapped_column(String(18))
    #: The domain of a department (``accounts/data/sectors.json``): the records it delivers
    #: belong to that domain in a special credit report; ``None``: no domain.
    sector: Mapped[str | None] = mapped_column(String(32))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class UserAccount(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored normalised (NFKC, lower case), so logins are case-insensitive.
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(_state(Role))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    #: A ``subject`` account's subject: its normalised identifier code, and the subjects
    #: register's id when known (no foreign key: that table belongs to another context).
    subject_code: Mapped[str | None] = mapped_column(String(64), index=True)
    subject_id: Mapped[int | None] = mapped_column(Integer, index=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    org: Mapped[Organisation | None] = relationship(lazy="joined")
    purpose_rows: Mapped[list[UserPurpose]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="UserPurpose.purpose"
    )
    item_rows: Mapped[list[UserItem]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="UserItem.item_code"
    )


class UserPurpose(Base):
    """An inquiry purpose the account may use (Art. 20); no rows means every purpose."""

    __tablename__ = "user_purpose"
    __table_args__ = (UniqueConstraint("user_id", "purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(64))


class UserItem(Base):
    """A catalogue item the account may inquire into; no rows means every published item."""

    __tablename__ = "user_item"
    __table_args__ = (UniqueConstraint("user_id", "item_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    item_code: Mapped[str] = mapped_column(String(64))


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored, so a copy of the table logs no one in."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WebSession(Base):
    """A browser session; only the SHA-256 of the cookie value is stored.

    Its CSRF token is derived from the cookie value with the secret key (web/csrf.py), so it
    needs no column and no lookup when a page renders a form.
    """

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TotpFactor(Base):
    """A TOTP second factor (PLT-1, RFC 6238) of one account.

    One row per enrolment: pending until confirmed with a valid code, active until disabled or
    reset. An account has at most one row that is not ended. The secret is kept sealed
    (accounts/sealing.py) and is wiped when the factor ends; it is never shown after enrolment.
    """

    __tablename__ = "totp_factor"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    secret_sealed: Mapped[str] = mapped_column(String(300))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: RFC 6238 time step of the last accepted code: that step and earlier ones are refused.
    last_used_step: Mapped[int | None] = mapped_column(BigInteger)

    recovery_codes: Mapped[list[TotpRecoveryCode]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="TotpRecoveryCode.id"
    )

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.ended_at is None


class TotpRecoveryCode(Base):
    """A one-time recovery code of a factor; only its SHA-256 is kept."""

    __tablename__ = "totp_recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    factor_id: Mapped[int] = mapped_column(ForeignKey("totp_factor.id"), index=True)
    code_sha256: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SecurityPolicy(Base):
    """The security administrator's settings (PLT-1); a single row, absent until first set."""

    __tablename__ = "security_policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: sysadmin and secadmin accounts must enrol a TOTP second factor.
    require_totp_for_admins: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(64))
