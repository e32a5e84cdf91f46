"""Who may do what in the measures context, until ``core.permissions`` lists these actions
(``measures:manage``, ``measures:check``, ``measures:commitments``); the same answers: 401 for
the public, 403 for a role that may not."""

from __future__ import annotations

from xinyong.core.actor import Actor, Role
from xinyong.core.errors import NotAuthenticated, PermissionDenied

MANAGE = frozenset({Role.CREDIT_OFFICE})
CHECK = frozenset({Role.INQUIRER})
#: The licensing organ records commitments and their fulfilment (Art. 8).
COMMITMENTS = frozenset({Role.PROVIDER, Role.INQUIRER})
READ_LISTS = frozenset({Role.CREDIT_OFFICE, Role.INQUIRER, Role.PROVIDER, Role.AUDITOR})


def require_role(actor: Actor, roles: frozenset[Role], action: str) -> None:
    if actor.role in roles:
        return
    if actor.is_anonymous:
        raise NotAuthenticated("请先登录 / log in to do this")
    raise PermissionDenied(
        f"角色 {actor.role.value} 无权执行 {action}。 The role {actor.role.value} may not do"
        f" {action}."
    )
