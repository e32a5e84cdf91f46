"""Who may do what: one table of role → actions, used by every service (API, pages, CLI).

Actions are ``context:action`` strings. Object-level checks (own records, own subject) live in
the services that know the object; this table answers the role-level question.
"""

from __future__ import annotations

from xinyong.core.actor import Actor, Role
from xinyong.core.errors import NotAuthenticated, PermissionDenied

R = Role

PERMISSIONS: dict[str, frozenset[Role]] = {
    # accounts and organisations (separation of duties: sysadmin manages them)
    "accounts:manage": frozenset({R.SYSADMIN}),
    "security:manage": frozenset({R.SECADMIN}),
    # audit log: auditors only — a sysadmin cannot read it (PLT-1)
    "audit:read": frozenset({R.AUDITOR}),
    # working-day calendar overrides (RGT-6)
    "calendar:manage": frozenset({R.CREDIT_OFFICE}),
    # the periodic jobs' last and next runs and failures (issue 15 item 4)
    "ops:jobs": frozenset({R.CREDIT_OFFICE}),
    # catalogue (CAT-3)
    "catalogue:manage": frozenset({R.CREDIT_OFFICE}),
    # subjects register
    "subjects:manage": frozenset({R.CREDIT_OFFICE, R.PROVIDER}),
    # allow-list of real pilot-region USCCs that fail the check (SUB-2)
    "subjects:allowlist": frozenset({R.CREDIT_OFFICE}),
    # records (COL)
    "records:deliver": frozenset({R.PROVIDER, R.INSTITUTION}),
    # who may send records at all, asked before the request is examined (a subject: only its
    # own statements, checked by the records service)
    "records:submit": frozenset({R.PROVIDER, R.INSTITUTION, R.SUBJECT}),
    "records:read_any": frozenset({R.CREDIT_OFFICE}),
    # amending or withdrawing a record as its provider (Art. 33): the provider's own staff only;
    # the credit office corrects through the objection / correction procedures (Art. 33, 34)
    "records:correct_own": frozenset({R.PROVIDER, R.INSTITUTION}),
    # delivery agreements with non-public providers (Art. 14)
    "records:agreements": frozenset({R.CREDIT_OFFICE}),
    # subjects' own statements and commitments (Art. 15)
    "records:self_declare": frozenset({R.SUBJECT}),
    "supervision:read": frozenset({R.CREDIT_OFFICE}),
    # the credit office's dashboard (DESIGN §6)
    "dashboard:read": frozenset({R.CREDIT_OFFICE}),
    # register of credit service institutions (Art. 37, 38; CSI-1): filing and status changes,
    # and the supervision records (inspections, checks, complaints, measures)
    "institutions:file": frozenset({R.CREDIT_OFFICE}),
    "institutions:supervise": frozenset({R.CREDIT_OFFICE}),
    # documents served on the platform (PLT-4) and list procedures (Art. 25, 26): the parties
    # and the credit office; never the administrators, whose duties are the platform's, not
    # the office's business (separation of duties, PLT-1) — an administrator belongs to the
    # office's organisation but does not act for it
    "documents:read": frozenset(
        {R.SUBJECT, R.PROVIDER, R.INQUIRER, R.INSTITUTION, R.CREDIT_OFFICE}
    ),
    # correction duties (Art. 33, 34): the providers their own, the office all
    "corrections:read": frozenset({R.PROVIDER, R.INSTITUTION, R.CREDIT_OFFICE}),
    "lists:read": frozenset({R.SUBJECT, R.INQUIRER, R.CREDIT_OFFICE}),
    "changes:read": frozenset({R.PROVIDER, R.INQUIRER, R.CREDIT_OFFICE}),
    # published inquiry purposes and check matters (Art. 19 ¶3), inquirers' daily caps (Art. 18)
    "inquiry:manage": frozenset({R.CREDIT_OFFICE}),
}


def allowed(actor: Actor, action: str) -> bool:
    roles = PERMISSIONS.get(action)
    if roles is None:
        raise KeyError(f"unknown action {action!r}")
    return actor.role in roles


def require(actor: Actor, action: str) -> None:
    """Raise 401 for the public, 403 for an account whose role may not do ``action``."""
    if allowed(actor, action):
        return
    if actor.is_anonymous:
        raise NotAuthenticated("Log in to do this. 请先登录。")
    raise PermissionDenied(
        f"The role {actor.role.value} may not do {action}. 角色 {actor.role.value} 无权执行此操作。"
    )
