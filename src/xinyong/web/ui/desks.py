"""Where each role lands after logging in: its own desk (DESIGN §6)."""

from __future__ import annotations

from xinyong.core.actor import Role

DESKS: dict[Role, str] = {
    Role.SUBJECT: "/me/credit",
    Role.PROVIDER: "/provider",
    Role.INQUIRER: "/inquiry",
    Role.INSTITUTION: "/inquiry",
    Role.CREDIT_OFFICE: "/office",
    Role.SYSADMIN: "/admin/users",
    Role.SECADMIN: "/security",
    Role.AUDITOR: "/audit",
}


def landing(role: Role, target: str) -> str:
    """The page after login: the page asked for, else (the home page) the role's desk."""
    return DESKS.get(role, "/") if target in ("", "/") else target
