"""A small world for measures tests: shipped catalogues and measure lists, a court and a market
regulator delivering, state organs' inquirers of three organ kinds (housing and construction,
finance, a court), a credit office account, and subjects — one judgment defaulter, one with a
general penalty, one with no record at all (unrated)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from tests.factories.accounts import actor_of, make_org, make_user
from tests.factories.catalogue import register_source
from tests.factories.disclosure import AUTH_CODE, deliver, penalty, uscc
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Actor, Role
from xinyong.measures.service import load_shipped_measures
from xinyong.subjects.service import ensure_subject

COURT = "贵阳市中级人民法院"


@dataclass
class World:
    court: Actor
    regulator: Actor
    inquirer: Actor
    office: Actor
    defaulter: str
    penalised: str
    clean: str
    #: A finance department's inquirer (financial support, procurement) and a court's.
    funder: Actor | None = None
    judge: Actor | None = None


def judgment_default_fields(*, name: str, code: str, case: str) -> dict[str, Any]:
    return {
        "XDR_MC": name,
        "XDR_LB": "法人及非法人组织",
        "XDR_SHXYM": code,
        "SX_AH": case,
        "SX_ZXFY": COURT,
        "SX_ZXYJWH": "（2025）黔01民初100号",
        "SX_QX": "有履行能力而拒不履行生效法律文书确定义务",
        "SX_LARQ": "2026-03-02",
        "SX_FBRQ": "2026-06-01",
        "LYDW": COURT,
        "LYDWDM": AUTH_CODE,
    }


def make_world(db: Session, *, at: datetime, seq: int = 700) -> World:
    load_shipped_catalogues(db, actor=SYSTEM, at=at)
    load_shipped_measures(db, actor=SYSTEM, at=at)
    db.commit()
    make_org(db, at=at, code="GY-ZY", kind="provider", name=COURT)
    register_source(db, item="judgment_default", org="GY-ZY", at=at)
    make_org(db, at=at, code="GY-SJJ", kind="provider", name="贵阳市市场监督管理局")
    make_org(
        db, at=at, code="GY-ZWFW", kind="organ", name="贵阳市住房和城乡建设局", region="520100",
        organ_kind="housing_construction",
    )  # fmt: skip
    make_org(
        db, at=at, code="GY-CZJ", kind="organ", name="贵阳市财政局", region="520100",
        organ_kind="finance",
    )  # fmt: skip
    make_org(
        db, at=at, code="GY-ZY-ZX", kind="organ", name=f"{COURT}（执行局）", region="520100",
        organ_kind="court",
    )  # fmt: skip
    court = actor_of(make_user(db, at=at, role=Role.PROVIDER, username="court", org_code="GY-ZY"))
    regulator = actor_of(
        make_user(db, at=at, role=Role.PROVIDER, username="sjj", org_code="GY-SJJ")
    )
    inquirer = actor_of(
        make_user(db, at=at, role=Role.INQUIRER, username="organ_staff", org_code="GY-ZWFW")
    )
    funder = actor_of(
        make_user(db, at=at, role=Role.INQUIRER, username="finance_staff", org_code="GY-CZJ")
    )
    judge = actor_of(
        make_user(db, at=at, role=Role.INQUIRER, username="court_staff", org_code="GY-ZY-ZX")
    )
    office = actor_of(make_user(db, at=at, role=Role.CREDIT_OFFICE, username="office_m"))
    defaulter, penalised, clean = uscc(seq), uscc(seq + 1), uscc(seq + 2)
    case = f"（2026）黔01执{seq}号"
    deliver(
        db, court, item="judgment_default", source_id=f"jd-{seq}", at=at,
        decided_on=date(2026, 6, 1),
        fields=judgment_default_fields(name="贵州失信示例有限公司", code=defaulter, case=case),
    )  # fmt: skip
    penalty(
        db, regulator, person=False, name="贵州处罚示例有限公司", code=penalised,
        decided_on=date(2026, 9, 1), severity="general", at=at, doc=f"筑市监罚〔2026〕{seq}号",
    )  # fmt: skip
    ensure_subject(
        db, actor=SYSTEM, type="legal_person", id_value=clean, name="贵州守信示例有限公司", at=at
    )
    db.commit()
    return World(
        court, regulator, inquirer, office, defaulter, penalised, clean, funder=funder, judge=judge
    )
