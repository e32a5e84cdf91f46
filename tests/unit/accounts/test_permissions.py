"""Separation of duties as the shared permission table states it (PLT-1)."""

from __future__ import annotations

from xinyong.core.actor import Actor, Role
from xinyong.core.permissions import PERMISSIONS, allowed

READ_ACTIONS = {action for action in PERMISSIONS if action.endswith((":read", ":read_any"))}


def test_sysadmin_cannot_read_the_audit_log() -> None:
    assert not allowed(Actor(role=Role.SYSADMIN, user_id=1), "audit:read")
    assert allowed(Actor(role=Role.AUDITOR, user_id=2), "audit:read")


def test_auditor_may_do_no_write_action() -> None:
    for action, roles in PERMISSIONS.items():
        if Role.AUDITOR in roles:
            assert action in READ_ACTIONS, action


def test_only_sysadmin_manages_accounts_and_only_secadmin_security() -> None:
    assert PERMISSIONS["accounts:manage"] == {Role.SYSADMIN}
    assert PERMISSIONS["security:manage"] == {Role.SECADMIN}


def test_no_action_is_shared_by_two_administrator_roles() -> None:
    admins = {Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR}
    for action, roles in PERMISSIONS.items():
        assert len(roles & admins) <= 1, action
