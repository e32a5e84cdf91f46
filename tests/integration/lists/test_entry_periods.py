"""A list entry's own period governs its record in every channel (Art. 25, 35, 36; LST-4;
Order 36): it counts from the decision date, and the day the entry ends its record leaves
publicity and government sharing while the subject and the audit keep it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session

from tests.factories.lists import ListWorld, decision, make_list_world, proposal
from xinyong.core.clock import PLATFORM_ZONE
from xinyong.disclosure import service as disclosure
from xinyong.disclosure.models import RecordWindow
from xinyong.disclosure.rules import Channel
from xinyong.lists import service
from xinyong.lists.models import ServiceMethod
from xinyong.lists.schemas import ServiceCreate
from xinyong.marks.models import MarkKind, RecordMark


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PLATFORM_ZONE)


DECIDED = date(2026, 9, 30)
PUBLISHED = date(2026, 10, 9)  # after National Day, a week after the decision


@pytest.fixture
def world(db: Session) -> ListWorld:
    return make_list_world(db, at=at(date(2026, 9, 28), 8), seq=631)


def publish(db: Session, w: ListWorld, **overrides: object) -> int:
    p = service.propose(
        db, actor=w.organ, data=proposal(w.company_code, **overrides), at=at(date(2026, 9, 28))
    )
    service.send_prior_notice(db, actor=w.office, procedure_id=p.id, at=at(date(2026, 9, 29)))
    service.record_statement(
        db, actor=w.subject, procedure_id=p.id, kind="waiver", text="放弃陈述申辩",
        at=at(DECIDED, 9),
    )  # fmt: skip
    service.decide(db, actor=w.office, procedure_id=p.id, data=decision(), at=at(DECIDED, 11))
    served = ServiceCreate(method=ServiceMethod.PLATFORM)
    service.record_service(db, actor=w.office, procedure_id=p.id, data=served, at=at(DECIDED, 12))
    read = service.publish_entry(db, actor=w.office, procedure_id=p.id, at=at(PUBLISHED))
    assert read.entry is not None
    assert read.entry.record_id is not None
    return read.entry.record_id


def channels_serving(db: Session, w: ListWorld, record_id: int, on: date) -> set[Channel]:
    found = set()
    for channel, actor in (
        (Channel.PUBLICITY, w.office),
        (Channel.GOVERNMENT, w.organ),
        (Channel.SELF, w.subject),
        (Channel.AUDIT, w.office),
    ):
        records = disclosure.visible_records(
            db, channel=channel, subject_id=w.company_id, actor=actor, at=at(on)
        )
        if any(r.id == record_id for r in records):
            found.add(channel)
    return found


EVERY = {Channel.PUBLICITY, Channel.GOVERNMENT, Channel.SELF, Channel.AUDIT}
OWN = {Channel.SELF, Channel.AUDIT}


def test_a_12_month_entry_leaves_publicity_and_sharing_when_its_period_ends(
    db: Session, world: ListWorld
) -> None:
    record_id = publish(db, world, period_months=12)
    mark = db.query(RecordMark).filter_by(record_id=record_id).one()
    assert mark.kind is MarkKind.SERIOUS_DISHONESTY_ENTRY
    # Counted from the decision date, not from publication (Order 36).
    assert mark.starts_on == DECIDED
    last = mark.ends_on
    assert last is not None
    assert last < date(2027, 10, 9)
    assert channels_serving(db, world, record_id, last) == EVERY
    # The record's own window (serious dishonesty: 3 years) would still serve it…
    window = db.get(RecordWindow, record_id)
    assert window is not None
    assert window.window_ends_on is not None
    assert window.window_ends_on > last + timedelta(days=1)
    # …but the entry has ended: only the subject and the audit see it from the next day.
    assert channels_serving(db, world, record_id, last + timedelta(days=1)) == OWN
    assert channels_serving(db, world, record_id, date(2028, 6, 1)) == OWN


def test_an_entry_removed_early_leaves_publicity_that_day(db: Session, world: ListWorld) -> None:
    record_id = publish(db, world)
    entry = service.active_entries(db, subject_id=world.company_id, at=at(PUBLISHED))[0]
    removal_day = date(2028, 3, 1)
    service.remove_entry(
        db, actor=world.office, entry_id=entry.entry_id, reason="信用修复后提前移出",
        at=at(removal_day),
    )  # fmt: skip
    assert channels_serving(db, world, record_id, removal_day - timedelta(days=1)) == EVERY
    assert channels_serving(db, world, record_id, removal_day) == OWN
