"""Applying for credit repair (Art. 36; RGT-5) on both databases; the clock is 2026-09-30."""

from __future__ import annotations

import base64
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories.repair import RepairWorld
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput, NotFound, PermissionDenied
from xinyong.documents.models import Document
from xinyong.documents.service import inbox
from xinyong.repair import service
from xinyong.repair.models import RepairApplication
from xinyong.repair.service import RepairNotEligible, RepairOpen


def apply(db: Session, world: RepairWorld, clock: Clock, record_id: int, **kw: object):  # type: ignore[no-untyped-def]
    args: dict[str, object] = {
        "actor": world.subject,
        "record_id": record_id,
        "statement": "罚款已缴清，违法行为已整改",
        "evidence": ["缴款凭证"],
        "commitment": None,
        "obligations_fulfilled": True,
        "at": clock.now(),
    }
    args.update(kw)
    return service.apply_for_repair(db, **args)  # type: ignore[arg-type]


def count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def test_serious_penalty_before_its_one_year_minimum_is_refused_and_nothing_is_kept(
    db: Session, world: RepairWorld, clock: Clock
) -> None:
    documents = count(db, Document)
    with pytest.raises(RepairNotEligible) as caught:
        apply(db, world, clock, world.serious_id)
    assert caught.value.code == "repair_not_eligible"
    assert "严重失信信息须公示满 1 年后方可申请修复，最早 2027-03-15" in caught.value.message
    assert caught.value.details == [
        {
            "field": "record_id",
            "reason": "minimum_period",
            "message": caught.value.message,
            "earliest_on": "2027-03-15",
        }
    ]
    assert count(db, RepairApplication) == 0
    assert count(db, Document) == documents


def test_item_not_repairable_by_law(db: Session, world: RepairWorld, clock: Clock) -> None:
    with pytest.raises(RepairNotEligible, match="该事项依法不可修复"):
        apply(db, world, clock, world.judgment_id)


def test_general_penalty_past_its_minimum_is_received_and_routed(
    db: Session, world: RepairWorld, clock: Clock
) -> None:
    pdf = b"%PDF-1.4 fine paid"
    upload = {"name": "缴款书.pdf", "content_base64": base64.b64encode(pdf).decode()}
    repair = apply(db, world, clock, world.general_id, evidence=["缴款凭证", upload])
    assert repair.status == "received"
    assert repair.rule_set == "order36"
    assert repair.severity == "general"
    assert repair.received_on == date(2026, 9, 30)
    # Five working days after Wed 09-30, across National Day (10-01…10-07, Sat 10-10 works).
    assert repair.due == date(2026, 10, 13)
    assert repair.working_days_left == 5
    assert repair.commitment is not None
    assert repair.commitment.startswith("本主体承诺")
    stored = repair.evidence[1]
    assert stored.size == len(pdf)
    assert stored.file_id is not None
    f = service.evidence_file(db, actor=world.provider, repair_id=repair.id, file_id=stored.file_id)
    assert f.content == pdf
    # The provider's inbox holds the notice of the application.
    notices = inbox(db, actor=world.provider).items
    assert any(d.object_type == "repair" and d.object_id == str(repair.id) for d in notices)
    # The subject sees it, the other subject and the other provider do not.
    assert service.get_repair(db, actor=world.subject, repair_id=repair.id, at=clock.now()).id
    for stranger in (world.other_subject, world.other_provider):
        with pytest.raises(NotFound):
            service.get_repair(db, actor=stranger, repair_id=repair.id, at=clock.now())


def test_only_the_subject_applies_for_its_own_records(
    db: Session, world: RepairWorld, clock: Clock
) -> None:
    with pytest.raises(NotFound):
        apply(db, world, clock, world.general_id, actor=world.other_subject)
    with pytest.raises(PermissionDenied):
        apply(db, world, clock, world.general_id, actor=world.provider)


def test_one_application_at_a_time(db: Session, world: RepairWorld, clock: Clock) -> None:
    first = apply(db, world, clock, world.general_id)
    with pytest.raises(RepairOpen) as caught:
        apply(db, world, clock, world.general_id)
    assert caught.value.details[0]["repair_id"] == first.id


def test_minor_needs_obligations_not_a_commitment(
    db: Session, world: RepairWorld, clock: Clock
) -> None:
    with pytest.raises(RepairNotEligible, match="须先履行法定义务"):
        apply(db, world, clock, world.minor_id, obligations_fulfilled=False)
    repair = apply(db, world, clock, world.minor_id, commitment="")
    assert repair.commitment is None
    assert repair.severity == "minor"


def test_general_without_a_commitment_is_refused(
    db: Session, world: RepairWorld, clock: Clock
) -> None:
    with pytest.raises(RepairNotEligible, match="公开信用承诺"):
        apply(db, world, clock, world.general_id, commitment="  ")


def test_every_unmet_condition_is_named(db: Session, world: RepairWorld, clock: Clock) -> None:
    with pytest.raises(RepairNotEligible) as caught:
        apply(db, world, clock, world.recent_id, obligations_fulfilled=False, commitment="")
    assert [d["reason"] for d in caught.value.details] == [
        "minimum_period",
        "obligations",
        "commitment",
    ]


def test_bad_input(db: Session, world: RepairWorld, clock: Clock) -> None:
    with pytest.raises(InvalidInput):
        apply(db, world, clock, world.general_id, statement="   ")
    with pytest.raises(InvalidInput, match="evidence item 1"):
        apply(db, world, clock, world.general_id, evidence=[{"name": "x", "content_base64": "%%"}])
    with pytest.raises(NotFound):
        apply(db, world, clock, 987654321)


def test_eligibility_preview(db: Session, world: RepairWorld, clock: Clock) -> None:
    listed = {
        e.record_id: e for e in service.repairable_records(db, actor=world.subject, at=clock.now())
    }
    assert listed[world.general_id].eligible
    assert not listed[world.serious_id].eligible
    assert listed[world.serious_id].earliest_on == date(2027, 3, 15)
    assert not listed[world.judgment_id].repairable
    apply(db, world, clock, world.general_id)
    again = service.repair_eligibility(
        db, actor=world.subject, record_id=world.general_id, at=clock.now()
    )
    assert not again.eligible
    assert again.open_repair_id is not None
