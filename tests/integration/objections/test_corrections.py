"""Providers' own-correction clocks (Art. 33, 34; RGT-3, RGT-4, GOV-1)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories.accounts import actor_of, make_user
from tests.factories.objections import World
from xinyong.core.actor import Role
from xinyong.core.clock import PLATFORM_ZONE, Clock
from xinyong.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from xinyong.documents.service import inbox
from xinyong.objections import corrections
from xinyong.records import service as records
from xinyong.records.schemas import AmendmentCreate, WithdrawalCreate
from xinyong.violations.models import Violation, ViolationKind

OCT_12 = datetime(2026, 10, 12, 9, 0, tzinfo=PLATFORM_ZONE)


def test_discovered_error_is_due_three_working_days_later(
    db: Session, world: World, clock: Clock
) -> None:
    duty = corrections.record_discovered_error(
        db, actor=world.provider, record_id=world.record_id, description="金额录入错误",
        at=clock.now(),
    )  # fmt: skip
    assert duty.started_on == date(2026, 9, 30)
    assert duty.due == date(2026, 10, 10)
    done = corrections.fulfil_correction(
        db, actor=world.provider, duty_id=duty.id, reason="更正罚款金额",
        fields={"CF_NR_FK": "0.05"}, at=clock.now(),
    )  # fmt: skip
    assert done.amendment_version == 2
    assert not done.late
    record = records.get_record(db, actor=world.provider, record_id=world.record_id)
    assert record.versions is not None
    assert f"更正事项 #{duty.id}" in (record.versions[-1].basis or "")
    assert db.scalars(select(Violation)).all() == []
    with pytest.raises(Conflict):
        corrections.fulfil_correction(
            db, actor=world.provider, duty_id=duty.id, reason="again", at=clock.now()
        )


def test_late_correction_enters_the_register(db: Session, world: World, clock: Clock) -> None:
    duty = corrections.record_discovered_error(
        db, actor=world.provider, record_id=world.record_id, description="金额录入错误",
        at=clock.now(),
    )  # fmt: skip
    listed = corrections.list_corrections(db, actor=world.provider, at=OCT_12)
    assert [d.overdue for d in listed] == [True]
    done = corrections.fulfil_correction(
        db, actor=world.provider, duty_id=duty.id, reason="更正罚款金额",
        fields={"CF_NR_FK": "0.05"}, at=OCT_12,
    )  # fmt: skip
    assert done.late
    (violation,) = db.scalars(select(Violation)).all()
    assert violation.kind is ViolationKind.LATE_CORRECTION


def test_overdue_corrections_escalate_once(db: Session, world: World, clock: Clock) -> None:
    corrections.record_discovered_error(
        db, actor=world.provider, record_id=world.record_id, description="x", at=clock.now()
    )
    assert corrections.escalate_overdue_corrections(db, at=OCT_12) == 1
    assert corrections.escalate_overdue_corrections(db, at=OCT_12) == 0
    assert len(db.scalars(select(Violation)).all()) == 1


def test_revocation_notice_goes_to_the_office_and_links_the_amendment(
    db: Session, world: World, clock: Clock
) -> None:
    duty = corrections.record_revocation_notice(
        db, actor=world.provider, record_id=world.record_id, document_no="筑府复决〔2026〕12号",
        description="处罚决定经行政复议撤销", at=clock.now(),
    )  # fmt: skip
    assert duty.due == date(2026, 10, 10)
    assert duty.notice_number is not None
    (notice,) = inbox(db, actor=world.office).items
    assert notice.number == duty.notice_number
    assert notice.kind == "revocation_notice"
    corrections.fulfil_correction(
        db, actor=world.office, duty_id=duty.id, reason="处罚决定已撤销", action="withdraw",
        at=clock.now(),
    )  # fmt: skip
    record = records.get_record(db, actor=world.provider, record_id=world.record_id)
    assert record.status == "withdrawn"
    assert record.versions is not None
    assert "筑府复决〔2026〕12号" in (record.versions[-1].basis or "")


def test_only_the_records_provider_starts_a_clock(db: Session, world: World, clock: Clock) -> None:
    with pytest.raises(NotFound):
        corrections.record_discovered_error(
            db, actor=world.other_provider, record_id=world.record_id, description="x",
            at=clock.now(),
        )  # fmt: skip
    with pytest.raises(InvalidInput):
        corrections.record_revocation_notice(
            db, actor=world.provider, record_id=world.record_id, document_no=" ",
            description="x", at=clock.now(),
        )  # fmt: skip


def test_the_office_corrects_a_record_only_through_the_procedures(
    db: Session, world: World, clock: Clock
) -> None:
    """The credit office never amends or withdraws a provider's record as if it were the
    provider (issue 12 item 7): directly it is refused with ``not_the_provider``; through a
    correction procedure (Art. 34: the provider's written notice of a revocation) it may."""
    change = AmendmentCreate(fields={"CF_NR_FK": "0.6"}, reason="金额有误")
    with pytest.raises(PermissionDenied) as refused:
        records.amend_record(
            db, actor=world.office, record_id=world.record_id, data=change, at=clock.now()
        )
    assert refused.value.code == "not_the_provider"
    stop = WithdrawalCreate(reason="决定已撤销", basis="筑府复决〔2026〕12号")
    with pytest.raises(PermissionDenied) as refused:
        records.withdraw_record(
            db, actor=world.office, record_id=world.record_id, data=stop, at=clock.now()
        )
    assert refused.value.code == "not_the_provider"
    # nor another provider (it cannot even see the record)
    with pytest.raises(NotFound):
        records.amend_record(
            db, actor=world.other_provider, record_id=world.record_id, data=change, at=clock.now()
        )
    assert records.get_record(db, actor=world.office, record_id=world.record_id).version == 1
    duty = corrections.record_revocation_notice(
        db, actor=world.provider, record_id=world.record_id, document_no="筑府复决〔2026〕12号",
        description="处罚决定经行政复议撤销", at=clock.now(),
    )  # fmt: skip
    corrections.fulfil_correction(
        db, actor=world.office, duty_id=duty.id, reason="处罚决定已撤销", action="withdraw",
        at=clock.now(),
    )  # fmt: skip
    record = records.get_record(db, actor=world.office, record_id=world.record_id)
    assert (record.status, record.version) == ("withdrawn", 2)


def test_the_provider_still_corrects_its_own_record_directly(
    db: Session, world: World, clock: Clock
) -> None:
    change = AmendmentCreate(fields={"CF_NR_FK": "0.6"}, reason="金额录入错误")
    read = records.amend_record(
        db, actor=world.provider, record_id=world.record_id, data=change, at=clock.now()
    )
    assert read.version == 2


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR, Role.SUBJECT])
def test_correction_duties_are_not_the_administrators_to_read(
    db: Session, world: World, clock: Clock, role: Role
) -> None:
    code = world.code if role is Role.SUBJECT else None
    other = actor_of(
        make_user(db, at=clock.now(), role=role, username=f"x_{role.value}", subject_code=code)
    )
    with pytest.raises(PermissionDenied):
        corrections.list_corrections(db, actor=other, at=clock.now())
