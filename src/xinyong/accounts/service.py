"""Accounts use cases: organisations and accounts (PLT-1). Logins, tokens and web sessions are
in :mod:`xinyong.accounts.sessions`; the names the web layer uses are re-exported here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from xinyong.accounts import repository as repo
from xinyong.accounts import rules
from xinyong.accounts.models import Organisation, UserAccount, UserItem, UserPurpose
from xinyong.accounts.passwords import hash_password, refused_passwords
from xinyong.accounts.rules import OrgKind
from xinyong.accounts.schemas import OrganisationRead, UserRead
from xinyong.accounts.sectors import sector_codes
from xinyong.accounts.sessions import (
    INVALID_CREDENTIALS,
    INVALID_SECOND_FACTOR,
    SESSION_COOKIE,
    TotpInvalid,
    TotpRequired,
    actor_for,
    authenticate,
    authenticate_second_step,
    end_web_session,
    issue_token,
    resolve_actor,
    revoke_token,
    start_web_session,
)
from xinyong.audit.service import record_event
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import local_date
from xinyong.core.errors import Conflict, InvalidInput
from xinyong.core.identifiers import IdentifierKind, check_identifier
from xinyong.core.permissions import require
from xinyong.inquiry.purposes import purposes_in_force
from xinyong.subjects import service as subjects

__all__ = [
    "INVALID_CREDENTIALS",
    "INVALID_SECOND_FACTOR",
    "OPERATOR",
    "SESSION_COOKIE",
    "TotpInvalid",
    "TotpRequired",
    "actor_for",
    "add_organisation",
    "add_user",
    "authenticate",
    "authenticate_second_step",
    "end_web_session",
    "find_organisation",
    "issue_token",
    "list_organisations",
    "list_users",
    "organisation_by_id",
    "resolve_actor",
    "revoke_token",
    "start_web_session",
]

#: The local operator: whoever runs ``xinyong`` on the server. The CLI is trusted because it
#: needs shell access to the server, which is already beyond any web account's reach.
OPERATOR = Actor(role=Role.SYSADMIN, username="cli", display_name="本机操作员 local operator (cli)")


class WeakPassword(InvalidInput, code="weak_password"): ...


class UnknownOrganisation(InvalidInput, code="unknown_organisation"): ...


class UsernameTaken(Conflict, code="username_taken"): ...


class OrganisationExists(Conflict, code="organisation_exists"): ...


def _known_organisation(session: Session, code: str, field: str, zh: str, en: str) -> Organisation:
    """The organisation ``code`` names in the form's ``field`` (a ``zh`` / ``en`` thing)."""
    org = repo.organisation_by_code(session, code.strip())
    if org is None:
        raise UnknownOrganisation(
            f"{zh} {code} 不存在 / no {en} {code}",
            details=[{"field": field, "reason": "unknown organisation"}],
        )
    return org


def _refuse(problems: list[tuple[str, str]], *, error: type[InvalidInput] = InvalidInput) -> None:
    if problems:
        fields = ", ".join(dict.fromkeys(field for field, _ in problems))
        message = problems[0][1] if len(problems) == 1 else f"输入有误 / invalid input: {fields}"
        raise error(
            message,
            details=[{"field": field, "reason": reason} for field, reason in problems],
        )


def _flush_unique(session: Session, error: Conflict) -> None:
    """Flush, turning a unique-constraint race into the same Conflict the pre-check gives."""
    try:
        session.flush()
    except IntegrityError:
        # The use case fails: its unit of work rolls back (inside a caller's savepoint,
        # the savepoint does).
        if not session.in_nested_transaction():
            session.rollback()
        raise error from None


def add_organisation(
    session: Session,
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    region: str | None = None,
    parent_code: str | None = None,
    uscc: str | None = None,
    at: datetime,
    organ_kind: str | None = None,
    sector: str | None = None,
) -> Organisation:
    """Add an organisation to the tree. Without a region it takes its parent's. ``organ_kind``
    (``rules.ORGAN_KINDS``) bounds the measures a state organ may implement (Art. 23, 29)."""
    require(actor, "accounts:manage")
    code, name = code.strip(), name.strip()
    problems: list[tuple[str, str]] = []
    if uscc is not None:
        check = check_identifier(uscc, kind=IdentifierKind.USCC)
        if not check.valid:
            problems.append(("uscc", f"统一社会信用代码无效 / invalid USCC: {check.error}"))
        uscc = check.normalized
    if problem := rules.org_code_problem(code):
        problems.append(("code", problem))
    if not name or len(name) > 300:
        problems.append(("name", "机构名称须为 1–300 个字符 / a name is 1–300 characters"))
    if kind not in {k.value for k in OrgKind}:
        kinds = ", ".join(k.value for k in OrgKind)
        problems.append(
            ("kind", f"未知机构类型 {kind!r}，可选：{kinds} / unknown kind; one of: {kinds}")
        )
    if region is not None and (problem := rules.region_problem(region)):
        problems.append(("region", problem))
    if organ_kind is not None and organ_kind not in rules.ORGAN_KINDS:
        known = ", ".join(rules.ORGAN_KINDS)
        problems.append(
            ("organ_kind", f"未知机关类型 {organ_kind!r}，可选：{known} / unknown organ kind")
        )
    if sector is not None and sector not in sector_codes():
        problems.append(
            ("sector", f"未知领域 {sector!r}，可选：{', '.join(sector_codes())} / unknown sector")
        )
    _refuse(problems)

    parent = None
    if parent_code is not None:
        parent = _known_organisation(
            session, parent_code, "parent", "上级机构", "parent organisation"
        )
        if region is None:
            region = parent.region
        elif parent.region is not None and not rules.region_within(region, parent.region):
            outside = (
                f"行政区划 {region} 不在上级机构的区划 {parent.region} 之内"
                f" / region {region} is outside the parent's region {parent.region}"
            )
            _refuse([("region", outside)])
    exists = OrganisationExists(f"机构代码 {code} 已存在 / organisation code {code} already exists")
    if repo.organisation_by_code(session, code) is not None:
        raise exists
    org = Organisation(
        code=code,
        name=name,
        kind=OrgKind(kind),
        region=region,
        organ_kind=organ_kind,
        uscc=uscc,
        sector=sector,
        parent_id=parent.id if parent else None,
        created_at=at,
    )
    session.add(org)
    _flush_unique(session, exists)
    record_event(
        session,
        actor=actor,
        tag="accounts:organisation:create",
        at=at,
        object_type="organisation",
        object_id=org.id,
        after=organisation_read(session, org).model_dump(),
    )
    session.flush()
    return org


def _subject_code(code: str, at: datetime) -> tuple[str | None, str | None]:
    """Normalise a subject identifier (SUB-2); the second value is why it is invalid."""
    result = check_identifier(code, today=local_date(at))
    if not result.valid:
        return None, f"主体标识无效 / invalid subject identifier {code!r}: {result.error}"
    return result.normalized, None


def _registered_subject_id(session: Session, code: str | None) -> int | None:
    found = subjects.find_by_code(session, code) if code else None
    return found.id if found else None


def add_user(
    session: Session,
    *,
    actor: Actor,
    username: str,
    password: str,
    org_code: str | None,
    role: str,
    display_name: str | None = None,
    subject_code: str | None = None,
    purposes: Iterable[str] = (),
    items: Iterable[str] = (),
    at: datetime,
    demo_account: bool = False,
) -> UserAccount:
    """Add an account with exactly one role (separation of duties) and, for an inquirer or an
    institution, its authority (Art. 20): the purposes and catalogue items it may use.
    ``demo_account``: one of ``xinyong demo load``'s shipped accounts, which alone may use the
    published demo password (every other password rule still applies)."""
    require(actor, "accounts:manage")
    name = rules.normalise_username(username)
    purposes, items = sorted(set(purposes)), sorted(set(items))
    problems: list[tuple[str, str]] = []
    if problem := rules.username_problem(name):
        problems.append(("username", problem))
    # The demo loader's own shipped accounts may keep the published demo password; no other.
    refused: frozenset[str] = frozenset() if demo_account else refused_passwords()
    problems += [("password", p) for p in rules.password_problems(password, refused=refused)]
    if problem := rules.role_problem(role):
        problems.append(("role", problem))
    in_force = purposes_in_force(session) if purposes else rules.PURPOSES
    problems += [("purpose", p) for x in purposes if (p := rules.purpose_problem(x, in_force))]
    problems += [("item", p) for x in items if (p := rules.item_code_problem(x))]
    only_password = bool(problems) and all(field == "password" for field, _ in problems)
    _refuse(problems, error=WeakPassword if only_password else InvalidInput)
    the_role = Role(role)

    if (purposes or items) and the_role not in rules.AUTHORITY_ROLES:
        problems.append(
            (
                "purpose",
                "只有 inquirer、institution 账号可设置查询权限"
                " / only inquirer and institution accounts carry an authority",
            )
        )
    subject: str | None = None
    if the_role is Role.SUBJECT:
        if not subject_code:
            problems.append(
                ("subject", "信用主体账号须绑定主体 / a subject account needs --subject")
            )
        else:
            subject, problem = _subject_code(subject_code, at)
            if problem:
                problems.append(("subject", problem))
    elif subject_code:
        problems.append(
            ("subject", "只有 subject 账号可绑定主体 / only subject accounts bind a subject")
        )
    if org_code is None and rules.ORG_KINDS_BY_ROLE[the_role] is not None:
        problems.append(
            ("org", f"角色 {role} 须属于某机构 / a {role} account needs an organisation")
        )
    _refuse(problems)

    org = None
    if org_code is not None:
        org = _known_organisation(session, org_code, "org", "机构", "organisation")
        if not rules.org_fits_role(the_role, org.kind):
            kinds = ", ".join(sorted(rules.ORG_KINDS_BY_ROLE[the_role] or ()))
            misfit = (
                f"角色 {role} 不能属于 {org.kind.value} 类机构（须为 {kinds}）"
                f" / a {role} account cannot belong to a {org.kind.value}"
                f" organisation (needs: {kinds})"
            )
            _refuse([("org", misfit)])
    taken = UsernameTaken(f"用户名 {name} 已被使用 / username {name} is taken")
    if repo.user_by_username(session, name) is not None:
        raise taken
    user = UserAccount(
        username=name,
        password_hash=hash_password(password),
        display_name=(display_name or "").strip()[:200] or name,
        role=the_role,
        org=org,
        subject_code=subject,
        subject_id=_registered_subject_id(session, subject),
        failed_logins=0,
        is_active=True,
        created_at=at,
        purpose_rows=[UserPurpose(purpose=p) for p in purposes],
        item_rows=[UserItem(item_code=i) for i in items],
    )
    session.add(user)
    _flush_unique(session, taken)
    record_event(
        session,
        actor=actor,
        tag="accounts:user:create",
        at=at,
        object_type="user",
        object_id=user.id,
        after=user_read(user).model_dump(mode="json"),
    )
    session.flush()
    return user


def organisation_read(session: Session, org: Organisation) -> OrganisationRead:
    parent = repo.organisation_by_id(session, org.parent_id) if org.parent_id else None
    return OrganisationRead(
        code=org.code,
        name=org.name,
        kind=org.kind.value,
        region=org.region,
        parent_code=parent.code if parent else None,
        organ_kind=org.organ_kind,
        uscc=org.uscc,
        sector=org.sector,
    )


def user_read(user: UserAccount) -> UserRead:
    return UserRead(
        username=user.username,
        display_name=user.display_name,
        role=user.role.value,
        org_code=user.org.code if user.org else None,
        subject_code=user.subject_code,
        purposes=[row.purpose for row in user.purpose_rows],
        items=[row.item_code for row in user.item_rows],
        is_active=user.is_active,
        locked_until=user.locked_until,
        last_login_at=user.last_login_at,
    )


def find_organisation(session: Session, code: str) -> Organisation | None:
    """The organisation with this code, for contexts that bind it to something (e.g. the
    catalogue's collection sources); ``None`` when there is none."""
    return repo.organisation_by_code(session, code.strip())


def organisation_by_id(session: Session, org_id: int) -> Organisation | None:
    return repo.organisation_by_id(session, org_id)


def list_organisations(session: Session, *, actor: Actor) -> Sequence[OrganisationRead]:
    require(actor, "accounts:manage")
    return [organisation_read(session, org) for org in repo.list_organisations(session)]


def list_users(session: Session, *, actor: Actor) -> Sequence[UserRead]:
    require(actor, "accounts:manage")
    return [user_read(user) for user in repo.list_users(session)]
