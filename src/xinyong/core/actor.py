"""Who is acting: the authenticated account (or the anonymous public) as services see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    PUBLIC = "public"
    SUBJECT = "subject"
    PROVIDER = "provider"
    INQUIRER = "inquirer"
    INSTITUTION = "institution"
    CREDIT_OFFICE = "credit_office"
    SYSADMIN = "sysadmin"
    SECADMIN = "secadmin"
    AUDITOR = "auditor"


#: Separation of duties (PLT-1): no account holds two of these.
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})


@dataclass(frozen=True, slots=True)
class Actor:
    """An authenticated account, or the anonymous public (``user_id is None``)."""

    role: Role
    user_id: int | None = None
    username: str = "public"
    display_name: str = "公众"
    org_id: int | None = None
    org_code: str | None = None
    org_name: str | None = None
    subject_id: int | None = None
    #: For a ``subject`` account: the code (USCC / identity number) of the subject it acts for.
    subject_code: str | None = None
    #: Inquirer authority: ``None`` means every published purpose / item.
    purposes: frozenset[str] | None = None
    items: frozenset[str] | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None


ANONYMOUS = Actor(role=Role.PUBLIC)
SYSTEM = Actor(role=Role.CREDIT_OFFICE, username="system", display_name="系统")
