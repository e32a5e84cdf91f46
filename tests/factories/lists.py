"""A world for list procedure tests: the credit office, a state organ that proposes, a company
with its legal representative in the register, its subject account, and a natural person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from tests.factories.accounts import actor_of, make_org, make_user
from tests.factories.disclosure import resident_id, uscc
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Actor, Role
from xinyong.lists.schemas import DecisionCreate, ProcedureCreate
from xinyong.subjects import service as subjects

COMPANY = "贵州名单示例建材有限公司"
REPRESENTATIVE = "张法人"
PERSON = "李个人"
#: The deciding organ's USCC (a state organ code, 11…).
OFFICE_USCC = uscc(7, "520000")


@dataclass
class ListWorld:
    office: Actor
    organ: Actor
    subject: Actor
    company_id: int
    company_code: str
    representative_id: int
    person_id: int
    person_code: str


def make_list_world(db: Session, *, at: datetime, seq: int = 601) -> ListWorld:
    load_shipped_catalogues(db, actor=SYSTEM, at=at)
    db.commit()
    make_org(
        db, at=at, code=f"GZ-XYB-{seq}", kind="office", name="贵州省社会信用工作主管部门",
        uscc=OFFICE_USCC,
    )  # fmt: skip
    make_org(db, at=at, code=f"GY-YJJ-{seq}", kind="organ", name="贵阳市应急管理局")
    office = actor_of(
        make_user(
            db, at=at, role=Role.CREDIT_OFFICE, username=f"xyb{seq}", org_code=f"GZ-XYB-{seq}"
        )
    )
    organ = actor_of(
        make_user(db, at=at, role=Role.INQUIRER, username=f"yjj{seq}", org_code=f"GY-YJJ-{seq}")
    )
    code, rep_code, person_code = uscc(seq), resident_id(seq), resident_id(seq + 1)
    company = subjects.register_subject(
        db, actor=office, type="legal_person", id_value=code, name=COMPANY, at=at
    )
    rep = subjects.register_subject(
        db, actor=office, type="natural_person", id_value=rep_code, name=REPRESENTATIVE, at=at
    )
    person = subjects.register_subject(
        db, actor=office, type="natural_person", id_value=person_code, name=PERSON, at=at
    )
    subjects.link_representative(
        db, actor=office, organisation_id=company.id, person_id=rep.id,
        role="legal_representative", valid_from_on=date(2020, 1, 1), at=at,
    )  # fmt: skip
    subject = actor_of(
        make_user(db, at=at, role=Role.SUBJECT, username=f"company{seq}", subject_code=code)
    )
    assert subject.subject_id == company.id
    return ListWorld(office, organ, subject, company.id, code, rep.id, person.id, person_code)


def proposal(code: str, **overrides: object) -> ProcedureCreate:
    data: dict[str, object] = {
        "subject": code,
        "ground": "health_and_safety",
        "legal_basis": "《中华人民共和国安全生产法》第一百一十六条",
        "facts": "2026年8月3日，该单位发生重大生产安全事故，造成3人死亡。",
    }
    data.update(overrides)
    return ProcedureCreate.model_validate(data)


def decision(**overrides: object) -> DecisionCreate:
    data: dict[str, object] = {
        "reasons": "经查证属实，当事人对事故负有主要责任，情节严重。",
        "measures": "限制参与政府采购、工程招投标；限制享受财政资金补助。",
        "deciding_org_uscc": OFFICE_USCC,
    }
    data.update(overrides)
    return DecisionCreate.model_validate(data)
