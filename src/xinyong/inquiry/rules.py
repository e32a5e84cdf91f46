"""Pure rules of inquiry, authorized inquiry and consents (Art. 18–20, 38; INQ-1…3, CSI-2).

No I/O and no session: the service loads the facts, these functions decide.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from xinyong.accounts.rules import PURPOSES

#: The longest a consent may run (CSI-2): a consent is for a transaction, not for life; a
#: subject who wants more grants again. A policy choice, documented in docs/compliance.md.
MAX_CONSENT_DAYS = 366

#: Refusal codes (stable: API error codes and the log's ``refusal_code``).
PURPOSE_NOT_AUTHORISED = "purpose_not_authorised"
ITEM_NOT_AUTHORISED = "item_not_authorised"
ROLE_NOT_AUTHORISED = "role_not_authorised"
SUBJECT_NOT_FOUND = "subject_not_found"
CONSENT_REQUIRED = "consent_required"
RATE_LIMITED = "rate_limited"
HARVESTING_SUSPECTED = "harvesting_suspected"
HARVESTING_BLOCKED = "harvesting_blocked"
#: An account that reached its daily cap of answered inquiries (Art. 18).
DAILY_CAP_REACHED = "daily_cap_reached"
#: An institution whose filing is not active (none, suspended, revoked, deregistered; CSI-1).
INSTITUTION_NOT_FILED = "institution_not_filed"


def purpose_allowed(
    purpose: str, authority: Collection[str] | None, in_force: Collection[str] = PURPOSES
) -> bool:
    """Art. 19, 20: a purpose must be one of the published inquiry purposes in force, and
    within the account's authority (``None``: every purpose in force)."""
    if purpose not in in_force:
        return False
    return authority is None or purpose in authority


def items_outside(
    requested: Iterable[str], authority: Collection[str] | None, published: Collection[str]
) -> list[str]:
    """Requested catalogue items outside the account's authority (Art. 20; INQ-1), sorted.
    An account without item restrictions reaches every *published* item, and nothing else:
    an unknown or unpublished code is outside everyone's authority."""
    reach = published if authority is None else set(authority) & set(published)
    return sorted({i for i in requested if i not in reach})


def effective_items(
    requested: Collection[str] | None, authority: Collection[str] | None
) -> frozenset[str] | None:
    """The items an answer may hold: the request narrowed to the authority (``None``: all)."""
    if requested is None:
        return None if authority is None else frozenset(authority)
    if authority is None:
        return frozenset(requested)
    return frozenset(requested) & frozenset(authority)


def consent_live(
    *, granted_at: datetime, expires_at: datetime, revoked_at: datetime | None, at: datetime
) -> bool:
    """Art. 16, 38: a consent serves from its grant until its expiry or revocation, whichever
    comes first (the instant of expiry or revocation is already outside)."""
    if at < granted_at or at >= expires_at:
        return False
    return revoked_at is None or at < revoked_at


def consent_covers(consent_items: Collection[str], item: str) -> bool:
    """A consent reaches only the items it names (DIS-1)."""
    return item in consent_items


def consent_problems(
    *,
    items: Collection[str],
    purpose: str,
    expires_at: datetime,
    at: datetime,
    not_a_condition_of_service: bool,
    grantable: Collection[str],
    in_force: Collection[str] = PURPOSES,
) -> list[tuple[str, str]]:
    """What is wrong with a consent a subject wants to grant (Art. 16, 38; CSI-2), as
    ``(field, reason)`` pairs. ``grantable``: the published items that an authorized inquiry
    can serve (``public`` and ``authorized`` ones; a ``shared`` item is for government only)."""
    problems: list[tuple[str, str]] = []
    if not items:
        problems.append(("items", "至少选择一个信息项 / name at least one item"))
    for item in sorted(set(items) - set(grantable)):
        problems.append(
            (
                "items",
                f"{item} 不是可授权查询的已发布信息项 / {item} is not a published item that an "
                "authorized inquiry can serve",
            )
        )
    if purpose not in in_force:
        problems.append(
            ("purpose", f"{purpose} 不是公布的查询用途 / {purpose} is not a published purpose")
        )
    if expires_at <= at:
        problems.append(("expires_at", "到期时间须晚于现在 / the expiry must be in the future"))
    elif expires_at - at > timedelta(days=MAX_CONSENT_DAYS):
        problems.append(
            (
                "expires_at",
                f"授权最长 {MAX_CONSENT_DAYS} 天 / a consent runs at most {MAX_CONSENT_DAYS} days",
            )
        )
    if not not_a_condition_of_service:
        problems.append(
            (
                "not_a_condition_of_service",
                "须确认该授权并非办理其他业务的前提条件（第三十八条） / confirm that this consent "
                "was not made a condition of another service (Art. 38)",
            )
        )
    return problems


@dataclass(frozen=True, slots=True)
class HarvestingPolicy:
    """Thresholds of harvesting detection (Art. 18; INQ-3); data, see ``data/harvesting.json``."""

    distinct_subjects: int
    window_minutes: int
    cooldown_minutes: int
    address_factor: int = 4
    #: Answered inquiries an account may have per day unless the credit office set otherwise.
    daily_cap: int = 1000

    @property
    def window(self) -> timedelta:
        return timedelta(minutes=self.window_minutes)

    @property
    def cooldown(self) -> timedelta:
        return timedelta(minutes=self.cooldown_minutes)


def enumeration_suspected(
    recent_codes: Collection[str], code: str, policy: HarvestingPolicy
) -> bool:
    """Art. 18 (illegal acquisition): an account that asks about more distinct subjects within
    the policy's window than any case file needs is enumerating the register. ``recent_codes``
    are the subject codes it asked about within the window; ``code`` is the one asked now."""
    return over_threshold(len(set(recent_codes) | {code}), policy)


def distinct_with(recent_distinct: int, *, asked_before: bool) -> int:
    """Distinct subjects asked about within the window once this inquiry is counted: the
    ``recent_distinct`` ones, plus this one unless it is among them."""
    return recent_distinct if asked_before else recent_distinct + 1


def over_threshold(distinct: int, policy: HarvestingPolicy) -> bool:
    """Art. 18: more distinct subjects within the window than ``policy`` allows."""
    return distinct > policy.distinct_subjects


def cooldown_left(alert_at: datetime, at: datetime, policy: HarvestingPolicy) -> int:
    """Whole seconds an account blocked at ``alert_at`` must still wait at ``at`` (0: free)."""
    left = (alert_at + policy.cooldown - at).total_seconds()
    return max(0, int(-(-left // 1)))


#: Purposes of the platform's own looks at non-public information (Art. 20, 31): not inquiry
#: purposes an inquirer may name (Art. 19 ¶3), but written in the log the subject reads.
SUPERVISION = "supervision"
DELIVERY_MANAGEMENT = "delivery_management"
INTERCONNECTION = "interconnection"
#: code → (Chinese name, English name, legal basis).
INTERNAL_PURPOSES: dict[str, tuple[str, str, str]] = {
    SUPERVISION: (
        "信用主管部门监督管理",
        "supervision by the competent credit department",
        "《贵州省社会信用条例》第五条、第十三条",
    ),
    DELIVERY_MANAGEMENT: (
        "报送单位管理本单位报送的信息",
        "a provider managing the information it delivered",
        "《贵州省社会信用条例》第十三条、第三十三条",
    ),
    INTERCONNECTION: (
        "信用信息系统互联共享",
        "interconnection and sharing between credit information systems",
        "《贵州省社会信用条例》第六条",
    ),
}


def read_is_logged(publicity: str) -> bool:
    """Art. 20, 31: every look at non-public information leaves a row in the inquiry log that
    its subject reads. A record of an item whose publicity is ``public`` is public information
    and its read needs no row; ``shared`` and ``authorized`` items are non-public."""
    return publicity != "public"


def internal_purpose(role: str) -> str:
    """Why an account looks outside an inquiry (Art. 20: the log states the purpose): the credit
    office supervises, a provider or institution manages what it delivered, any other account
    (an organ's system) reads the shared feed for interconnection (Art. 6)."""
    if role == "credit_office":
        return SUPERVISION
    if role in ("provider", "institution"):
        return DELIVERY_MANAGEMENT
    return INTERCONNECTION


def purpose_steps(status: str | None) -> frozenset[str]:
    """Art. 19 ¶3: the lifecycle of a purpose, like a catalogue item's — a draft is published,
    a published purpose is retired (it stops being in force; inquiries naming it are refused).
    Returns the statuses ``status`` may move to (``None``: not yet drafted)."""
    steps = {None: {"draft"}, "draft": {"published"}, "published": {"retired"}}
    return frozenset(steps.get(status, set()))


def cap_reached(answered_today: int, per_day: int) -> bool:
    """Art. 18 (no illegal acquisition): an account that had ``per_day`` inquiries answered
    today gets no more until the platform's next day."""
    return answered_today >= per_day
