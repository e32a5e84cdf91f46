"""The credit office's dashboard over real data, on both databases (DESIGN §6; PLT-3).

The platform's today is 2026-09-30 (a Wednesday; National Day 10-01…10-07, Sat 10-10 is a
working day), so the default range is 2025-10-01 … 2026-09-30.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from tests.factories.accounts import actor_of, make_org, make_user
from tests.factories.disclosure import penalty
from tests.factories.inquiry import seed as seed_inquiry_world
from tests.factories.lists import make_list_world
from tests.factories.objections import COMPANY, make_world
from tests.integration.dashboard.conftest import at
from tests.integration.lists.test_procedure import run_to_publication
from tests.integration.lists.test_red_list import adoption
from tests.integration.records.test_service import penalty_fields
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import ANONYMOUS, SYSTEM, Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from xinyong.dashboard import service
from xinyong.inquiry import service as inquiry
from xinyong.lists import service as lists
from xinyong.objections import service as objections
from xinyong.records import service as records
from xinyong.records.schemas import RecordCreate

COMPANY_PARTY = {"type": "legal_person", "id": "91520000214434146R", "name": "贵州示例商贸有限公司"}


def _deliver(db: Session, provider: Actor, source_id: str, when: object) -> None:
    data = RecordCreate.model_validate(
        {"item": "admin_penalty", "source_id": source_id, "subject": COMPANY_PARTY,
         "fields": penalty_fields(CF_WSH=f"黔市监罚〔2026〕{source_id}号", CF_JDRQ="2025-09-01")}
    )  # fmt: skip
    records.deliver_record(db, actor=provider, data=data, at=when)  # type: ignore[arg-type]


@pytest.fixture
def office(db: Session, clock: Clock) -> Actor:
    # Published long before the deliveries the tests date in the past.
    load_shipped_catalogues(db, actor=SYSTEM, at=at(1, 1, year=2025))
    db.commit()
    return actor_of(make_user(db, at=clock.now(), role=Role.CREDIT_OFFICE, username="dash_office"))


@pytest.fixture
def providers(db: Session, clock: Clock, office: Actor) -> tuple[Actor, Actor]:
    make_org(db, at=clock.now(), code="GY-SJJ", kind="provider", name="贵阳市市场监督管理局")
    make_org(db, at=clock.now(), code="GY-SWJ", kind="provider", name="贵阳市税务局")
    sjj = make_user(db, at=clock.now(), role=Role.PROVIDER, username="d_sjj", org_code="GY-SJJ")
    swj = make_user(db, at=clock.now(), role=Role.PROVIDER, username="d_swj", org_code="GY-SWJ")
    return actor_of(sjj), actor_of(swj)


@pytest.fixture
def delivered(db: Session, providers: tuple[Actor, Actor]) -> None:
    sjj, swj = providers
    _deliver(db, sjj, "A1", at(7, 15))
    _deliver(db, sjj, "A2", at(7, 16))
    _deliver(db, sjj, "A3", at(9, 1, 9))
    # 00:30 on 1 September in Guizhou is still 31 August in UTC: the month is the local one.
    _deliver(db, swj, "B1", at(9, 1, 0, 30))
    _deliver(db, swj, "B2", at(9, 29))
    # The day before the default range starts.
    _deliver(db, swj, "B0", at(9, 30, 23, 59, year=2025))


def test_an_empty_platform_has_every_panel_at_zero(
    db: Session, office: Actor, clock: Clock
) -> None:
    read = service.dashboard(db, actor=office, at=clock.now())
    assert (read.from_, read.to) == (date(2025, 10, 1), date(2026, 9, 30))
    assert [m.month for m in read.months][:2] == ["2025-10", "2025-11"]
    assert len(read.months) == 12
    assert read.deliveries.total == 0
    assert all(m.records == 0 for m in read.deliveries.months)
    assert read.overdue_providers.items == []
    assert (read.objections.open, read.objections.overdue) == (0, 0)
    assert read.inquiries.total == 0
    assert {(i.list_kind, i.state, i.entries) for i in read.list_entries.items} >= {
        ("serious_dishonesty", "active", 0),
        ("red_list", "in_force", 0),
    }


def test_deliveries_per_local_month_and_provider(
    db: Session, office: Actor, delivered: None, clock: Clock
) -> None:
    read = service.dashboard(db, actor=office, at=clock.now())
    by_month = {m.month: m.records for m in read.deliveries.months}
    assert by_month["2026-07"] == 2
    assert by_month["2026-08"] == 0
    assert by_month["2026-09"] == 3
    assert read.deliveries.total == 5
    assert [(r.month, r.org_code, r.records) for r in read.deliveries.by_provider] == [
        ("2026-07", "GY-SJJ", 2),
        ("2026-09", "GY-SJJ", 1),
        ("2026-09", "GY-SWJ", 2),
    ]
    earlier = service.dashboard(db, actor=office, at=clock.now(), start="2025-09-01",
                                end="2025-09-30")  # fmt: skip
    assert [(m.month, m.records) for m in earlier.deliveries.months] == [("2025-09", 1)]
    assert earlier.deliveries.by_provider[0].org_name == "贵阳市税务局"


def test_overdue_providers_come_from_supervision(
    db: Session, office: Actor, delivered: None, clock: Clock
) -> None:
    panel = service.dashboard(db, actor=office, at=clock.now()).overdue_providers
    # admin_penalty: at most 7 days between deliveries. SJJ last delivered on 1 September.
    assert panel.supervised == 2
    assert panel.overdue_providers == 1
    (row,) = panel.items
    assert (row.org_code, row.item_code, row.max_gap_days) == ("GY-SJJ", "admin_penalty", 7)
    assert row.days_overdue == 29 - 7
    later = service.dashboard(db, actor=office, at=at(10, 20)).overdue_providers
    assert [r.org_code for r in later.items] == ["GY-SJJ", "GY-SWJ"]
    assert later.overdue_providers == 2


def test_objections_due_overdue_and_decided_late_with_a_frozen_clock(
    db: Session, clock: Clock
) -> None:
    world = make_world(db, at=at(9, 10))
    ids = [world.record_id] + [
        penalty(db, world.provider, person=False, name=COMPANY, code=world.code,
                decided_on=date(2026, 9, 1), severity="general", at=at(9, 10),
                doc=f"筑市监罚〔2026〕{700 + n}号")
        for n in range(3)
    ]  # fmt: skip

    def file(record_id: int, when: object) -> int:
        read, _ = objections.file_objection(
            db, actor=world.office, record_id=record_id, reason="处罚对象有误",
            at=when, identity_check="身份证原件核验",  # type: ignore[arg-type]
        )  # fmt: skip
        assert read.id is not None
        return read.id

    def decide(objection_id: int, when: object) -> None:
        objections.decide_objection(
            db, actor=world.provider, objection_id=objection_id, outcome="rejected",
            reason="经核查，记录无误", at=when,  # type: ignore[arg-type]
        )  # fmt: skip

    file(ids[0], at(9, 21))  # due 09-24, still open: overdue
    on_time = file(ids[1], at(9, 22))  # due 09-25, decided at 23:30 that day: on time
    decide(on_time, at(9, 25, 23, 30))
    late = file(ids[2], at(9, 18))  # due 09-23, decided ten minutes into 09-24: late
    decide(late, at(9, 24, 0, 10))
    file(ids[3], at(9, 29))  # due 10-09 (after National Day): pending, due soon

    panel = service.dashboard(db, actor=world.office, at=clock.now()).objections
    assert (panel.open, panel.overdue) == (2, 1)
    assert panel.due_soon_until == date(2026, 10, 10)
    assert panel.due_soon == 1
    september = next(m for m in panel.months if m.month == "2026-09")
    assert september.model_dump() == {
        "month": "2026-09", "due": 3, "decided_on_time": 1, "decided_late": 1,
        "open_pending": 0, "open_overdue": 1,
    }  # fmt: skip
    assert [(h.org_code, h.overdue) for h in panel.overdue_by_handler] == [("GY-SJJ", 1)]

    autumn = service.dashboard(db, actor=world.office, at=clock.now(), start="2026-09-01",
                               end="2026-10-31").objections  # fmt: skip
    october = next(m for m in autumn.months if m.month == "2026-10")
    assert (october.due, october.open_pending, october.open_overdue) == (1, 1, 0)
    # Two weeks on, the second open objection is overdue too.
    later = service.dashboard(db, actor=world.office, at=at(10, 14), start="2026-09-01",
                              end="2026-10-31").objections  # fmt: skip
    assert later.overdue == 2
    assert next(m for m in later.months if m.month == "2026-10").open_overdue == 1


def test_inquiries_by_purpose_with_refusals_apart(db: Session, clock: Clock) -> None:
    load_shipped_catalogues(db, actor=SYSTEM, at=at(1, 1, year=2025))
    world = seed_inquiry_world(db, at(9, 1, 8), tag="dash")
    asked = [
        ("licensing", at(9, 1)),
        ("licensing", at(9, 2)),
        ("inspection", at(8, 3)),
        ("licensing", at(9, 3, year=2025)),  # before the range
    ]
    for purpose, when in asked:
        inquiry.inquire(db, actor=world.inquirer, subject_code=world.code, purpose=purpose, at=when)
    with pytest.raises(PermissionDenied):
        inquiry.inquire(db, actor=world.inquirer, subject_code=world.code, purpose="personnel",
                        at=at(9, 5))  # fmt: skip
    panel = service.dashboard(db, actor=world.office, at=clock.now()).inquiries
    assert [(p.purpose, p.answered, p.refused) for p in panel.purposes] == [
        ("licensing", 2, 0),
        ("inspection", 1, 0),
        ("personnel", 0, 1),
    ]
    assert (panel.total, panel.answered, panel.refused) == (4, 3, 1)


def test_list_entries_by_state(db: Session) -> None:
    world = make_list_world(db, at=at(9, 28, 8))
    run_to_publication(db, world)
    lists.adopt_red_list_entry(db, actor=world.office, data=adoption(world.company_code),
                               at=at(9, 30))  # fmt: skip
    now = service.dashboard(db, actor=world.office, at=at(9, 30, 16)).list_entries
    counts = {(i.list_kind, i.state): (i.entries, i.in_range) for i in now.items}
    assert counts[("serious_dishonesty", "active")] == (1, 1)
    assert counts[("serious_dishonesty", "ended")] == (0, 0)
    assert counts[("red_list", "in_force")] == (1, 1)

    # Three years on, the entry's period has ended and the red list entry has expired, though
    # no sweep wrote it down; neither was published inside the default range any more.
    after = service.dashboard(db, actor=world.office, at=at(10, 8, year=2029))
    counts = {(i.list_kind, i.state): (i.entries, i.in_range) for i in after.list_entries.items}
    assert counts[("serious_dishonesty", "active")] == (0, 0)
    assert counts[("serious_dishonesty", "ended")] == (1, 0)
    assert counts[("red_list", "expired")] == (1, 0)
    # 2029 is beyond the statutory calendar: "due soon" says it does not know.
    assert after.objections.due_soon is None


def test_who_may_look_and_what_is_refused(db: Session, office: Actor, clock: Clock) -> None:
    with pytest.raises(NotAuthenticated):
        service.dashboard(db, actor=ANONYMOUS, at=clock.now())
    provider = actor_of(make_user(db, at=clock.now(), role=Role.PROVIDER, username="d_p"))
    with pytest.raises(PermissionDenied):
        service.dashboard(db, actor=provider, at=clock.now())
    with pytest.raises(InvalidInput) as bad:
        service.dashboard(db, actor=office, at=clock.now(), start="2026-13-01")
    assert bad.value.code == "invalid_date"
    with pytest.raises(InvalidInput) as inverted:
        service.dashboard(db, actor=office, at=clock.now(), start="2026-09-01", end="2026-08-01")
    assert inverted.value.code == "invalid_range"
    with pytest.raises(NotFound):
        "".join(service.panel_csv(db, actor=office, at=clock.now(), panel="salaries"))


def test_csv_of_a_panel(db: Session, office: Actor, delivered: None, clock: Clock) -> None:
    text = "".join(
        service.panel_csv(db, actor=office, at=clock.now(), panel="deliveries_by_provider")
    )
    lines = text.lstrip("\ufeff").splitlines()
    assert lines == [
        "month,org_code,org_name,records",
        "2026-07,GY-SJJ,贵阳市市场监督管理局,2",
        "2026-09,GY-SJJ,贵阳市市场监督管理局,1",
        "2026-09,GY-SWJ,贵阳市税务局,2",
    ]
