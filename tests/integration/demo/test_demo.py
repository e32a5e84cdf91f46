"""``xinyong demo load``: the demo set loads through the services, once."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinyong.accounts.models import Organisation
from xinyong.core.clock import Clock
from xinyong.demo.data import PENALTIES, USERS
from xinyong.demo.load import load_demo
from xinyong.disclosure.service import public_subject
from xinyong.records.models import Record


def test_demo_loads_once_and_serves_a_public_penalty(db: Session, clock: Clock) -> None:
    first = load_demo(db, at=clock.now())
    assert first.users == len(USERS)
    assert first.records == len(PENALTIES)
    again = load_demo(db, at=clock.now())
    assert (again.users, again.records, again.organisations) == (0, 0, 0)
    assert db.scalar(select(func.count()).select_from(Record)) == len(PENALTIES)
    page = public_subject(db, code=_company_code(), at=clock.now())
    assert [r.item for r in page.records] == ["admin_penalty"]


def _company_code() -> str:
    from xinyong.demo.data import SUBJECTS

    return SUBJECTS[1].code


def test_the_demo_institution_is_filed_and_active_so_it_may_inquire(
    db: Session, clock: Clock
) -> None:
    from xinyong.demo.data import INSTITUTION_FILING
    from xinyong.institutions import service as institutions

    load_demo(db, at=clock.now())
    load_demo(db, at=clock.now())
    [filing] = institutions.list_filings(db).items
    assert (filing.org_code, filing.uscc, filing.status) == (
        INSTITUTION_FILING["org"],
        INSTITUTION_FILING["uscc"],
        "active",
    )
    org_id = db.scalar(select(Organisation.id).where(Organisation.code == filing.org_code))
    assert institutions.inquiry_bar(db, org_id=org_id) is None
