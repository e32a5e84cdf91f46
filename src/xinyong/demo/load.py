"""``xinyong demo load``: every step goes through the services, so the audit log records it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from sqlalchemy.orm import Session

from xinyong.accounts import service as accounts
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.catalogue.schemas import SourceCreate
from xinyong.catalogue.sources import OPERATOR as SOURCES_OPERATOR
from xinyong.catalogue.sources import register_source
from xinyong.core.actor import SYSTEM
from xinyong.core.errors import Conflict
from xinyong.demo.data import (
    AUTHORITY_NAME,
    AUTHORITY_USCC,
    DEMO_PASSWORD,
    INSTITUTION_FILING,
    ORGAN_USERS,
    ORGS,
    PENALTIES,
    SOURCES,
    SUBJECTS,
    USERS,
    DemoOrg,
    DemoPenalty,
    DemoUser,
)
from xinyong.demo.scenarios import ProvinceResult, load_province
from xinyong.institutions import service as institutions
from xinyong.institutions.schemas import FilingCreate
from xinyong.measures.service import load_shipped_measures
from xinyong.records.delivery import operator_for_org
from xinyong.records.schemas import RecordCreate
from xinyong.records.service import deliver_record
from xinyong.subjects import service as subjects


@dataclass
class DemoResult:
    catalogue_items: int = 0
    organisations: int = 0
    users: int = 0
    subjects: int = 0
    records: int = 0
    notes: list[str] = field(default_factory=list)
    province: ProvinceResult = field(default_factory=ProvinceResult)


def load_demo(session: Session, *, at: datetime, province: bool = True) -> DemoResult:
    """Load the shipped catalogues and the demo set; safe to run again (existing rows stay)."""
    result = DemoResult()
    loaded = load_shipped_catalogues(session, actor=SYSTEM, at=at)
    result.catalogue_items = len(loaded.published) + len(loaded.drafted)
    load_shipped_measures(session, actor=SYSTEM, at=at)
    for org in ORGS:
        result.organisations += _once(session, partial(_add_organisation, session, org, at))
    _register_sources(session, at=at)
    _file_institution(session, at=at)
    for subj in SUBJECTS:
        before = subjects.find_by_code(session, subj.code)
        subjects.register_subject(
            session, actor=SYSTEM, type=subj.type, id_value=subj.code, name=subj.name, at=at
        )
        result.subjects += before is None
    for user in USERS:
        result.users += _once(session, partial(_add_user, session, user, at))
    for user in ORGAN_USERS:
        _once(session, partial(_add_user, session, user, at))
    result.records = _deliver_penalties(session, at=at)
    if province:
        result.province = load_province(session, at=at)
    return result


def _once(session: Session, add: Callable[[], object]) -> bool:
    """Run ``add`` in a savepoint: a second load finds the row there (``Conflict``) and only
    this one is undone. Whether it added the row."""
    try:
        with session.begin_nested():
            add()
    except Conflict:
        return False
    return True


def _add_organisation(session: Session, org: DemoOrg, at: datetime) -> None:
    accounts.add_organisation(
        session,
        actor=accounts.OPERATOR,
        code=org.code,
        name=org.name,
        kind=org.kind,
        region=org.region,
        parent_code=org.parent,
        uscc=org.uscc,
        at=at,
        organ_kind=org.organ_kind,
        sector=org.sector,
    )


def _add_user(session: Session, user: DemoUser, at: datetime) -> None:
    accounts.add_user(
        session,
        actor=accounts.OPERATOR,
        username=user.username,
        password=DEMO_PASSWORD,
        org_code=user.org,
        role=user.role,
        display_name=user.display_name,
        subject_code=user.subject,
        purposes=user.purposes,
        at=at,
        demo_account=True,  # its shipped accounts keep the published demo password
    )


def _register_sources(session: Session, *, at: datetime) -> None:
    """The demo departments as collection sources (Art. 12; issue 11), so that restricted items
    have real organisations to deliver them; a second load finds them registered."""
    for item, org, basis in SOURCES:
        data = SourceCreate(org=org, basis=basis)
        _once(
            session,
            partial(
                register_source, session, actor=SOURCES_OPERATOR, item_code=item, data=data, at=at
            ),
        )


def _file_institution(session: Session, *, at: datetime) -> None:
    """The demo institution is filed and active, so its account can run authorized inquiries
    (CSI-1, CSI-2); a second load finds it filed and leaves it as it is."""
    data = FilingCreate.model_validate(INSTITUTION_FILING)
    _once(
        session,
        partial(
            institutions.file_institution, session, actor=institutions.OPERATOR, data=data, at=at
        ),
    )


def _penalty_fields(p: DemoPenalty) -> dict[str, object]:
    subj = SUBJECTS[p.subject]
    party: dict[str, object] = (
        {"XDR_LB": "自然人", "XDR_ZJLX": "身份证", "XDR_ZJHM": subj.code}
        if subj.type == "natural_person"
        else {"XDR_LB": "法人及非法人组织", "XDR_SHXYM": subj.code}
    )
    return {
        "XDR_MC": subj.name,
        **party,
        "CF_WSH": p.document_no,
        "CF_WFXW": p.violation,
        "CF_SY": p.facts,
        "CF_YJ": p.basis,
        "CF_CFLB": "罚款",
        "CF_NR": p.content,
        "CF_NR_FK": p.fine,
        "CF_JDRQ": p.decided_on,
        "CF_CFJG": AUTHORITY_NAME,
        "CF_CFJGDM": AUTHORITY_USCC,
        "CF_SJLY": AUTHORITY_NAME,
        "CF_SJLYDM": AUTHORITY_USCC,
    }


def _deliver_penalties(session: Session, *, at: datetime) -> int:
    """A few penalties from the demo market regulator, through the real delivery path."""
    provider = operator_for_org(session, "GZ-SAMR")
    created = 0
    for p in PENALTIES:
        data = RecordCreate.model_validate(
            {
                "item": "admin_penalty",
                "source_id": p.source_id,
                "fields": _penalty_fields(p),
                "severity": p.severity,
            }
        )
        _, new = deliver_record(session, actor=provider, data=data, at=at)
        created += new
    return created


def demo_accounts() -> list[tuple[str, str, str, str]]:
    """(role, username, password, display name) of every demo account."""
    return [(u.role, u.username, DEMO_PASSWORD, u.display_name) for u in USERS]
