"""A small world for credit repair tests: a market regulator and its penalty records of every
class on one company, a judgment-default record (not repairable by law), the company's subject
account, a credit office account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from tests.factories.accounts import actor_of, make_org, make_user
from tests.factories.catalogue import register_source
from tests.factories.disclosure import AUTH_CODE, deliver, party_fields, penalty, uscc
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Actor, Role

COMPANY = "贵州修复示例有限公司"


@dataclass
class RepairWorld:
    provider: Actor
    other_provider: Actor
    subject: Actor
    other_subject: Actor
    office: Actor
    code: str
    #: Serious, decided 2026-03-15 (Order 58): minimum reached on 2027-03-15.
    serious_id: int
    #: General, decided 2026-05-20 (Order 36): minimum reached on 2026-08-20.
    general_id: int
    #: General, decided 2026-09-01: minimum reached on 2026-12-01.
    recent_id: int
    #: Minor, decided 2026-09-10: only the obligations matter.
    minor_id: int
    #: Judgment default: the catalogue marks it not repairable.
    judgment_id: int


def make_repair_world(db: Session, *, at: datetime, seq: int = 701) -> RepairWorld:
    load_shipped_catalogues(db, actor=SYSTEM, at=at)
    db.commit()
    make_org(db, at=at, code="GY-SJJ", kind="provider", name="贵阳市市场监督管理局")
    make_org(db, at=at, code="GY-SWJ", kind="provider", name="贵阳市税务局")
    register_source(db, item="judgment_default", org="GY-SJJ", at=at)
    provider = actor_of(
        make_user(db, at=at, role=Role.PROVIDER, username="sjj_repair", org_code="GY-SJJ")
    )
    other = actor_of(
        make_user(db, at=at, role=Role.PROVIDER, username="swj_repair", org_code="GY-SWJ")
    )
    code = uscc(seq)

    def fine(day: date, severity: str, n: int) -> int:
        return penalty(
            db, provider, person=False, name=COMPANY, code=code, decided_on=day,
            severity=severity, at=at, doc=f"筑市监罚〔2026〕{seq}-{n}号",
        )  # fmt: skip

    serious = fine(date(2026, 3, 15), "serious", 1)
    general = fine(date(2026, 5, 20), "general", 2)
    recent = fine(date(2026, 9, 1), "general", 3)
    minor = fine(date(2026, 9, 10), "minor", 4)
    fields = party_fields(person=False, name=COMPANY, code=code) | {
        "SX_AH": f"（2026）黔01执{seq}号",
        "SX_ZXFY": "贵阳市中级人民法院",
        "SX_ZXYJWH": f"（2025）黔01民初{seq}号",
        "SX_QX": "有履行能力而拒不履行生效法律文书确定义务",
        "SX_LARQ": "2026-01-05",
        "SX_FBRQ": "2026-02-01",
        "LYDW": "贵阳市中级人民法院",
        "LYDWDM": AUTH_CODE,
    }
    judgment = deliver(
        db, provider, item="judgment_default", fields=fields, at=at, severity="serious",
        decided_on=date(2026, 2, 1), source_id=f"sx-{seq}",
    )  # fmt: skip
    subject = actor_of(
        make_user(db, at=at, role=Role.SUBJECT, username=f"subject{seq}", subject_code=code)
    )
    other_code = uscc(seq + 1)
    penalty(
        db, provider, person=False, name="贵州另一家有限公司", code=other_code,
        decided_on=date(2026, 5, 20), severity="general", at=at, doc=f"筑市监罚〔2026〕{seq}-9号",
    )  # fmt: skip
    other_subject = actor_of(
        make_user(
            db, at=at, role=Role.SUBJECT, username=f"subject{seq + 1}", subject_code=other_code
        )
    )
    office = actor_of(make_user(db, at=at, role=Role.CREDIT_OFFICE, username="office_repair"))
    return RepairWorld(
        provider, other, subject, other_subject, office, code,
        serious, general, recent, minor, judgment,
    )  # fmt: skip
