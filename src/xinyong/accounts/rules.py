"""Pure rules of accounts and organisations (PLT-1): no I/O, no session.

Art. 18 forbids illegal acquisition of credit information and Art. 20 makes each state organ set
the authority of its own inquiry personnel; both need accounts that cannot be guessed or shared,
whose authority is explicit, and whose duties are separated.

Decisions recorded here (DESIGN.md §2, PLT-1):

- Passwords are NFKC-normalised before they are checked or hashed, so a full-width "Ａ" typed on
  a phone's Chinese input method is the same password as "A".
- A password has at least 12 characters and at least 3 of 4 classes: lower case, upper case,
  digit, symbol. Anything that is not a cased letter or a digit counts as a symbol — this
  includes CJK characters and spaces: they have no case, and each is drawn from an alphabet far
  larger than ASCII punctuation, so it adds at least as much guessing work as a symbol.
- A password that is published (the demo password) or among the commonest patterns
  (``accounts/data/common_passwords.txt``) is refused however strong it looks; the list is
  loaded by ``accounts.passwords.refused_passwords`` and passed in.
- Separation of duties: an account holds exactly one role, so no account can hold two of
  sysadmin / secadmin / auditor; the anonymous ``public`` role is never an account's role.
- The organisation an account belongs to must fit its role (:data:`ORG_KINDS_BY_ROLE`). A
  ``subject`` account may belong to any organisation (the one that verified the person) or to
  none (self-registration): what matters for it is the subject it is bound to.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Container
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from xinyong.core.actor import Role

MIN_PASSWORD_LENGTH = 12
#: Bounds the hashing work a single request can ask for.
MAX_PASSWORD_LENGTH = 256
MIN_PASSWORD_CLASSES = 3


class OrgKind(StrEnum):
    PROVIDER = "provider"
    ORGAN = "organ"
    OFFICE = "office"
    INSTITUTION = "institution"


#: Kinds of state organ, for the statutory authority of measures (Art. 23, 29: "within the scope
#: of their statutory authority"). An organisation of kind ``organ`` (or ``provider``) carries
#: one; the measure lists name the organ kinds that may implement each measure. ``court`` is
#: the only judicial kind: court enforcement measures name it alone.
ORGAN_KINDS: dict[str, str] = {
    "court": "人民法院 / people's court",
    "development_reform": "发展改革部门（社会信用工作主管部门） / development and reform",
    "finance": "财政部门（政府采购监督管理） / finance (government procurement)",
    "public_resource_trading": "公共资源交易监督管理部门 / public resource trading supervision",
    "market_regulation": "市场监督管理部门 / market regulation",
    "housing_construction": "住房城乡建设部门 / housing and urban-rural construction",
    "human_resources": "人力资源社会保障、组织人事部门 / human resources and personnel",
    "government_services": "政务服务管理部门 / government services administration",
    "tax": "税务部门 / taxation",
    "data_administration": "大数据管理部门 / big data administration",
    "culture_tourism": "文化和旅游部门 / culture and tourism",
    "civil_affairs": "民政部门 / civil affairs",
}
JUDICIAL_ORGAN_KINDS = frozenset({"court"})


#: Inquiry purposes and check matters (Art. 19, 21, 23; API.md).
PURPOSES = frozenset(
    {
        "licensing",
        "inspection",
        "public_resource_trading",
        "financial_support",
        "commendation",
        "public_service",
        "personnel",
    }
)

#: Which organisation kinds an account of each role may belong to; ``None`` means any or none.
ORG_KINDS_BY_ROLE: dict[Role, frozenset[OrgKind] | None] = {
    Role.SUBJECT: None,
    Role.PROVIDER: frozenset({OrgKind.PROVIDER}),
    Role.INQUIRER: frozenset({OrgKind.ORGAN}),
    Role.INSTITUTION: frozenset({OrgKind.INSTITUTION}),
    Role.CREDIT_OFFICE: frozenset({OrgKind.OFFICE}),
    Role.SYSADMIN: frozenset({OrgKind.OFFICE}),
    Role.SECADMIN: frozenset({OrgKind.OFFICE}),
    Role.AUDITOR: frozenset({OrgKind.OFFICE}),
}

#: Roles whose web sessions expire after the shorter idle time.
SHORT_IDLE_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR, Role.CREDIT_OFFICE})

#: Roles that may carry an inquiry authority (purposes / items).
AUTHORITY_ROLES = frozenset({Role.INQUIRER, Role.INSTITUTION})

#: GB/T 2260 province-level prefixes (incl. Taiwan, Hong Kong, Macao).
PROVINCE_PREFIXES = frozenset(
    str(n)
    for n in (
        11,
        12,
        13,
        14,
        15,
        21,
        22,
        23,
        31,
        32,
        33,
        34,
        35,
        36,
        37,
        41,
        42,
        43,
        44,
        45,
        46,
        50,
        51,
        52,
        53,
        54,
        61,
        62,
        63,
        64,
        65,
        71,
        81,
        82,
    )
)

_USERNAME = re.compile(r"^[\w.@-]{2,64}$")
_ORG_CODE = re.compile(r"^[\w.-]{1,64}$")
_ITEM_CODE = re.compile(r"^[a-z][a-z0-9_]{1,63}$")

_CLASS_NAMES = {
    "lower": "小写字母 a lower-case letter",
    "upper": "大写字母 an upper-case letter",
    "digit": "数字 a digit",
    "symbol": "符号 a symbol",
}


def normalise_password(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


def password_classes(password: str) -> frozenset[str]:
    """The character classes present in ``password`` (after NFKC)."""
    found: set[str] = set()
    for ch in normalise_password(password):
        if ch.isdigit():
            found.add("digit")
        elif ch.islower():
            found.add("lower")
        elif ch.isupper():
            found.add("upper")
        else:
            found.add("symbol")
    return frozenset(found)


def password_key(password: str) -> str:
    """The form in which a password is compared with the refused list (NFKC, case folded)."""
    return normalise_password(password).strip().casefold()


def password_problems(password: str, *, refused: Container[str] = frozenset()) -> list[str]:
    """Why ``password`` breaks the policy (PLT-1); empty when it is acceptable.

    ``refused`` holds the :func:`password_key` of passwords refused whatever their strength:
    published ones (the demo password) and the commonest patterns. Each message names what is
    missing, Chinese first, then English.
    """
    text = normalise_password(password)
    problems: list[str] = []
    if password_key(password) in refused:
        problems.append(
            "该密码已公开或过于常见，请另选一个"
            " / this password is published or among the most common; choose another"
        )
    if len(text) < MIN_PASSWORD_LENGTH:
        problems.append(
            f"密码至少 {MIN_PASSWORD_LENGTH} 个字符（现为 {len(text)}）"
            f" / a password needs at least {MIN_PASSWORD_LENGTH} characters (it has {len(text)})"
        )
    if len(text) > MAX_PASSWORD_LENGTH:
        problems.append(
            f"密码至多 {MAX_PASSWORD_LENGTH} 个字符"
            f" / a password has at most {MAX_PASSWORD_LENGTH} characters"
        )
    present = password_classes(text)
    if len(present) < MIN_PASSWORD_CLASSES:
        need = MIN_PASSWORD_CLASSES - len(present)
        missing = [key for key in _CLASS_NAMES if key not in present]
        zh = "、".join(_CLASS_NAMES[k].split(" ", 1)[0] for k in missing)
        en = ", ".join(_CLASS_NAMES[k].split(" ", 1)[1] for k in missing)
        problems.append(
            f"密码须包含四类字符中的至少 {MIN_PASSWORD_CLASSES} 类，"
            f"还需从以下类别补充 {need} 类：{zh}"
            f" / a password needs {MIN_PASSWORD_CLASSES} of 4 character classes;"
            f" add {need} of: {en}"
        )
    return problems


# --- login lockout ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoginState:
    failed_logins: int
    locked_until: datetime | None


def is_locked(locked_until: datetime | None, at: datetime) -> bool:
    """Whether a lock set after repeated failures still holds at ``at`` (PLT-1)."""
    return locked_until is not None and at < locked_until


def after_failure(
    state: LoginState, at: datetime, *, max_failures: int, lock_minutes: int
) -> LoginState:
    """The state after one more failed login (PLT-1 lockout).

    The ``max_failures``-th consecutive failure locks the account for ``lock_minutes`` and
    starts the count again. Failures while locked neither count nor extend the lock: otherwise
    anyone could keep an account locked for ever.
    """
    if is_locked(state.locked_until, at):
        return state
    failures = state.failed_logins + 1
    if failures >= max_failures:
        return LoginState(failed_logins=0, locked_until=at + timedelta(minutes=lock_minutes))
    return LoginState(failed_logins=failures, locked_until=state.locked_until)


# --- sessions and tokens ---------------------------------------------------------------------


def idle_limit(role: Role, *, admin_minutes: int, other_minutes: int) -> timedelta:
    """How long a web session may stay idle (PLT-1): shorter for administrators and the
    credit office, whose accounts reach the most information."""
    minutes = admin_minutes if role in SHORT_IDLE_ROLES else other_minutes
    return timedelta(minutes=minutes)


def session_idle_expired(last_seen_at: datetime, at: datetime, limit: timedelta) -> bool:
    return at - last_seen_at >= limit


def token_expired(expires_at: datetime, at: datetime) -> bool:
    return at >= expires_at


# --- shapes of names and codes ---------------------------------------------------------------


def normalise_username(username: str) -> str:
    return unicodedata.normalize("NFKC", username).strip().lower()


def username_problem(username: str) -> str | None:
    if _USERNAME.match(normalise_username(username)):
        return None
    return "用户名须为 2–64 个字母、数字或 . _ @ - / a username is 2–64 letters, digits or . _ @ -"


def org_code_problem(code: str) -> str | None:
    if _ORG_CODE.match(code.strip()):
        return None
    return (
        "机构代码须为 1–64 个字母、数字或 . _ - "
        "/ an organisation code is 1–64 letters, digits or . _ -"
    )


def region_problem(region: str) -> str | None:
    """GB/T 2260 administrative division code: 6 digits under a known province prefix."""
    if len(region) != 6 or not region.isascii() or not region.isdigit():
        return f"行政区划代码须为 6 位数字：{region!r} / a region code is 6 digits (GB/T 2260)"
    if region[:2] not in PROVINCE_PREFIXES:
        return (
            f"行政区划代码 {region} 的省级前缀 {region[:2]} 不存在"
            f" / region code {region} has no province {region[:2]} (GB/T 2260)"
        )
    return None


def region_within(child: str, parent: str) -> bool:
    """Whether division ``child`` lies inside division ``parent`` (GB/T 2260 prefixes:
    ``520000`` holds ``5201xx``; ``520100`` holds ``5201xx``; a county holds only itself)."""
    prefix = parent
    for _ in range(2):
        if prefix.endswith("00"):
            prefix = prefix[:-2]
    return child.startswith(prefix)


def role_problem(role: str) -> str | None:
    """Separation of duties: exactly one role, and never the anonymous ``public``."""
    try:
        parsed = Role(role)
    except ValueError:
        parsed = None
    if parsed is None or parsed is Role.PUBLIC:
        allowed = ", ".join(r.value for r in Role if r is not Role.PUBLIC)
        return f"未知角色 {role!r}，可选：{allowed} / unknown role {role!r}; one of: {allowed}"
    return None


def org_fits_role(role: Role, kind: OrgKind | None) -> bool:
    kinds = ORG_KINDS_BY_ROLE[role]
    if kinds is None:
        return True
    return kind is not None and kind in kinds


def purpose_problem(purpose: str, in_force: Collection[str] = PURPOSES) -> str | None:
    """An account's authority names purposes in force (Art. 19 ¶3, 20)."""
    if purpose in in_force:
        return None
    allowed = ", ".join(sorted(in_force))
    return (
        f"未知查询用途 {purpose!r}，可选：{allowed}"
        f" / unknown purpose {purpose!r}; one of: {allowed}"
    )


def item_code_problem(item: str) -> str | None:
    if _ITEM_CODE.match(item):
        return None
    return f"目录项代码格式不正确：{item!r} / malformed catalogue item code {item!r}"
