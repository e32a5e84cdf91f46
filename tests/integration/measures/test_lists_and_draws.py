"""Measure lists lifecycle (Art. 24; MEA-1), spot-check draws (MEA-5), commitments (MEA-6)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories.measures import World
from xinyong.catalogue.models import VersionStatus
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput, PermissionDenied
from xinyong.measures import service
from xinyong.measures.commitments import BREACHED
from xinyong.measures.models import Measure
from xinyong.measures.rules import CommitmentClosed, LegalBasisRequired, PeriodRequired
from xinyong.measures.schemas import CommitmentClose, CommitmentCreate, MeasureCreate
from xinyong.records.models import Record, RecordVersion
from xinyong.subjects.service import find_by_code

UNIT = "11520000MB1234567J"


def test_shipped_lists_publish_all_but_the_draft_without_basis(db: Session, world: World) -> None:
    items = {m.code: m for m in service.list_measures(db, actor=world.office)}
    assert items["restrict_high_consumption"].status == "published"
    assert items["gz_restrict_data_resource_trading"].tier == "local"
    assert items["gz_restrict_tourism_promotion"].status == "draft"
    assert {m.kind for m in items.values()} == {"incentive", "regulatory", "disciplinary"}


def test_local_measure_needs_its_legal_basis(db: Session, clock: Clock, world: World) -> None:
    at = clock.now()
    code = "gz_restrict_tourism_promotion"
    for step in (VersionStatus.PUBLIC_COMMENT, VersionStatus.REPORTED):
        service.advance_measure(db, actor=world.office, code=code, to=step, at=at)
    with pytest.raises(LegalBasisRequired):
        service.publish_measure(
            db, actor=world.office, code=code, effective_on=date(2026, 10, 8), at=at
        )


def test_draft_to_published_and_roles(db: Session, clock: Clock, world: World) -> None:
    at = clock.now()
    data = MeasureCreate(
        code="gz_test_measure", tier="local", region_code="520000", name="测试措施",
        kind="regulatory", legal_basis="《贵州省社会信用条例》第二十三条",
        triggers=[{"polarity": "negative"}],
        matters=["inspection"], duration="record_window",
        implementing_organs=["market_regulation"],
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        service.draft_measure(db, actor=world.inquirer, data=data, at=at)
    service.draft_measure(db, actor=world.office, data=data, at=at)
    with pytest.raises(Exception, match="cannot go from draft to published"):
        service.publish_measure(
            db, actor=world.office, code=data.code, effective_on=date(2026, 10, 1), at=at
        )
    for step in (VersionStatus.PUBLIC_COMMENT, VersionStatus.REPORTED):
        service.advance_measure(db, actor=world.office, code=data.code, to=step, at=at)
    # No measure without an end (Art. 29, 35): the period is stated before publication.
    with pytest.raises(PeriodRequired), db.begin_nested():  # the refused use case only
        service.publish_measure(
            db, actor=world.office, code=data.code, effective_on=date(2026, 9, 30), at=at
        )
    measure = db.scalar(select(Measure).where(Measure.code == data.code))
    assert measure is not None
    measure.period_months = 12
    db.commit()
    published = service.publish_measure(
        db, actor=world.office, code=data.code, effective_on=date(2026, 9, 30), at=at
    )
    assert published.status is VersionStatus.PUBLISHED


def test_spot_check_draw_is_reproducible(db: Session, clock: Clock, world: World) -> None:
    codes = [world.defaulter, world.penalised, world.clean]
    ratios = {"A": 0.05, "B": 0.2, "C": 0.6, "D": 1.0}
    draw = service.draw_spot_check(
        db, actor=world.office, at=clock.now(), ratios=ratios, seed="s-2026-09", subject_codes=codes
    )
    # The unrated subject is sampled at grade B's ratio (grading rules' data).
    assert draw.population_by_grade == {"B": 2, "D": 1}
    assert draw.reproducible is True
    assert draw.drawn == service.rederive_draw(db, draw_id=draw.id)
    again = service.draw_spot_check(
        db, actor=world.office, at=clock.now(), ratios=ratios, seed="s-2026-09", subject_codes=codes
    )
    assert again.drawn == draw.drawn
    # D at 100 % always drawn; ceil(5 % × 1) = 1 draws the only A too.
    defaulter = find_by_code(db, world.defaulter)
    assert defaulter is not None
    assert defaulter.id in draw.drawn
    assert service.get_draw(db, actor=world.office, draw_id=draw.id).seed == "s-2026-09"


def test_spot_check_ratios_outside_bounds_are_refused(
    db: Session, clock: Clock, world: World
) -> None:
    with pytest.raises(InvalidInput) as bad:
        service.draw_spot_check(
            db, actor=world.office, at=clock.now(), ratios={"A": 0.5, "B": 0.1, "C": 0.3, "D": 0.9}
        )
    assert bad.value.code == "invalid_ratios"
    assert bad.value.details[0]["field"] == "ratios.A"


def test_breached_commitment_becomes_a_record_and_lowers_the_grade(
    db: Session, clock: Clock, world: World
) -> None:
    at = clock.now()
    made = service.record_commitment(
        db, actor=world.inquirer, at=at,
        data=CommitmentCreate(subject=world.clean, matter="食品经营许可", terms="三个月内补齐材料",
                              due_on=date(2026, 12, 31), unit_uscc=UNIT),
    )  # fmt: skip
    assert made.status == "open"
    assert not made.overdue
    breached = service.mark_breached(
        db, actor=world.inquirer, commitment_id=made.id, at=at + timedelta(days=1),
        data=CommitmentClose(note="经核查，承诺事项未兑现"),
    )  # fmt: skip
    assert breached.status == "breached"
    assert breached.breach_record_id is not None
    record = db.get(Record, breached.breach_record_id)
    assert record is not None
    assert record.item_code == "credit_commitment"
    version = db.query(RecordVersion).filter_by(record_id=record.id).one()
    assert version.fields["CN_LXZT"] == BREACHED
    subject = find_by_code(db, world.clean)
    assert subject is not None
    grade = service.grade_subject(db, subject_id=subject.id, at=at + timedelta(days=1))
    assert grade.grade == "C"
    assert grade.reasons[0].rule == "c_commitment_breach"
    with pytest.raises(CommitmentClosed):
        service.mark_fulfilled(
            db, actor=world.inquirer, commitment_id=made.id, at=at, data=CommitmentClose(note="x")
        )


def test_fulfilled_commitment_and_validation(db: Session, clock: Clock, world: World) -> None:
    at = clock.now()
    with pytest.raises(InvalidInput) as bad:
        service.record_commitment(
            db, actor=world.regulator, at=at,
            data=CommitmentCreate(subject="nobody", matter="m", terms="t",
                                  due_on=date(2020, 1, 1), unit_uscc="91520000214434146X"),
        )  # fmt: skip
    assert {d["field"] for d in bad.value.details} == {"subject", "unit_uscc", "due_on"}
    made = service.record_commitment(
        db, actor=world.regulator, at=at,
        data=CommitmentCreate(subject=world.penalised, matter="m", terms="t",
                              due_on=date(2026, 10, 9), unit_uscc=UNIT),
    )  # fmt: skip
    done = service.mark_fulfilled(
        db, actor=world.regulator, commitment_id=made.id, at=at, data=CommitmentClose(note="已兑现")
    )
    assert done.status == "fulfilled"
    assert done.breach_record_id is None
    mine = service.list_commitments(db, actor=world.regulator, at=at)
    assert [c.id for c in mine.items] == [made.id]
