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
    first = load_demo(db, at=clock.now(), province=False)
    assert first.users == len(USERS)
    assert first.records == len(PENALTIES)
    again = load_demo(db, at=clock.now(), province=False)
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

    load_demo(db, at=clock.now(), province=False)
    load_demo(db, at=clock.now(), province=False)
    [filing] = institutions.list_filings(db).items
    assert (filing.org_code, filing.uscc, filing.status) == (
        INSTITUTION_FILING["org"],
        INSTITUTION_FILING["uscc"],
        "active",
    )
    org_id = db.scalar(select(Organisation.id).where(Organisation.code == filing.org_code))
    assert institutions.inquiry_bar(db, org_id=org_id) is None


def test_the_demo_departments_are_registered_collection_sources(db: Session, clock: Clock) -> None:
    """Issue 11 item 2: restricted items have real demo organisations to deliver them."""
    import pytest

    from xinyong.catalogue.sources import OPERATOR, list_sources
    from xinyong.core.errors import PermissionDenied
    from xinyong.demo.data import SOURCES
    from xinyong.records.delivery import authorise_delivery, operator_for_org, published_item
    from xinyong.records.models import Channel

    load_demo(db, at=clock.now(), province=False)
    load_demo(db, at=clock.now(), province=False)
    for item, org, _basis in SOURCES:
        assert [s.org for s in list_sources(db, actor=OPERATOR, item_code=item).items] == [org]
    spec = published_item(db, "judgment_default", at=clock.now())
    court = operator_for_org(db, "GZ-HPC")
    assert authorise_delivery(db, actor=court, item=spec, at=clock.now(), channel=Channel.API)
    with pytest.raises(PermissionDenied):
        authorise_delivery(
            db, actor=operator_for_org(db, "GZ-SAMR"), item=spec, at=clock.now(),
            channel=Channel.API,
        )  # fmt: skip
    orgs = {o.code: o.uscc for o in db.scalars(select(Organisation))}
    assert all(orgs[code] for code in ("GZ-CREDIT", "GZ-SAMR", "GZ-HPC"))
