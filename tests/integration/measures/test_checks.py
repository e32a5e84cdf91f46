"""Credit checks and applied measures (Art. 21–24, 28, 29; MEA-2, MEA-3, GOV-1)."""

from __future__ import annotations

import sys
import types

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories.accounts import actor_of, make_user
from tests.factories.measures import World
from xinyong.core.actor import Role
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput, NotFound, PermissionDenied
from xinyong.inquiry.models import Inquiry
from xinyong.measures import service
from xinyong.measures.checks import MeasureNotApplicable
from xinyong.measures.notices import NOTICE_KIND
from xinyong.violations.models import Violation


def kinds(check_measures: list[object]) -> set[str]:
    return {m.kind for m in check_measures}  # type: ignore[attr-defined]


def test_judgment_defaulter_gets_disciplinary_measures_with_basis(
    db: Session, clock: Clock, world: World
) -> None:
    check = service.run_check(
        db, actor=world.inquirer, subject_code=world.defaulter,
        matter="public_resource_trading", at=clock.now(),
    )  # fmt: skip
    assert check.grade == "D"
    assert any(r.rule == "d_judgment_default" for r in check.grade_reasons)
    assert [r.item for r in check.records] == ["judgment_default"]
    codes = {m.code: m for m in check.measures}
    assert "restrict_public_procurement" in codes
    procurement = codes["restrict_public_procurement"]
    assert procurement.kind == "disciplinary"
    assert "第二十四条" in procurement.legal_basis
    assert "政府采购法" in procurement.legal_basis
    assert procurement.record_ids == [check.records[0].id]
    # Measures for other matters are not offered (Art. 21, 23: "on related matters").
    assert "fast_track_handling" not in codes
    # A court enforcement measure is never offered to an administrative organ (Art. 29) ...
    assert "restrict_high_consumption" not in codes
    # ... only to the court.
    assert world.judge is not None
    by_court = service.run_check(
        db, actor=world.judge, subject_code=world.defaulter,
        matter="public_resource_trading", at=clock.now(),
    )  # fmt: skip
    assert "restrict_high_consumption" in {m.code for m in by_court.measures}
    assert "restrict_public_procurement" not in {m.code for m in by_court.measures}


def test_subject_with_no_record_is_unrated_and_gets_no_measure(
    db: Session, clock: Clock, world: World
) -> None:
    for matter in ("licensing", "inspection", "public_resource_trading"):
        check = service.run_check(
            db, actor=world.inquirer, subject_code=world.clean, matter=matter, at=clock.now()
        )
        assert check.grade is None
        assert check.grade_reason == "unrated"
        # No incentive from the absence of information (MEA-5), nor any other measure.
        assert check.measures == []


def test_general_penalty_gives_grade_b_and_regulatory_measures(
    db: Session, clock: Clock, world: World
) -> None:
    check = service.run_check(
        db, actor=world.inquirer, subject_code=world.penalised, matter="inspection", at=clock.now()
    )
    assert check.grade == "B"
    assert {m.code for m in check.measures} == {"increased_spot_checks"}
    assert kinds(check.measures) == {"regulatory"}


def test_a_check_is_logged_as_an_inquiry_for_its_matter(
    db: Session, clock: Clock, world: World
) -> None:
    check = service.run_check(
        db, actor=world.inquirer, subject_code=world.defaulter, matter="licensing", at=clock.now()
    )
    row = db.get(Inquiry, check.inquiry_id)
    assert row is not None
    assert row.purpose == "licensing"
    assert row.record_ids == [r.id for r in check.records]


def test_unknown_matter_and_matter_outside_authority_are_refused(
    db: Session, clock: Clock, world: World
) -> None:
    with pytest.raises(InvalidInput) as bad:
        service.run_check(
            db, actor=world.inquirer, subject_code=world.clean, matter="gossip", at=clock.now()
        )
    assert bad.value.code == "unknown_matter"
    narrow = actor_of(
        make_user(db, at=clock.now(), role=Role.INQUIRER, username="narrow",
                  org_code="GY-ZWFW", purposes=["licensing"])
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        service.run_check(
            db, actor=narrow, subject_code=world.clean, matter="inspection", at=clock.now()
        )


def test_applied_measure_is_recorded_with_a_written_notice(
    db: Session, clock: Clock, world: World
) -> None:
    check = service.run_check(
        db, actor=world.inquirer, subject_code=world.defaulter,
        matter="public_resource_trading", at=clock.now(),
    )  # fmt: skip
    applied = service.record_applied(
        db, actor=world.inquirer, check_id=check.check_id,
        measure_codes=["restrict_public_procurement"], at=clock.now(),
    )  # fmt: skip
    [row] = applied.items
    assert row.code == "restrict_public_procurement"
    assert row.kind == "disciplinary"
    assert row.notice is not None
    text = "\n".join(row.notice["paragraphs"])
    assert "政府采购法" in text  # the laws relied on (Art. 28)
    assert "失信被执行人" in text
    assert "贵阳市中级人民法院" in text
    if NOTICE_KIND is not None:
        assert row.notice_number is not None
    # Disciplinary: notified first, with the right to state and defend by a deadline.
    assert row.status == "pending"
    assert row.defence_due_on is not None
    assert row.defence_due_on.isoformat() in text
    subject = actor_of(
        make_user(db, at=clock.now(), role=Role.SUBJECT, username="defaulter_agent",
                  subject_code=world.defaulter)
    )  # fmt: skip
    mine = service.my_measures(db, actor=subject, at=clock.now())
    assert [m.code for m in mine.items] == ["restrict_public_procurement"]


def test_off_list_or_untriggered_measure_is_refused_and_registered(
    db: Session, clock: Clock, world: World
) -> None:
    check = service.run_check(
        db, actor=world.inquirer,
        subject_code=world.penalised, matter="licensing", at=clock.now(),
    )  # fmt: skip
    with pytest.raises(MeasureNotApplicable) as refused:
        service.record_applied(
            db, actor=world.inquirer, check_id=check.check_id,
            measure_codes=["key_review_in_licensing", "restrict_high_consumption", "made_up",
                           "gz_restrict_tourism_promotion"],
            at=clock.now(),
        )  # fmt: skip
    reasons = {d["code"]: d["reason"] for d in refused.value.details}
    assert reasons == {
        "restrict_high_consumption": "not_applicable_to_check",
        "made_up": "not_on_published_list",
        "gz_restrict_tourism_promotion": "not_on_published_list",
    }
    db.rollback()  # the request's own work is gone; the register entry was committed
    [violation] = db.scalars(select(Violation).where(Violation.kind == "refused_measure")).all()
    assert violation.subject_id is not None
    assert violation.object_id == str(check.check_id)
    assert violation.org_name == "贵阳市住房和城乡建设局"


def test_another_organ_cannot_report_on_a_check(db: Session, clock: Clock, world: World) -> None:
    check = service.run_check(
        db, actor=world.inquirer, subject_code=world.defaulter, matter="licensing", at=clock.now()
    )
    other = actor_of(make_user(db, at=clock.now(), role=Role.INQUIRER, username="other_organ"))
    with pytest.raises(NotFound):
        service.record_applied(
            db, actor=other, check_id=check.check_id,
            measure_codes=["restrict_high_consumption"], at=clock.now(),
        )  # fmt: skip


def test_list_entries_from_the_lists_context_set_grade_and_measures(
    db: Session, clock: Clock, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one door to the lists context: ``lists.service.active_entries``."""
    fake = types.ModuleType("xinyong.lists.service")

    def active_entries(session: Session, *, subject_id: int, at: object) -> list[dict[str, object]]:
        return [{"id": 3, "list_kind": "serious_dishonesty"}]

    fake.active_entries = active_entries  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "xinyong.lists.service", fake)
    assert world.funder is not None
    check = service.run_check(
        db, actor=world.funder, subject_code=world.clean, matter="financial_support",
        at=clock.now(),
    )  # fmt: skip
    assert check.grade == "D"
    assert check.lists == [{"id": "serious_dishonesty:3", "kind": "serious_dishonesty"}]
    funding = next(m for m in check.measures if m.code == "restrict_government_funding")
    assert funding.list_entry_ids == ["serious_dishonesty:3"]


def test_entries_of_the_real_lists_shape_are_named_kind_and_entry_id(
    db: Session, clock: Clock, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``lists.service.active_entries`` gives ``ActiveEntry`` rows (``entry_id``): a check names
    them ``"<kind>:<entry id>"``, the name lifting uses when the entry ends (Art. 36)."""
    from datetime import date

    from xinyong.lists.schemas import ActiveEntry

    fake = types.ModuleType("xinyong.lists.service")

    def active_entries(session: Session, *, subject_id: int, at: object) -> list[ActiveEntry]:
        return [
            ActiveEntry("serious_dishonesty", 12, subject_id, date(2026, 9, 1), None, None, None)
        ]

    fake.active_entries = active_entries  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "xinyong.lists.service", fake)
    check = service.run_check(
        db, actor=world.inquirer, subject_code=world.clean, matter="inspection", at=clock.now()
    )
    assert check.lists == [{"id": "serious_dishonesty:12", "kind": "serious_dishonesty"}]
    applied = service.record_applied(
        db, actor=world.inquirer, check_id=check.check_id,
        measure_codes=["stricter_supervision_listed"], at=clock.now(),
    )  # fmt: skip
    assert applied.items[0].list_entry_ids == ["serious_dishonesty:12"]
