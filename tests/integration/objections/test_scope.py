"""Objections as wide as Art. 32 and its assistance deadline, on both databases: objections to
an omission or to the handling of information, routed to the item's provider or the credit
office on the same deadlines; assistance only within the first 3 working days after receipt."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from tests.factories.objections import World
from xinyong.core.clock import PLATFORM_ZONE, Clock
from xinyong.core.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from xinyong.documents.service import inbox
from xinyong.objections import scope, service
from xinyong.objections.schemas import ObjectionRead
from xinyong.records.models import Record


def on(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PLATFORM_ZONE)


# --- assistance: only within the first 3 working days (frozen clock, statutory calendar) --------


def filed_record_objection(db: Session, world: World, clock: Clock) -> ObjectionRead:
    objection, _ = service.file_objection(
        db, actor=world.subject, record_id=world.record_id, reason="罚款金额有误", at=clock.now()
    )
    # Received Wed 09-30; 10-01…10-07 National Day; 10-08, 10-09, Sat 10-10 (adjusted working day).
    assert objection.due == date(2026, 10, 10)
    return objection


def test_assistance_on_the_third_working_day_moves_due_to_the_fifth(
    db: Session, world: World, clock: Clock
) -> None:
    objection = filed_record_objection(db, world, clock)
    last_moment = on(date(2026, 10, 10), 23, 59)  # still the 3rd working day, Beijing time
    helped = service.request_assistance(
        db, actor=world.provider, objection_id=objection.id, at=last_moment,
        assisting_unit="贵阳市税务局",
    )  # fmt: skip
    assert helped.status == "assistance"
    assert helped.due == date(2026, 10, 13)


def test_assistance_after_the_third_working_day_is_refused_and_due_stays(
    db: Session, world: World, clock: Clock
) -> None:
    objection = filed_record_objection(db, world, clock)
    too_late = on(date(2026, 10, 11), 0, 30)  # Sunday just after midnight, Beijing time
    for actor in (world.provider, world.office):
        with pytest.raises(RuleViolation) as exc:
            service.request_assistance(
                db, actor=actor, objection_id=objection.id, at=too_late, assisting_unit="税务局"
            )
        assert exc.value.code == "assistance_too_late"
    after = service.get_objection(db, actor=world.office, objection_id=objection.id, at=too_late)
    assert (after.status, after.due, after.assisting_unit) == ("received", date(2026, 10, 10), None)
    assert after.overdue
    assert service.escalate_overdue(db, at=too_late) == 1  # overdue from its 3rd working day


# --- omissions and handling -------------------------------------------------------------------


def file_scope(db: Session, world: World, clock: Clock, **kw: object) -> ObjectionRead:
    args: dict[str, object] = {"actor": world.subject, "reason": "应有而未记录", "at": clock.now()}
    args.update(kw)
    objection, created = scope.file_scope_objection(db, **args)  # type: ignore[arg-type]
    assert created
    return objection


def test_an_omission_of_an_item_its_provider_delivers_goes_to_that_provider(
    db: Session, world: World, clock: Clock
) -> None:
    objection = file_scope(db, world, clock, kind="omission", item="admin_penalty",
                           reason="另一份处罚决定书已履行完毕的信息未记录")  # fmt: skip
    assert (objection.kind, objection.record_id, objection.item) == (
        "omission",
        None,
        "admin_penalty",
    )
    assert objection.provider_org_id == world.provider.org_id
    assert objection.due == date(2026, 10, 10)
    assert [d.kind for d in inbox(db, actor=world.provider).items] == ["objection_notice"]
    listed = service.list_objections(db, actor=world.provider, at=clock.now()).items
    assert [o.id for o in listed] == [objection.id]
    # No record is marked by an objection that names none.
    assert service.under_objection_record_ids(db, [world.record_id]) == set()


def test_an_omission_without_a_single_provider_goes_to_the_credit_office(
    db: Session, world: World, clock: Clock
) -> None:
    objection = file_scope(db, world, clock, kind="omission", item="admin_licensing")
    assert objection.provider_org_id is None
    assert [d.kind for d in inbox(db, actor=world.office).items] == ["objection_notice"]
    assert service.list_objections(db, actor=world.provider, at=clock.now()).items == []


def test_handling_objections_name_an_item_or_a_channel(
    db: Session, world: World, clock: Clock
) -> None:
    published = file_scope(db, world, clock, kind="handling", channel="publicity",
                           reason="公示了不应公开的字段")  # fmt: skip
    assert (published.channel, published.provider_org_id) == ("publicity", None)
    collected = file_scope(db, world, clock, kind="handling", item="admin_penalty",
                           channel="collection", reason="采集时未核对主体身份")  # fmt: skip
    assert collected.provider_org_id == world.provider.org_id
    with pytest.raises(InvalidInput):
        file_scope(db, world, clock, kind="handling")
    with pytest.raises(InvalidInput):
        file_scope(db, world, clock, kind="handling", channel="gossip")
    with pytest.raises(InvalidInput):
        file_scope(db, world, clock, kind="omission", channel="publicity")
    with pytest.raises(InvalidInput) as unknown:
        file_scope(db, world, clock, kind="omission", item="no_such_item")
    assert unknown.value.code == "unknown_catalogue_item"
    with pytest.raises(RuleViolation) as wrong_type:  # a person's qualification, not a company's
        file_scope(db, world, clock, kind="omission", item="professional_qualification")
    assert wrong_type.value.code == "item_not_for_subject"


def test_the_same_filing_twice_is_one_objection(db: Session, world: World, clock: Clock) -> None:
    first = file_scope(db, world, clock, kind="omission", item="admin_licensing")
    again, created = scope.file_scope_objection(
        db, actor=world.subject, kind="omission", item="admin_licensing", reason=" 应有而未记录 ",
        at=clock.now() + timedelta(minutes=1),
    )  # fmt: skip
    assert not created
    assert again.id == first.id


def test_service_window_and_who_may_file(db: Session, world: World, clock: Clock) -> None:
    with pytest.raises(PermissionDenied):
        file_scope(db, world, clock, actor=world.provider, kind="omission", item="admin_licensing")
    with pytest.raises(NotFound):
        file_scope(db, world, clock, actor=world.office, kind="omission", item="admin_licensing")
    with pytest.raises(InvalidInput):  # on behalf: the identity check is recorded
        file_scope(db, world, clock, actor=world.office, kind="omission", item="admin_licensing",
                   subject_code=world.code)  # fmt: skip
    filed = file_scope(db, world, clock, actor=world.office, kind="omission",
                       item="admin_licensing", subject_code=world.code,
                       identity_check="营业执照原件现场核验")  # fmt: skip
    assert filed.on_behalf
    assert filed.subject_id == world.subject.subject_id


def test_omission_objections_share_the_deadlines_and_decisions(
    db: Session, world: World, clock: Clock
) -> None:
    objection = file_scope(db, world, clock, kind="omission", item="admin_penalty")
    with pytest.raises(RuleViolation) as late:
        service.request_assistance(
            db, actor=world.provider, objection_id=objection.id, at=on(date(2026, 10, 12))
        )
    assert late.value.code == "assistance_too_late"
    helped = service.request_assistance(
        db, actor=world.provider, objection_id=objection.id, at=on(date(2026, 10, 9))
    )
    assert helped.due == date(2026, 10, 13)
    with pytest.raises(InvalidInput):  # no record to amend
        service.decide_objection(
            db, actor=world.provider, objection_id=objection.id, outcome="upheld",
            reason="确有遗漏", fields={"CF_NR": "x"}, at=on(date(2026, 10, 12)),
        )  # fmt: skip
    record_before = db.get(Record, world.record_id)
    assert record_before is not None
    version = record_before.current_version
    decided = service.decide_objection(
        db, actor=world.provider, objection_id=objection.id, outcome="upheld",
        reason="确有遗漏，将于三个工作日内补报", at=on(date(2026, 10, 12)),
    )  # fmt: skip
    assert (decided.status, decided.outcome, decided.amendment_version) == (
        "decided", "upheld", None
    )  # fmt: skip
    assert decided.notice_number
    box = inbox(db, actor=world.subject).items
    assert [d.kind for d in box] == ["objection_decision"]
    record = db.get(Record, world.record_id)
    assert record is not None
    assert record.current_version == version  # untouched


def test_overdue_handling_objections_escalate(db: Session, world: World, clock: Clock) -> None:
    file_scope(db, world, clock, kind="handling", channel="government")
    assert service.escalate_overdue(db, at=on(date(2026, 10, 12))) == 1
