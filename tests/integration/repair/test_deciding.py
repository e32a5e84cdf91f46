"""Deciding credit repair (Art. 36; RGT-5, GOV-1, PLT-4): a repaired record leaves every
channel but the subject's own and the audit; late decisions enter the violation register."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories.accounts import actor_of, make_user
from tests.factories.repair import RepairWorld
from xinyong.core.actor import ANONYMOUS, Actor, Role
from xinyong.core.clock import PLATFORM_ZONE, Clock
from xinyong.core.errors import InvalidInput, NotFound
from xinyong.disclosure import service as disclosure
from xinyong.disclosure.rules import Channel
from xinyong.documents.service import inbox
from xinyong.feed.models import ChangeEvent
from xinyong.inquiry.models import Inquiry, InquiryChannel, Outcome
from xinyong.repair import service
from xinyong.repair.access import RepairClosed
from xinyong.repair.schemas import RepairRead
from xinyong.violations.models import Violation, ViolationKind


def on(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=PLATFORM_ZONE)


def filed(db: Session, world: RepairWorld, clock: Clock) -> RepairRead:
    return service.apply_for_repair(
        db, actor=world.subject, record_id=world.general_id, statement="罚款已缴清",
        evidence=[], commitment=None, obligations_fulfilled=True, at=clock.now(),
    )  # fmt: skip


def public_ids(
    db: Session, world: RepairWorld, at: datetime, channel: Channel, actor: Actor
) -> set[int]:
    subject_id = world.subject.subject_id
    assert subject_id is not None
    rows = disclosure.visible_records(
        db, channel=channel, subject_id=subject_id, actor=actor, at=at
    )
    return {r.id for r in rows}


def test_repaired_record_leaves_publicity_and_stays_in_self_query(
    db: Session, world: RepairWorld, clock: Clock
) -> None:
    inquirer = actor_of(make_user(db, at=clock.now(), role=Role.INQUIRER, username="organ_repair"))
    assert world.general_id in public_ids(db, world, clock.now(), Channel.PUBLICITY, ANONYMOUS)
    assert world.general_id in public_ids(db, world, clock.now(), Channel.GOVERNMENT, inquirer)
    repair = filed(db, world, clock)
    decided = service.decide_repair(
        db, actor=world.provider, repair_id=repair.id, outcome="repaired",
        reason="已缴清罚款并完成整改，作出信用承诺", at=clock.now(),
    )  # fmt: skip
    assert decided.status == "repaired"
    assert decided.notice_number is not None
    assert not decided.late
    assert service.repaired_record_ids(db, [world.general_id, world.recent_id]) == {
        world.general_id
    }
    assert world.general_id not in public_ids(db, world, clock.now(), Channel.PUBLICITY, ANONYMOUS)
    assert world.general_id not in public_ids(db, world, clock.now(), Channel.GOVERNMENT, inquirer)
    assert world.general_id in public_ids(db, world, clock.now(), Channel.SELF, world.subject)
    # Still the other records: repair is per record.
    assert world.recent_id in public_ids(db, world, clock.now(), Channel.PUBLICITY, ANONYMOUS)
    # The decision is in the subject's inbox, in writing.
    numbers = {d.number for d in inbox(db, actor=world.subject).items}
    assert decided.notice_number in numbers
    # Connected systems see the change.
    kinds = db.scalars(
        select(ChangeEvent.kind).where(ChangeEvent.record_id == world.general_id)
    ).all()
    assert "repaired" in kinds
    with pytest.raises(RepairClosed):
        service.decide_repair(
            db, actor=world.provider, repair_id=repair.id, outcome="refused", reason="x",
            at=clock.now(),
        )  # fmt: skip
    with pytest.raises(service.AlreadyRepaired):
        filed(db, world, clock)


def test_refused_with_reasons_and_may_apply_again(
    db: Session, world: RepairWorld, clock: Clock
) -> None:
    repair = filed(db, world, clock)
    decided = service.decide_repair(
        db, actor=world.office, repair_id=repair.id, outcome="refused",
        reason="未提交罚款缴纳凭证", at=clock.now(),
    )  # fmt: skip
    assert decided.status == "refused"
    assert decided.decision_reason == "未提交罚款缴纳凭证"
    assert service.repaired_record_ids(db, [world.general_id]) == set()
    assert filed(db, world, clock).status == "received"


def test_only_the_provider_or_the_office_decides(
    db: Session, world: RepairWorld, clock: Clock
) -> None:
    repair = filed(db, world, clock)
    with pytest.raises(NotFound):
        service.decide_repair(
            db, actor=world.other_provider, repair_id=repair.id, outcome="repaired",
            reason="x", at=clock.now(),
        )  # fmt: skip
    with pytest.raises(Exception, match="only the record's provider"):
        service.decide_repair(
            db, actor=world.subject, repair_id=repair.id, outcome="repaired", reason="x",
            at=clock.now(),
        )  # fmt: skip
    with pytest.raises(InvalidInput):
        service.decide_repair(
            db, actor=world.provider, repair_id=repair.id, outcome="maybe", reason="x",
            at=clock.now(),
        )  # fmt: skip
    with pytest.raises(InvalidInput):
        service.decide_repair(
            db, actor=world.provider, repair_id=repair.id, outcome="refused", reason=" ",
            at=clock.now(),
        )  # fmt: skip


def late_repairs(db: Session) -> list[Violation]:
    stmt = select(Violation).where(Violation.kind == ViolationKind.LATE_REPAIR)
    return list(db.scalars(stmt))


def test_provider_list_by_due_date_and_overdue_escalation(
    db: Session, world: RepairWorld, clock: Clock
) -> None:
    repair = filed(db, world, clock)
    listed = service.list_repairs(db, actor=world.provider, at=clock.now())
    assert [r.id for r in listed.items] == [repair.id]
    assert not listed.items[0].overdue
    assert service.list_repairs(db, actor=world.other_provider, at=clock.now()).items == []
    assert service.list_repairs(db, actor=world.other_subject, at=clock.now()).items == []
    # Listed after the due date (10-13): overdue, computed as read; the listing writes nothing.
    later = on(date(2026, 10, 15))
    listed = service.list_repairs(db, actor=world.office, at=later)
    assert listed.items[0].overdue
    assert listed.items[0].escalated_at is None
    assert late_repairs(db) == []
    # The escalation job: once, on the register once.
    assert service.escalate_overdue(db, at=later) == 1
    assert service.escalate_overdue(db, at=later) == 0
    assert service.list_repairs(db, actor=world.office, at=later).items[0].escalated_at
    assert len(late_repairs(db)) == 1
    decided = service.decide_repair(
        db, actor=world.provider, repair_id=repair.id, outcome="repaired", reason="已整改",
        at=later,
    )  # fmt: skip
    assert decided.late
    assert not decided.overdue
    assert len(late_repairs(db)) == 1


def test_decided_late_without_escalation_is_registered(
    db: Session, world: RepairWorld, clock: Clock
) -> None:
    repair = filed(db, world, clock)
    decided = service.decide_repair(
        db, actor=world.provider, repair_id=repair.id, outcome="refused", reason="材料不全",
        at=on(date(2026, 10, 20)),
    )  # fmt: skip
    assert decided.late
    [violation] = late_repairs(db)
    assert violation.object_id == str(repair.id)
    assert violation.detail["event"] == "decided_late"


def test_unknown_status_filter(db: Session, world: RepairWorld, clock: Clock) -> None:
    with pytest.raises(InvalidInput):
        service.list_repairs(db, actor=world.office, at=clock.now(), status="bogus")


def test_recent_recipients_learn_of_the_repair(
    db: Session, world: RepairWorld, clock: Clock
) -> None:
    organ = actor_of(make_user(db, at=clock.now(), role=Role.INQUIRER, username="organ_seen"))
    db.add(
        Inquiry(
            at=clock.now() - timedelta(days=30),
            user_id=organ.user_id,
            user_name=organ.display_name,
            org_id=organ.org_id,
            subject_id=world.subject.subject_id,
            subject_code=world.code,
            purpose="licensing",
            channel=InquiryChannel.GOVERNMENT,
            outcome=Outcome.ANSWERED,
            items=["admin_penalty"],
            record_ids=[world.general_id],
        )
    )
    db.commit()
    repair = filed(db, world, clock)
    service.decide_repair(
        db, actor=world.provider, repair_id=repair.id, outcome="repaired", reason="已整改",
        at=clock.now(),
    )  # fmt: skip
    titles = [d.title for d in inbox(db, actor=organ).items]
    assert "信用信息更正通知书" in titles
