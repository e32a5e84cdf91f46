"""Issue 11 items 5–7 and 10 on both databases: measures within the organ's statutory authority
(Art. 23, 29), grades from the whole record or none (MEA-5), notice then the measure (Art. 28,
29 para. 2) with an end, and lifting with the ground (Art. 36)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

import xinyong.repair.models  # noqa: F401  (tables of the repair context)
from tests.factories.accounts import actor_of, make_user
from tests.factories.disclosure import penalty
from tests.factories.measures import World
from xinyong.audit.models import AuditEntry
from xinyong.calendar import service as calendar
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import Clock, local_date
from xinyong.core.errors import Conflict
from xinyong.documents.service import inbox
from xinyong.measures import service
from xinyong.measures.checks import MeasureNotApplicable
from xinyong.measures.models import AppliedMeasure, AppliedStatus, CreditCheck
from xinyong.measures.schemas import CheckRead
from xinyong.objections import service as objections
from xinyong.repair import service as repair


def later(clock: Clock, days: int) -> datetime:
    return clock.now() + timedelta(days=days)


def subject_of(db: Session, clock: Clock, code: str, username: str) -> Actor:
    return actor_of(
        make_user(db, at=clock.now(), role=Role.SUBJECT, username=username, subject_code=code)
    )


def procurement_check(db: Session, clock: Clock, world: World) -> CheckRead:
    return service.run_check(
        db, actor=world.inquirer, subject_code=world.defaulter,
        matter="public_resource_trading", at=clock.now(),
    )  # fmt: skip


# --- item 5: statutory authority --------------------------------------------------------------


def test_court_measure_is_refused_to_an_administrative_organ(
    db: Session, clock: Clock, world: World
) -> None:
    check = procurement_check(db, clock, world)
    assert "restrict_high_consumption" not in {m.code for m in check.measures}
    with pytest.raises(MeasureNotApplicable) as refused:
        service.record_applied(
            db, actor=world.inquirer, check_id=check.check_id,
            measure_codes=["restrict_high_consumption"], at=clock.now(),
        )  # fmt: skip
    assert [d["code"] for d in refused.value.details] == ["restrict_high_consumption"]


def test_an_organ_without_organ_kind_is_offered_nothing(
    db: Session, clock: Clock, world: World
) -> None:
    kindless = actor_of(make_user(db, at=clock.now(), role=Role.INQUIRER, username="kindless"))
    check = service.run_check(
        db, actor=kindless, subject_code=world.defaulter, matter="public_resource_trading",
        at=clock.now(),
    )  # fmt: skip
    assert check.grade == "D"
    assert check.measures == []


# --- item 6: grades from the whole record, or none ---------------------------------------------


def test_restricted_inquirer_sees_the_grade_of_the_whole_record(
    db: Session, clock: Clock, world: World
) -> None:
    penalty(
        db, world.regulator, person=False, name="贵州处罚示例有限公司", code=world.penalised,
        decided_on=date(2026, 9, 10), severity="general", at=clock.now(), doc="筑市监罚〔2026〕9号",
    )  # fmt: skip
    narrow = actor_of(
        make_user(
            db, at=clock.now(), role=Role.INQUIRER, username="narrow_staff", org_code="GY-ZWFW",
            items=["judgment_default"],
        )
    )  # fmt: skip
    check = service.run_check(
        db, actor=narrow, subject_code=world.penalised, matter="licensing", at=clock.now()
    )
    assert check.records == []  # it may not read the penalties ...
    assert check.grade == "C"  # ... but the grade rests on them (the office grades C)
    assert [r.rule for r in check.grade_reasons] == ["withheld"]
    assert all(r.record_ids == [] for r in check.grade_reasons)
    codes = {m.code for m in check.measures}
    assert "fast_track_handling" not in codes
    assert "restrict_admin_convenience" in codes
    full = service.run_check(
        db, actor=world.inquirer, subject_code=world.penalised, matter="licensing",
        at=clock.now(),
    )  # fmt: skip
    assert full.grade == "C"
    assert [r.rule for r in full.grade_reasons] == ["c_two_general"]


def test_unrated_subject_is_stored_as_unrated(db: Session, clock: Clock, world: World) -> None:
    check = service.run_check(
        db, actor=world.inquirer, subject_code=world.clean, matter="licensing", at=clock.now()
    )
    assert (check.grade, check.grade_reason) == (None, "unrated")
    assert check.measures == []
    stored = db.get(CreditCheck, check.check_id)
    assert stored is not None
    assert stored.grade is None


# --- item 7: notice, then the measure ----------------------------------------------------------


def notified(db: Session, clock: Clock, world: World) -> tuple[CheckRead, AppliedMeasure]:
    check = procurement_check(db, clock, world)
    [row] = service.record_applied(
        db, actor=world.inquirer, check_id=check.check_id,
        measure_codes=["restrict_public_procurement"], at=clock.now(),
    ).items  # fmt: skip
    applied = db.get(AppliedMeasure, row.id)
    assert applied is not None
    return check, applied


def test_disciplinary_measure_is_notified_with_a_working_day_deadline(
    db: Session, clock: Clock, world: World
) -> None:
    _check, row = notified(db, clock, world)
    assert row.status is AppliedStatus.PENDING
    due = calendar.deadline(db, start=local_date(clock.now()), working_days=5)
    assert row.defence_due_on == due
    assert row.notice is not None
    text = "\n".join(row.notice["paragraphs"])
    assert due.isoformat() in text
    assert "陈述和申辩" in text
    assert "贵阳市中级人民法院" in text  # the provider of the information used (Art. 28)
    assert row.ends_on is None  # not in force yet
    subject = subject_of(db, clock, world.defaulter, "jd_subject")
    [mine] = service.my_measures(db, actor=subject, at=clock.now()).items
    assert (mine.status, mine.defence_due_on) == ("pending", due)


def test_decision_waits_for_the_deadline(db: Session, clock: Clock, world: World) -> None:
    check, row = notified(db, clock, world)
    assert row.defence_due_on is not None
    on_due = datetime.combine(row.defence_due_on, clock.now().timetz())
    with pytest.raises(Conflict) as early:
        service.decide_measure(
            db, actor=world.inquirer, check_id=check.check_id,
            code="restrict_public_procurement", outcome="apply", reason="期限届满", at=on_due,
        )  # fmt: skip
    assert early.value.code == "defence_period_running"
    after = on_due + timedelta(days=1)
    decided = service.decide_measure(
        db, actor=world.inquirer, check_id=check.check_id, code="restrict_public_procurement",
        outcome="apply", reason="期限届满未陈述申辩", at=after,
    )  # fmt: skip
    assert decided.status == "applied"
    assert decided.decision_number is not None
    assert decided.ends_on == date(after.year + 3, after.month, after.day) - timedelta(
        days=1
    )  # 36 months, the shipped period
    subject = subject_of(db, clock, world.defaulter, "jd_subject2")
    assert decided.decision_number in {d.number for d in inbox(db, actor=subject).items}
    with pytest.raises(Conflict) as again:
        service.decide_measure(
            db, actor=world.inquirer, check_id=check.check_id,
            code="restrict_public_procurement", outcome="withdraw", reason="x", at=after,
        )  # fmt: skip
    assert again.value.code == "measure_not_pending"
    # Past its period it reads "ended".
    end = datetime.combine(decided.ends_on + timedelta(days=1), clock.now().timetz())
    [mine] = service.my_measures(db, actor=subject, at=end).items
    assert mine.status == "ended"


def test_a_statement_must_be_answered_then_the_organ_may_decide_early(
    db: Session, clock: Clock, world: World
) -> None:
    check, row = notified(db, clock, world)
    subject = subject_of(db, clock, world.defaulter, "jd_subject3")
    stated = service.state_defence(
        db, actor=subject, applied_id=row.id, statement="已履行判决义务，附执行法院证明",
        at=later(clock, 1),
    )  # fmt: skip
    assert stated.statement is not None
    # The organ learns of it in its inbox, to answer before deciding.
    assert any("陈述申辩" in d.title for d in inbox(db, actor=world.inquirer).items)
    with pytest.raises(Conflict) as unanswered:
        service.decide_measure(
            db, actor=world.inquirer, check_id=check.check_id,
            code="restrict_public_procurement", outcome="withdraw", reason="x", at=later(clock, 2),
        )  # fmt: skip
    assert unanswered.value.code == "statement_unanswered"
    service.answer_statement(
        db, actor=world.inquirer, check_id=check.check_id, code="restrict_public_procurement",
        answer="经核实，已履行完毕", at=later(clock, 2),
    )  # fmt: skip
    decided = service.decide_measure(
        db, actor=world.inquirer, check_id=check.check_id, code="restrict_public_procurement",
        outcome="withdraw", reason="陈述申辩成立", at=later(clock, 2),
    )  # fmt: skip
    assert decided.status == "withdrawn"
    assert decided.ends_on is None


def test_statement_after_the_deadline_is_refused(db: Session, clock: Clock, world: World) -> None:
    _, row = notified(db, clock, world)
    assert row.defence_due_on is not None
    subject = subject_of(db, clock, world.defaulter, "jd_subject4")
    too_late = datetime.combine(row.defence_due_on + timedelta(days=1), clock.now().timetz())
    with pytest.raises(Conflict) as refused:
        service.state_defence(db, actor=subject, applied_id=row.id, statement="x", at=too_late)
    assert refused.value.code == "defence_period_over"


def test_regulatory_measure_applies_at_once_with_its_end(
    db: Session, clock: Clock, world: World
) -> None:
    check = service.run_check(
        db, actor=world.inquirer, subject_code=world.penalised, matter="inspection", at=clock.now()
    )
    [row] = service.record_applied(
        db, actor=world.inquirer, check_id=check.check_id,
        measure_codes=["increased_spot_checks"], at=clock.now(),
    ).items  # fmt: skip
    assert row.status == "applied"
    assert row.ends_on == date(2027, 9, 29)  # 12 months from 2026-09-30
    assert row.record_ids == [check.records[0].id]


# --- item 10: repair undoes consequences -------------------------------------------------------


def applied_spot_checks(db: Session, clock: Clock, world: World) -> tuple[int, int]:
    check = service.run_check(
        db, actor=world.inquirer, subject_code=world.penalised, matter="inspection", at=clock.now()
    )
    [row] = service.record_applied(
        db, actor=world.inquirer, check_id=check.check_id,
        measure_codes=["increased_spot_checks"], at=clock.now(),
    ).items  # fmt: skip
    return row.id, check.records[0].id


def test_upheld_objection_lifts_the_measure_and_tells_the_organ(
    db: Session, clock: Clock, world: World
) -> None:
    applied_id, record_id = applied_spot_checks(db, clock, world)
    subject = subject_of(db, clock, world.penalised, "pen_subject")
    objection, _ = objections.file_objection(
        db, actor=subject, record_id=record_id, reason="处罚已被撤销", at=later(clock, 1)
    )
    objections.decide_objection(
        db, actor=world.regulator, objection_id=objection.id, outcome="upheld",
        reason="处罚决定已撤销", at=later(clock, 2), action="withdraw",
    )  # fmt: skip
    db.expire_all()
    row = db.get(AppliedMeasure, applied_id)
    assert row is not None
    assert row.status is AppliedStatus.LIFTED
    assert row.lifted_at is not None
    assert "异议成立" in (row.lift_reason or "")
    titles = [d.title for d in inbox(db, actor=world.inquirer).items]
    assert any("解除" in t for t in titles)
    tags = db.scalars(select(AuditEntry.tag).where(AuditEntry.object_type == "applied_measure"))
    assert "measures:measure:lift" in set(tags)
    [mine] = service.my_measures(db, actor=subject, at=later(clock, 2)).items
    assert mine.status == "lifted"


def test_repaired_record_lifts_the_measure(db: Session, clock: Clock, world: World) -> None:
    applied_id, record_id = applied_spot_checks(db, clock, world)
    subject = subject_of(db, clock, world.penalised, "pen_subject2")
    at = datetime.combine(date(2026, 12, 2), clock.now().timetz())  # past the 3-month minimum
    filed = repair.apply_for_repair(
        db, actor=subject, record_id=record_id, statement="罚款已缴清", evidence=[],
        commitment=None, obligations_fulfilled=True, at=at,
    )  # fmt: skip
    repair.decide_repair(
        db, actor=world.regulator, repair_id=filed.id, outcome="repaired",
        reason="已缴清罚款并完成整改", at=at,
    )  # fmt: skip
    db.expire_all()
    row = db.get(AppliedMeasure, applied_id)
    assert row is not None
    assert row.status is AppliedStatus.LIFTED
    assert "信用修复" in (row.lift_reason or "")


def test_list_entry_ending_lifts_what_rests_on_it(db: Session, clock: Clock, world: World) -> None:
    applied_id, _ = applied_spot_checks(db, clock, world)
    row = db.get(AppliedMeasure, applied_id)
    assert row is not None
    assert row.subject_id is not None
    row.list_entry_ids = ["serious_dishonesty:7"]
    db.commit()
    lifted = service.lift_measures_grounded_on(
        db, subject_id=row.subject_id, list_entry_id="serious_dishonesty:8", reason="x",
        at=later(clock, 1),
    )  # fmt: skip
    assert lifted == []
    lifted = service.lift_measures_grounded_on(
        db, subject_id=row.subject_id, list_entry_id="serious_dishonesty:7",
        reason="名单移出 removed from the list", at=later(clock, 1),
    )  # fmt: skip
    db.commit()
    assert lifted == [applied_id]
    assert db.get(AppliedMeasure, applied_id).status is AppliedStatus.LIFTED  # type: ignore[union-attr]
