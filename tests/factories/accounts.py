"""Organisations and accounts for tests of every context (through the accounts service)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from xinyong.accounts import service as accounts
from xinyong.accounts.models import Organisation, UserAccount
from xinyong.accounts.rules import ORG_KINDS_BY_ROLE, OrgKind
from xinyong.core.actor import Actor, Role
from xinyong.institutions import service as institutions

#: Meets the policy: 12+ characters, 4 classes.
PASSWORD = "Qianlan-2026-guizhou!"

_DEFAULT_KIND = {
    role: sorted(kinds)[0] if kinds else None for role, kinds in ORG_KINDS_BY_ROLE.items()
}


def make_org(
    db: Session,
    *,
    at: datetime,
    code: str = "GZ-SCO",
    kind: OrgKind | str = OrgKind.OFFICE,
    name: str | None = None,
    region: str | None = "520000",
    parent_code: str | None = None,
    filed: bool = True,
    organ_kind: str | None = None,
    uscc: str | None = None,
    sector: str | None = None,
) -> Organisation:
    """An organisation; an institution is also filed as active (CSI-1), as ``xinyong org add``
    files it, unless ``filed=False``."""
    org = accounts.add_organisation(
        db,
        actor=accounts.OPERATOR,
        code=code,
        name=name or f"机构 {code}",
        kind=str(kind),
        region=region,
        parent_code=parent_code,
        uscc=uscc,
        at=at,
        organ_kind=organ_kind,
        sector=sector,
    )
    if filed and str(kind) == OrgKind.INSTITUTION:
        institutions.file_on_creation(db, actor=institutions.OPERATOR, org_code=org.code, at=at)
    return org


def make_user(
    db: Session,
    *,
    at: datetime,
    role: Role | str,
    username: str | None = None,
    password: str = PASSWORD,
    org_code: str | None = None,
    subject_code: str | None = None,
    purposes: Iterable[str] = (),
    items: Iterable[str] = (),
) -> UserAccount:
    """An account; its organisation is created (of the kind its role needs) when not named."""
    role = Role(role)
    kind = _DEFAULT_KIND[role]
    if org_code is None and kind is not None:
        org_code = f"ORG-{kind.value}"
        if db.query(Organisation).filter_by(code=org_code).first() is None:
            make_org(db, at=at, code=org_code, kind=kind)
    return accounts.add_user(
        db,
        actor=accounts.OPERATOR,
        username=username or f"{role.value}1",
        password=password,
        org_code=org_code,
        role=role.value,
        subject_code=subject_code,
        purposes=purposes,
        items=items,
        at=at,
    )


def actor_of(user: UserAccount) -> Actor:
    return accounts.actor_for(user)
