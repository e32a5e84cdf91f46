"""Repair undoes consequences (Art. 36; Order 36): repairing a record ends the list entries
whose proposal rests on it, with their removal notice; the entry's record then leaves
publicity and government sharing the same day."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy.orm import Session

from tests.factories.accounts import actor_of, make_org, make_user
from tests.factories.disclosure import resident_id
from tests.factories.lists import OFFICE_USCC, decision, proposal
from tests.factories.repair import RepairWorld
from xinyong.core.actor import ANONYMOUS, Role
from xinyong.core.clock import PLATFORM_ZONE
from xinyong.core.errors import InvalidInput
from xinyong.disclosure import service as disclosure
from xinyong.disclosure.rules import Channel
from xinyong.lists import service as lists
from xinyong.lists.models import ServiceMethod
from xinyong.lists.schemas import ServiceCreate
from xinyong.repair import service as repair
from xinyong.subjects import service as subjects


def on(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PLATFORM_ZONE)


def list_on_ground(db: Session, world: RepairWorld, ground_ids: list[int]) -> int:
    """Runs a serious-dishonesty procedure resting on ``ground_ids``; the entry's record id."""
    at = on(date(2026, 9, 28), 8)
    make_org(db, at=at, code="GY-YJJ-R", kind="organ", name="贵阳市应急管理局")
    # The deciding organ names itself by its USCC on file (Art. 26): the list world's office.
    make_org(db, at=at, code="GZ-XYB-R", kind="office", name="信用主管部门", uscc=OFFICE_USCC)
    office = actor_of(
        make_user(db, at=at, role=Role.CREDIT_OFFICE, username="xyb_repair", org_code="GZ-XYB-R")
    )
    organ = actor_of(
        make_user(db, at=at, role=Role.INQUIRER, username="yjj_repair", org_code="GY-YJJ-R")
    )
    rep = subjects.register_subject(
        db, actor=world.office, type="natural_person", id_value=resident_id(771),
        name="王法人", at=at,
    )  # fmt: skip
    data = proposal(world.code, legal_representative=rep.code, records=ground_ids)
    p = lists.propose(db, actor=organ, data=data, at=on(date(2026, 9, 28)))
    lists.send_prior_notice(db, actor=office, procedure_id=p.id, at=on(date(2026, 9, 29)))
    lists.record_statement(
        db, actor=world.subject, procedure_id=p.id, kind="waiver", text="放弃陈述申辩",
        at=on(date(2026, 9, 30), 9),
    )  # fmt: skip
    lists.decide(db, actor=office, procedure_id=p.id, data=decision(), at=on(date(2026, 9, 30), 11))
    served = ServiceCreate(method=ServiceMethod.PLATFORM)
    lists.record_service(
        db, actor=office, procedure_id=p.id, data=served, at=on(date(2026, 9, 30), 12)
    )
    read = lists.publish_entry(db, actor=office, procedure_id=p.id, at=on(date(2026, 9, 30), 14))
    assert read.entry is not None
    assert read.entry.record_id is not None
    return read.entry.record_id


def public_ids(db: Session, world: RepairWorld, at: datetime) -> set[int]:
    assert world.subject.subject_id is not None
    rows = disclosure.visible_records(
        db, channel=Channel.PUBLICITY, subject_id=world.subject.subject_id, actor=ANONYMOUS, at=at
    )
    return {r.id for r in rows}


def test_repairing_the_ground_of_an_entry_ends_the_entry(db: Session, world: RepairWorld) -> None:
    entry_record = list_on_ground(db, world, [world.general_id])
    assert world.subject.subject_id is not None
    day = date(2026, 10, 9)
    assert entry_record in public_ids(db, world, on(day))
    application = repair.apply_for_repair(
        db, actor=world.subject, record_id=world.general_id, statement="罚款已缴清",
        evidence=[], commitment=None, obligations_fulfilled=True, at=on(day),
    )  # fmt: skip
    repair.decide_repair(
        db, actor=world.provider, repair_id=application.id, outcome="repaired",
        reason="已缴清罚款并完成整改", at=on(day, 15),
    )  # fmt: skip
    assert lists.active_entries(db, subject_id=world.subject.subject_id, at=on(day, 16)) == []
    # The entry's own record leaves publicity the day the entry ends.
    assert entry_record not in public_ids(db, world, on(day, 16))


def test_repairing_an_unrelated_record_leaves_the_entry(db: Session, world: RepairWorld) -> None:
    entry_record = list_on_ground(db, world, [world.serious_id])
    assert world.subject.subject_id is not None
    day = date(2026, 10, 9)
    application = repair.apply_for_repair(
        db, actor=world.subject, record_id=world.general_id, statement="罚款已缴清",
        evidence=[], commitment=None, obligations_fulfilled=True, at=on(day),
    )  # fmt: skip
    repair.decide_repair(
        db, actor=world.provider, repair_id=application.id, outcome="repaired",
        reason="已缴清罚款并完成整改", at=on(day, 15),
    )  # fmt: skip
    assert len(lists.active_entries(db, subject_id=world.subject.subject_id, at=on(day, 16))) == 1
    assert entry_record in public_ids(db, world, on(day, 16))


def test_a_proposal_rests_only_on_the_subjects_negative_records(
    db: Session, world: RepairWorld
) -> None:
    with pytest.raises(InvalidInput) as refused:
        list_on_ground(db, world, [world.general_id, 2**62])
    assert refused.value.code == "ground_record_invalid"
