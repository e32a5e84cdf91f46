"""Filing objections (Art. 32; RGT-2, DIS-5): who may file, the statutory deadlines, the mark,
duplicate filings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories.objections import World
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput, NotFound, PermissionDenied
from xinyong.documents.service import inbox
from xinyong.objections import repository as objections_repo
from xinyong.objections import service
from xinyong.objections.models import Objection


def file(db: Session, world: World, clock: Clock, reason: str = "罚款金额有误，应为伍仟元"):
    return service.file_objection(
        db, actor=world.subject, record_id=world.record_id, reason=reason, at=clock.now()
    )


def test_due_on_the_third_working_day_after_receipt(
    db: Session, world: World, clock: Clock
) -> None:
    objection, created = file(db, world, clock)
    assert created
    assert objection.status == "received"
    assert objection.received_at == clock.now()
    assert objection.received_on == date(2026, 9, 30)
    # 10-01…10-07 National Day; 10-08, 10-09 and the adjusted Saturday 10-10.
    assert objection.due == date(2026, 10, 10)
    assert objection.working_days_left == 3
    assert not objection.overdue
    assert objection.filed_by == world.subject.display_name
    assert objection.provider_org_id == world.provider.org_id


def test_assistance_moves_due_to_the_fifth_working_day(
    db: Session, world: World, clock: Clock
) -> None:
    objection, _ = file(db, world, clock)
    later = clock.now() + timedelta(days=8)  # requested on 10-08: still counted from receipt
    helped = service.request_assistance(
        db, actor=world.provider, objection_id=objection.id, at=later, assisting_unit="贵阳市税务局"
    )
    assert helped.status == "assistance"
    assert helped.due == date(2026, 10, 13)
    assert helped.assisting_unit == "贵阳市税务局"


def test_only_the_records_provider_or_the_office_handles_it(
    db: Session, world: World, clock: Clock
) -> None:
    objection, _ = file(db, world, clock)
    with pytest.raises(NotFound):
        service.request_assistance(
            db, actor=world.other_provider, objection_id=objection.id, at=clock.now()
        )
    with pytest.raises(PermissionDenied):
        service.request_assistance(
            db, actor=world.subject, objection_id=objection.id, at=clock.now()
        )
    helped = service.request_assistance(
        db, actor=world.office, objection_id=objection.id, at=clock.now()
    )
    assert helped.due == date(2026, 10, 13)


def test_record_is_under_objection_from_filing_until_decision(
    db: Session, world: World, clock: Clock
) -> None:
    ids = [world.record_id, world.record_id + 1000]
    assert service.under_objection_record_ids(db, ids) == set()
    objection, _ = file(db, world, clock)
    assert service.under_objection_record_ids(db, ids) == {world.record_id}
    service.request_assistance(db, actor=world.provider, objection_id=objection.id, at=clock.now())
    assert service.under_objection_record_ids(db, ids) == {world.record_id}
    service.decide_objection(
        db, actor=world.provider, objection_id=objection.id, outcome="rejected",
        reason="经核查，罚款金额与处罚决定书一致", at=clock.now() + timedelta(days=8),
    )  # fmt: skip
    assert service.under_objection_record_ids(db, ids) == set()


def count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Objection)) or 0


def test_identical_filings_at_the_same_instant_are_one_objection(
    db: Session, world: World, clock: Clock
) -> None:
    first, created = file(db, world, clock)
    again, created_again = file(db, world, clock, reason=" 罚款金额有误，应为伍仟元 ")
    assert created
    assert not created_again
    assert again.id == first.id
    assert count(db) == 1


def test_a_race_past_the_lookup_is_settled_by_the_constraint(
    db: Session, world: World, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = file(db, world, clock)
    # The second request looked before the first committed: it saw nothing.
    real = objections_repo.same_filing
    looked: list[bool] = []

    def blind_once(session: Session, **kw: object) -> Objection | None:
        looked.append(True)
        return None if len(looked) == 1 else real(session, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(objections_repo, "same_filing", blind_once)
    monkeypatch.setattr(objections_repo, "open_on_record", lambda s, **kw: None)
    again, created = file(db, world, clock)
    assert len(looked) == 2  # the insert collided, and the existing one was looked up
    assert not created
    assert again.id == first.id
    assert count(db) == 1


def test_idempotency_key_returns_the_same_objection(
    db: Session, world: World, clock: Clock
) -> None:
    first, _ = service.file_objection(
        db, actor=world.subject, record_id=world.record_id, reason="名称有误",
        at=clock.now(), idempotency_key="k-1",
    )  # fmt: skip
    again, created = service.file_objection(
        db, actor=world.subject, record_id=world.record_id, reason="名称有误",
        at=clock.now() + timedelta(seconds=5), idempotency_key="k-1",
    )  # fmt: skip
    assert not created
    assert again.id == first.id


def test_another_objection_while_one_is_open_is_refused(
    db: Session, world: World, clock: Clock
) -> None:
    file(db, world, clock)
    with pytest.raises(Exception) as caught:
        file(db, world, clock, reason="另一个理由")
    assert getattr(caught.value, "code", None) == "objection_open"


def test_a_subject_objects_to_its_own_records_only(db: Session, world: World, clock: Clock) -> None:
    with pytest.raises(NotFound):
        service.file_objection(
            db, actor=world.subject, record_id=world.record_id + 999, reason="x", at=clock.now()
        )
    with pytest.raises(PermissionDenied):
        service.file_objection(
            db, actor=world.provider, record_id=world.record_id, reason="x", at=clock.now()
        )
    with pytest.raises(InvalidInput):
        file(db, world, clock, reason="   ")


def test_service_window_files_on_behalf_with_identity_check(
    db: Session, world: World, clock: Clock
) -> None:
    with pytest.raises(InvalidInput):
        service.file_objection(
            db, actor=world.office, record_id=world.record_id, reason="金额有误", at=clock.now()
        )
    objection, _ = service.file_objection(
        db, actor=world.office, record_id=world.record_id, reason="金额有误", at=clock.now(),
        identity_check="营业执照原件及法定代表人身份证现场核验",
    )  # fmt: skip
    assert objection.on_behalf
    assert objection.subject_id == world.subject.subject_id


def test_filing_notifies_the_provider(db: Session, world: World, clock: Clock) -> None:
    objection, _ = file(db, world, clock)
    box = inbox(db, actor=world.provider)
    assert [d.kind for d in box.items] == ["objection_notice"]
    assert box.items[0].object_id == str(objection.id)
    assert inbox(db, actor=world.other_provider).items == []


def test_listing_scopes_and_sorts_by_due_date(db: Session, world: World, clock: Clock) -> None:
    objection, _ = file(db, world, clock)
    for actor in (world.provider, world.office, world.subject):
        listed = service.list_objections(db, actor=actor, at=clock.now())
        assert [o.id for o in listed.items] == [objection.id]
    assert service.list_objections(db, actor=world.other_provider, at=clock.now()).items == []
    assert service.get_objection(
        db, actor=world.subject, objection_id=objection.id, at=clock.now()
    ).due == date(2026, 10, 10)
    with pytest.raises(NotFound):
        service.get_objection(
            db, actor=world.other_provider, objection_id=objection.id, at=clock.now()
        )
