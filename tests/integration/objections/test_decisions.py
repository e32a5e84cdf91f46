"""Deciding objections, written notices, escalation of overdue ones (Art. 32, 44; RGT-2,
PLT-4, GOV-1), and correction notices to recent recipients."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.factories.accounts import actor_of, make_org, make_user
from tests.factories.objections import World
from xinyong.audit.models import AuditEntry
from xinyong.core.clock import PLATFORM_ZONE, Clock
from xinyong.core.errors import Conflict, InvalidInput
from xinyong.db.uow import UnitOfWork
from xinyong.documents.service import get_document, inbox
from xinyong.inquiry.models import Inquiry, InquiryChannel, Outcome
from xinyong.objections import service
from xinyong.objections.schemas import ObjectionRead
from xinyong.records import service as records
from xinyong.violations.models import Violation, ViolationKind

OCT_9 = datetime(2026, 10, 9, 15, 0, tzinfo=PLATFORM_ZONE)
OCT_12 = datetime(2026, 10, 12, 9, 0, tzinfo=PLATFORM_ZONE)


def filed(db: Session, world: World, clock: Clock) -> ObjectionRead:
    objection, _ = service.file_objection(
        db, actor=world.subject, record_id=world.record_id, reason="罚款金额有误，应为伍仟元",
        at=clock.now(),
    )  # fmt: skip
    return objection


def test_rejection_is_notified_in_writing_with_a_number(
    db: Session, world: World, clock: Clock
) -> None:
    objection = filed(db, world, clock)
    decided = service.decide_objection(
        db, actor=world.provider, objection_id=objection.id, outcome="rejected",
        reason="经核查，金额与处罚决定书一致", at=OCT_9,
    )  # fmt: skip
    assert decided.status == "decided"
    assert decided.outcome == "rejected"
    assert decided.notice_number == "YYJD-2026-000001"
    box = inbox(db, actor=world.subject)
    assert [d.number for d in box.items] == ["YYJD-2026-000001"]
    assert box.unread == 1
    doc = get_document(db, actor=world.subject, number="YYJD-2026-000001", at=OCT_9)
    assert doc.read_at == OCT_9
    assert "异议不成立" in str(doc.body)
    assert inbox(db, actor=world.subject).unread == 0
    record = records.get_record(db, actor=world.provider, record_id=world.record_id)
    assert record.version == 1


def test_notices_are_numbered_in_sequence(db: Session, world: World, clock: Clock) -> None:
    numbers = []
    for n in range(3):
        objection, _ = service.file_objection(
            db, actor=world.subject, record_id=world.record_id, reason=f"理由 {n}",
            at=clock.now() + timedelta(minutes=n),
        )  # fmt: skip
        numbers.append(
            service.decide_objection(
                db,
                actor=world.office,
                objection_id=objection.id,
                outcome="rejected",
                reason="不成立",
                at=clock.now() + timedelta(minutes=n, seconds=30),
            ).notice_number
        )
    assert numbers == ["YYJD-2026-000001", "YYJD-2026-000002", "YYJD-2026-000003"]


def test_upheld_objection_amends_the_record_citing_the_decision(
    db: Session, world: World, clock: Clock
) -> None:
    objection = filed(db, world, clock)
    decided = service.decide_objection(
        db, actor=world.provider, objection_id=objection.id, outcome="upheld",
        reason="罚款金额录入错误", fields={"CF_NR_FK": "0.05"}, at=OCT_9,
    )  # fmt: skip
    assert decided.outcome == "upheld"
    assert decided.amendment_version == 2
    record = records.get_record(db, actor=world.provider, record_id=world.record_id)
    assert record.version == 2
    assert record.fields["CF_NR_FK"] == "0.05"
    latest = record.versions[-1] if record.versions else None
    assert latest is not None
    assert f"异议 #{objection.id}" in (latest.reason or "")
    assert decided.notice_number is not None
    assert decided.notice_number in (latest.basis or "")
    assert service.under_objection_record_ids(db, [world.record_id]) == set()


def test_upheld_objection_without_fields_withdraws_the_record(
    db: Session, world: World, clock: Clock
) -> None:
    objection = filed(db, world, clock)
    service.decide_objection(
        db, actor=world.office, objection_id=objection.id, outcome="upheld",
        reason="处罚决定已被撤销", at=OCT_9,
    )  # fmt: skip
    record = records.get_record(db, actor=world.provider, record_id=world.record_id)
    assert record.status == "withdrawn"


def test_a_failed_correction_leaves_the_objection_open(
    db: Session, world: World, clock: Clock, session_factory: sessionmaker[Session]
) -> None:
    objection = filed(db, world, clock)
    with pytest.raises(Conflict), UnitOfWork(session_factory) as uow:
        # Nothing changes: the records service refuses, and the use case's unit of work
        # rolls the decision back with it.
        service.decide_objection(
            uow.session, actor=world.provider, objection_id=objection.id, outcome="upheld",
            reason="x", fields={"CF_NR_FK": "0.5"}, at=OCT_9,
        )  # fmt: skip
    again = service.get_objection(db, actor=world.provider, objection_id=objection.id, at=OCT_9)
    assert again.status == "received"
    assert inbox(db, actor=world.subject).items == []


def test_bad_decisions_are_refused(db: Session, world: World, clock: Clock) -> None:
    objection = filed(db, world, clock)
    with pytest.raises(InvalidInput):
        service.decide_objection(
            db, actor=world.provider, objection_id=objection.id, outcome="maybe", reason="x",
            at=OCT_9,
        )  # fmt: skip
    with pytest.raises(InvalidInput):
        service.decide_objection(
            db, actor=world.provider, objection_id=objection.id, outcome="rejected", reason=" ",
            at=OCT_9,
        )  # fmt: skip
    service.decide_objection(
        db, actor=world.provider, objection_id=objection.id, outcome="rejected", reason="不成立",
        at=OCT_9,
    )  # fmt: skip
    with pytest.raises(Conflict) as caught:
        service.decide_objection(
            db, actor=world.provider, objection_id=objection.id, outcome="upheld", reason="x",
            at=OCT_9,
        )  # fmt: skip
    assert caught.value.code == "objection_closed"


def violations(db: Session) -> list[Violation]:
    return list(db.scalars(select(Violation).order_by(Violation.id)))


def test_overdue_objection_escalates_once_and_enters_the_register(
    db: Session, world: World, clock: Clock
) -> None:
    objection = filed(db, world, clock)
    assert service.escalate_overdue(db, at=datetime(2026, 10, 10, 23, 0, tzinfo=PLATFORM_ZONE)) == 0
    # A listing computes "overdue" and writes nothing; the escalation is the job's.
    listed = service.list_objections(db, actor=world.office, at=OCT_12)
    assert listed.items[0].overdue
    assert listed.items[0].escalated_at is None
    assert listed.items[0].working_days_left == -1
    assert violations(db) == []
    assert service.escalate_overdue(db, at=OCT_12) == 1
    listed = service.list_objections(db, actor=world.office, at=OCT_12)
    assert listed.items[0].escalated_at == OCT_12
    assert service.escalate_overdue(db, at=OCT_12 + timedelta(hours=1)) == 0
    (violation,) = violations(db)
    assert violation.kind is ViolationKind.LATE_OBJECTION
    assert violation.object_id == str(objection.id)
    assert violation.org_id == world.provider.org_id
    office_box = inbox(db, actor=world.office)
    assert [d.kind for d in office_box.items] == ["escalation_notice"]
    tags = set(db.scalars(select(AuditEntry.tag)))
    assert "objections:objection:escalate" in tags
    # Deciding it now does not register the same lateness twice.
    service.decide_objection(
        db, actor=world.provider, objection_id=objection.id, outcome="rejected", reason="不成立",
        at=OCT_12,
    )  # fmt: skip
    assert len(violations(db)) == 1


def test_late_decision_without_escalation_is_registered(
    db: Session, world: World, clock: Clock
) -> None:
    objection = filed(db, world, clock)
    service.decide_objection(
        db, actor=world.provider, objection_id=objection.id, outcome="rejected", reason="不成立",
        at=OCT_12,
    )  # fmt: skip
    (violation,) = violations(db)
    assert violation.detail["event"] == "decided_late"
    assert violation.user_id == world.provider.user_id


def test_recent_recipients_get_a_correction_notice(db: Session, world: World, clock: Clock) -> None:
    organ = actor_of(make_user(db, at=clock.now(), role="inquirer", username="organ_recent"))
    make_org(db, at=clock.now(), code="ORGAN-OLD", kind="organ")
    old = actor_of(
        make_user(db, at=clock.now(), role="inquirer", username="organ_old", org_code="ORGAN-OLD")
    )
    # One received the record a month ago; the other eight months ago (outside 6 months).
    for when, who in (
        (clock.now() - timedelta(days=30), organ),
        (clock.now() - timedelta(days=240), old),
    ):
        db.add(
            Inquiry(
                at=when,
                user_id=who.user_id,
                user_name=who.display_name,
                org_id=who.org_id,
                subject_id=world.subject.subject_id,
                subject_code=world.code,
                purpose="licensing",
                channel=InquiryChannel.GOVERNMENT,
                outcome=Outcome.ANSWERED,
                items=["admin_penalty"],
                record_ids=[world.record_id],
            )
        )
    db.commit()
    objection = filed(db, world, clock)
    service.decide_objection(
        db, actor=world.provider, objection_id=objection.id, outcome="upheld",
        reason="罚款金额录入错误", fields={"CF_NR_FK": "0.05"}, at=OCT_9,
    )  # fmt: skip
    box = inbox(db, actor=organ)
    assert [d.kind for d in box.items] == ["correction_notice"]
    assert box.items[0].number.startswith("GZTZ-2026-")
    assert inbox(db, actor=old).items == []
    assert inbox(db, actor=world.provider).items[0].kind == "objection_notice"
