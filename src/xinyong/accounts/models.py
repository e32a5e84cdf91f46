"""Tables of this context: organisations, accounts, their authority, tokens, web sessions,
second factors and the security policy."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from sqlalchemy import BigInteger, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from xinyong.accounts.rules import OrgKind
from xinyong.core.actor import Role
from xinyong.db.base import Base
from xinyong.db.types import (
    Count,
    IndexedInt,
    IntPk,
    Str6,
    Str18,
    Str32,
    Str64,
    Str200,
    Str300,
    UniqueStr64,
    str_enum,
)

#: An organisation of the tree (indexed).
OrgFk = Annotated[int, mapped_column(ForeignKey("organisation.id"), index=True)]
#: The account a row belongs to (indexed).
UserFk = Annotated[int, mapped_column(ForeignKey("user_account.id"), index=True)]


class Organisation(Base):
    """A unit on the platform; organisations form a tree (province → city → county)."""

    id: Mapped[IntPk]
    code: Mapped[UniqueStr64]
    name: Mapped[Str300]
    kind: Mapped[OrgKind] = mapped_column(str_enum(OrgKind, 16))
    #: GB/T 2260 administrative division code (6 digits).
    region: Mapped[Str6 | None]
    #: Kind of state organ (``rules.ORGAN_KINDS``), bounding the measures it may implement
    #: (Art. 23, 29); ``None``: no statutory authority for any measure.
    organ_kind: Mapped[Str32 | None]
    #: Its unified social credit code (GB 32100): what a document or record it issues names
    #: it by (e.g. a list decision's deciding organ, Art. 26).
    uscc: Mapped[Str18 | None]
    #: The domain of a department (``accounts/data/sectors.json``): the records it delivers
    #: belong to that domain in a special credit report; ``None``: no domain.
    sector: Mapped[Str32 | None]
    parent_id: Mapped[OrgFk | None]
    created_at: Mapped[datetime]


class UserAccount(Base):
    id: Mapped[IntPk]
    #: Stored normalised (NFKC, lower case), so logins are case-insensitive.
    username: Mapped[UniqueStr64]
    password_hash: Mapped[Str200]
    display_name: Mapped[Str200]
    role: Mapped[Role] = mapped_column(str_enum(Role, 16))
    org_id: Mapped[OrgFk | None]
    #: A ``subject`` account's subject: its normalised identifier code, and the subjects
    #: register's id when known (no foreign key: that table belongs to another context).
    subject_code: Mapped[Str64 | None] = mapped_column(index=True)
    subject_id: Mapped[IndexedInt | None]
    failed_logins: Mapped[Count]
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]

    org: Mapped[Organisation | None] = relationship(lazy="joined")
    purpose_rows: Mapped[list[UserPurpose]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="UserPurpose.purpose"
    )
    item_rows: Mapped[list[UserItem]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="UserItem.item_code"
    )


class UserPurpose(Base):
    """An inquiry purpose the account may use (Art. 20); no rows means every purpose."""

    __table_args__ = (UniqueConstraint("user_id", "purpose"),)

    id: Mapped[IntPk]
    user_id: Mapped[UserFk]
    purpose: Mapped[Str64]


class UserItem(Base):
    """A catalogue item the account may inquire into; no rows means every published item."""

    __table_args__ = (UniqueConstraint("user_id", "item_code"),)

    id: Mapped[IntPk]
    user_id: Mapped[UserFk]
    item_code: Mapped[Str64]


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored, so a copy of the table logs no one in."""

    id: Mapped[IntPk]
    token_sha256: Mapped[UniqueStr64]
    user_id: Mapped[UserFk]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class WebSession(Base):
    """A browser session; only the SHA-256 of the cookie value is stored.

    Its CSRF token is derived from the cookie value with the secret key (web/csrf.py), so it
    needs no column and no lookup when a page renders a form.
    """

    id: Mapped[IntPk]
    session_sha256: Mapped[UniqueStr64]
    user_id: Mapped[UserFk]
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class TotpFactor(Base):
    """A TOTP second factor (PLT-1, RFC 6238) of one account.

    One row per enrolment: pending until confirmed with a valid code, active until disabled or
    reset. An account has at most one row that is not ended. The secret is kept sealed
    (accounts/sealing.py) and is wiped when the factor ends; it is never shown after enrolment.
    """

    id: Mapped[IntPk]
    user_id: Mapped[UserFk]
    secret_sealed: Mapped[Str300]
    started_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
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

    id: Mapped[IntPk]
    factor_id: Mapped[int] = mapped_column(ForeignKey("totp_factor.id"), index=True)
    code_sha256: Mapped[Str64]
    used_at: Mapped[datetime | None]


class SecurityPolicy(Base):
    """The security administrator's settings (PLT-1); a single row, absent until first set."""

    id: Mapped[IntPk]
    #: sysadmin and secadmin accounts must enrol a TOTP second factor.
    require_totp_for_admins: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime]
    updated_by: Mapped[Str64]
