"""Inquiry test data: one company with a public penalty, a public licence and a government-only
tax arrears record, and one account per role that reads it (through the services)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from tests.factories.accounts import actor_of, make_org, make_user
from tests.factories.disclosure import AUTH_CODE, deliver, party_fields, penalty, tax_fields, uscc
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.catalogue.models import CatalogueItem
from xinyong.core.actor import SYSTEM, Actor, Role

COMPANY = "贵州查询示例有限公司"


def licence_fields(*, name: str, code: str, doc: str) -> dict[str, object]:
    fields = party_fields(person=False, name=name, code=code)
    fields.update(
        {
            "XK_XKWS": "食品经营许可决定书",
            "XK_WSH": doc,
            "XK_XKLB": "普通",
            "XK_NR": "食品销售",
            "XK_JDRQ": "2026-03-01",
            "XK_YXQZ": "2026-03-01",
            "XK_YXQZI": "2031-02-28",
            "XK_XKJG": "贵阳市市场监督管理局",
            "XK_XKJGDM": AUTH_CODE,
            "XK_ZT": "有效",
            "XK_LYDW": "贵阳市市场监督管理局",
            "XK_LYDWDM": AUTH_CODE,
        }
    )
    return fields


@dataclass
class World:
    code: str
    penalty_id: int
    licence_id: int
    tax_id: int
    provider: Actor
    inquirer: Actor
    narrow: Actor
    institution: Actor
    subject: Actor
    auditor: Actor
    office: Actor
    institution_org: str


def ensure_catalogue(db: Session, at: datetime) -> None:
    if db.query(CatalogueItem).first() is None:
        load_shipped_catalogues(db, actor=SYSTEM, at=at)
        db.commit()


def seed(db: Session, at: datetime, *, tag: str = "q", seq: int = 901) -> World:
    """Everything the inquiry tests read; ``tag`` keeps usernames and codes apart when several
    worlds share one database (browser tests)."""
    ensure_catalogue(db, at)
    make_org(db, at=at, code=f"{tag}-SJJ", kind="provider", name="贵阳市市场监督管理局")
    provider = actor_of(
        make_user(db, at=at, role=Role.PROVIDER, username=f"{tag}_sjj", org_code=f"{tag}-SJJ")
    )
    code = uscc(seq)
    penalty_id = penalty(
        db, provider, person=False, name=COMPANY, code=code, decided_on=date(2026, 8, 3),
        severity="general", at=at, doc=f"黔市监罚〔2026〕{seq}号",
    )  # fmt: skip
    licence_id = deliver(
        db, provider, item="admin_licensing", at=at, source_id=f"LIC-{tag}-{seq}",
        fields=licence_fields(name=COMPANY, code=code, doc=f"黔食许〔2026〕{seq}号"),
        decided_on=date(2026, 3, 1),
    )  # fmt: skip
    tax_id = deliver(
        db, provider, item="tax_arrears", severity="general", decided_on=date(2026, 9, 1),
        fields=tax_fields(person=False, name=COMPANY, code=code, on=date(2026, 9, 1)),
        at=at, source_id=f"TAX-{tag}-{seq}",
    )  # fmt: skip
    make_org(db, at=at, code=f"{tag}-FGW", kind="organ", name="贵阳市发展和改革委员会")
    inquirer = actor_of(
        make_user(
            db, at=at, role=Role.INQUIRER, username=f"{tag}_fgw", org_code=f"{tag}-FGW",
            purposes=["licensing", "inspection"],
        )
    )  # fmt: skip
    narrow = actor_of(
        make_user(
            db, at=at, role=Role.INQUIRER, username=f"{tag}_fgw_narrow", org_code=f"{tag}-FGW",
            purposes=["licensing"], items=["admin_penalty"],
        )
    )  # fmt: skip
    make_org(db, at=at, code=f"{tag}-XYPG", kind="institution", name="贵州信用评估有限公司")
    institution = actor_of(
        make_user(db, at=at, role=Role.INSTITUTION, username=f"{tag}_xypg", org_code=f"{tag}-XYPG")
    )
    subject = actor_of(
        make_user(db, at=at, role=Role.SUBJECT, username=f"{tag}_company", subject_code=code)
    )
    make_org(db, at=at, code=f"{tag}-SCO", kind="office", name="贵州省信用办")
    auditor = actor_of(
        make_user(db, at=at, role=Role.AUDITOR, username=f"{tag}_audit", org_code=f"{tag}-SCO")
    )
    office = actor_of(
        make_user(
            db, at=at, role=Role.CREDIT_OFFICE, username=f"{tag}_office", org_code=f"{tag}-SCO"
        )
    )
    return World(
        code, penalty_id, licence_id, tax_id, provider, inquirer, narrow, institution, subject,
        auditor, office, f"{tag}-XYPG",
    )  # fmt: skip
