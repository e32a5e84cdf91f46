"""A small world for objection tests: a provider, one of its penalty records on a company,
the company's subject account, a credit office account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from tests.factories.accounts import actor_of, make_org, make_user
from tests.factories.disclosure import penalty, uscc
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Actor, Role

COMPANY = "贵州异议示例有限公司"


@dataclass
class World:
    provider: Actor
    other_provider: Actor
    subject: Actor
    office: Actor
    record_id: int
    code: str


def make_world(db: Session, *, at: datetime, seq: int = 501) -> World:
    load_shipped_catalogues(db, actor=SYSTEM, at=at)
    db.commit()
    make_org(db, at=at, code="GY-SJJ", kind="provider", name="贵阳市市场监督管理局")
    make_org(db, at=at, code="GY-SWJ", kind="provider", name="贵阳市税务局")
    provider = actor_of(
        make_user(db, at=at, role=Role.PROVIDER, username="sjj_staff", org_code="GY-SJJ")
    )
    other = actor_of(
        make_user(db, at=at, role=Role.PROVIDER, username="swj_staff", org_code="GY-SWJ")
    )
    code = uscc(seq)
    record_id = penalty(
        db,
        provider,
        person=False,
        name=COMPANY,
        code=code,
        decided_on=date(2026, 9, 1),
        severity="general",
        at=at,
        doc=f"筑市监罚〔2026〕{seq}号",
    )
    subject = actor_of(
        make_user(db, at=at, role=Role.SUBJECT, username=f"subject{seq}", subject_code=code)
    )
    office = actor_of(make_user(db, at=at, role=Role.CREDIT_OFFICE, username="office_staff"))
    assert subject.subject_id is not None
    return World(provider, other, subject, office, record_id, code)
