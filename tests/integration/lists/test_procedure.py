"""The serious dishonesty list procedure end to end, on a frozen clock moved by hand
(Art. 25–27, 29, 36; LST-1…4). 2026: National Day 10-01…10-07, Sat 10-10 is a working day."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy.orm import Session

from tests.conftest import FROZEN
from tests.factories.accounts import actor_of, make_user
from tests.factories.disclosure import resident_id, uscc
from tests.factories.lists import REPRESENTATIVE, ListWorld, decision, make_list_world, proposal
from xinyong.core.actor import Role
from xinyong.core.clock import PLATFORM_ZONE, Clock
from xinyong.core.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from xinyong.documents import service as documents
from xinyong.feed import service as feed
from xinyong.lists import notices, service
from xinyong.lists.models import ListProcedure, ServiceMethod
from xinyong.lists.rules import IllegalTransition, StatementPeriodOver, StatementPeriodRunning
from xinyong.lists.schemas import ServiceCreate
from xinyong.records import service as records
from xinyong.subjects import service as subjects

DOCUMENT_KINDS_LISTED = notices.kind_of(notices.PRIOR_NOTICE) is not None


def at(month: int, day: int, hour: int = 10, year: int = 2026) -> datetime:
    """An instant on the platform's frozen clock."""
    return Clock(datetime(year, month, day, hour, 0, tzinfo=PLATFORM_ZONE)).now()


@pytest.fixture
def world(db: Session) -> ListWorld:
    return make_list_world(db, at=at(9, 28, 8))


def run_to_publication(db: Session, w: ListWorld) -> int:
    p = service.propose(db, actor=w.organ, data=proposal(w.company_code), at=at(9, 28, 9))
    service.send_prior_notice(db, actor=w.office, procedure_id=p.id, at=at(9, 29))
    service.record_statement(
        db, actor=w.subject, procedure_id=p.id, kind="waiver", text="放弃陈述申辩", at=at(9, 30)
    )
    service.decide(db, actor=w.office, procedure_id=p.id, data=decision(), at=at(9, 30, 11))
    served = ServiceCreate(method=ServiceMethod.PLATFORM)
    service.record_service(db, actor=w.office, procedure_id=p.id, data=served, at=at(9, 30, 12))
    service.publish_entry(db, actor=w.office, procedure_id=p.id, at=at(9, 30, 14))
    return p.id


def test_whole_procedure_with_deadlines_on_the_working_day_calendar(
    db: Session, world: ListWorld
) -> None:
    w = world
    p = service.propose(db, actor=w.organ, data=proposal(w.company_code), at=at(9, 28, 9))
    assert p.state == "proposed"
    # 5 working days after Mon 09-28, across National Day: 29, 30, 10-08, 10-09, Sat 10-10.
    assert p.due_on == date(2026, 10, 10)
    assert p.legal_representative is not None
    assert p.legal_representative.name == REPRESENTATIVE

    p = service.send_prior_notice(db, actor=w.office, procedure_id=p.id, at=at(9, 29))
    assert p.state == "statement_period"
    assert p.statement_due_on == date(2026, 10, 12)
    assert [s.to_state for s in p.steps] == ["proposed", "notified", "statement_period"]

    p = service.record_statement(
        db,
        actor=w.subject,
        procedure_id=p.id,
        kind="defence",
        text="事故系第三方原因",
        at=at(9, 30),
    )
    assert [s.kind for s in p.statements] == ["defence"]
    with pytest.raises(StatementPeriodRunning):
        service.decide(db, actor=w.office, procedure_id=p.id, data=decision(), at=at(10, 9))

    p = service.file_procedure_objection(
        db, actor=w.subject, procedure_id=p.id, text="认定事实有误", at=at(10, 9)
    )
    assert p.state == "objection_filed"
    assert p.due_on == date(2026, 10, 13)
    with pytest.raises(IllegalTransition):
        service.decide(db, actor=w.office, procedure_id=p.id, data=decision(), at=at(10, 13))

    p = service.answer_objection(
        db, actor=w.office, procedure_id=p.id, outcome="rejected", answer="经核实，事实清楚",
        at=at(10, 12),
    )  # fmt: skip
    assert p.state == "objection_answered"
    assert p.statements[-1].answer_outcome == "rejected"
    with pytest.raises(StatementPeriodOver):
        service.record_statement(
            db, actor=w.subject, procedure_id=p.id, kind="statement", text="补充", at=at(10, 13)
        )

    p = service.decide(db, actor=w.office, procedure_id=p.id, data=decision(), at=at(10, 13))
    assert p.state == "decided"
    assert p.due_on == date(2026, 10, 20)
    assert p.decision_number

    with pytest.raises(IllegalTransition):
        service.publish_entry(db, actor=w.office, procedure_id=p.id, at=at(10, 13, 11))
    served = ServiceCreate(method=ServiceMethod.POST, served_on=date(2026, 10, 14), note="挂号信")
    p = service.record_service(db, actor=w.office, procedure_id=p.id, data=served, at=at(10, 15))
    assert p.state == "served"
    assert p.served_on == date(2026, 10, 14)
    assert p.due_on == date(2026, 10, 23)

    p = service.publish_entry(db, actor=w.office, procedure_id=p.id, at=at(10, 16))
    assert p.state == "published"
    assert p.entry is not None
    # The period counts from the decision (10-13), not from publication (Order 36; LST-4).
    assert (p.entry.period_start_on, p.entry.period_end_on) == (
        date(2026, 10, 13),
        date(2029, 10, 13),
    )
    assert p.entry.legal_representative is not None
    assert p.entry.legal_representative.name == REPRESENTATIVE
    every = [(s.to_state, s.due_on) for s in p.steps]
    assert [s for s, _ in every] == [
        "proposed", "notified", "statement_period", "objection_filed", "objection_answered",
        "decided", "served", "published",
    ]  # fmt: skip

    # The entry is a record of the catalogue item, naming the legal representative (Art. 27).
    assert p.entry.record_id is not None
    record = records.get_record(db, actor=w.office, record_id=p.entry.record_id)
    assert record.item == "serious_dishonesty"
    assert record.subject.code == w.company_code
    assert record.fields["FRDB"] == REPRESENTATIVE
    assert record.fields["YZ_YXQZ"] == "2029-10-13"
    assert record.fields["YZ_RDWH"] == p.decision_number
    # …and it is on the change feed.
    changes = feed.list_changes(db, actor=w.office, after=None, at=FROZEN, limit=500).changes
    assert any(c.record_id == p.entry.record_id and c.item == "serious_dishonesty" for c in changes)


def test_entries_in_force_and_the_disciplinary_period(db: Session, world: ListWorld) -> None:
    procedure_id = run_to_publication(db, world)
    entries = service.active_entries(db, subject_id=world.company_id, at=at(10, 8))
    assert [(e.list_kind, e.period_end_on) for e in entries] == [
        ("serious_dishonesty", date(2029, 9, 30))
    ]
    assert service.disciplinary_until(db, subject_id=world.company_id, at=at(10, 8)) == date(
        2029, 9, 30
    )
    later = at(10, 1, year=2029)
    assert service.active_entries(db, subject_id=world.company_id, at=later) == []
    assert service.disciplinary_until(db, subject_id=world.company_id, at=later) is None
    assert service.close_ended_entries(db, at=later) == 1
    p = service.get_procedure(db, actor=world.office, procedure_id=procedure_id, at=later)
    assert p.state == "ended"
    assert p.entry is not None
    assert p.entry.status == "ended"


def test_early_removal_after_repair_withdraws_the_record(db: Session, world: ListWorld) -> None:
    procedure_id = run_to_publication(db, world)
    p = service.get_procedure(db, actor=world.office, procedure_id=procedure_id, at=at(10, 8))
    assert p.entry is not None
    assert p.entry.record_id is not None
    removed_at = at(1, 5, year=2027)
    service.end_entry_early(
        db, actor=world.office, entry_id=p.entry.id, reason="已完成信用修复", at=removed_at
    )
    assert service.active_entries(db, subject_id=world.company_id, at=removed_at) == []
    assert service.disciplinary_until(db, subject_id=world.company_id, at=removed_at) is None
    p = service.get_procedure(db, actor=world.office, procedure_id=procedure_id, at=removed_at)
    assert p.state == "ended"
    assert p.entry is not None
    assert (p.entry.status, p.entry.ended_on) == ("removed", date(2027, 1, 5))
    record = records.get_record(db, actor=world.office, record_id=p.entry.record_id)
    assert record.status.value == "withdrawn"
    with pytest.raises(IllegalTransition):
        service.end_entry_early(
            db, actor=world.office, entry_id=p.entry.id, reason="again", at=removed_at
        )


@pytest.mark.skipif(not DOCUMENT_KINDS_LISTED, reason="documents context lacks the list kinds")
def test_each_step_leaves_a_document_in_the_subjects_inbox(db: Session, world: ListWorld) -> None:
    procedure_id = run_to_publication(db, world)
    docs = documents.documents_about(db, object_type="list_procedure", object_id=procedure_id)
    assert [d.kind.value for d in docs] == [
        notices.PRIOR_NOTICE,
        notices.DECISION,
        notices.SERVICE_RECORD,
    ]
    assert all(d.recipient_subject_id == world.company_id for d in docs)
    decision_doc = docs[1]
    assert REPRESENTATIVE in decision_doc.html
    assert "行政复议" in decision_doc.html
    assert "行政诉讼" in decision_doc.html
    inbox = documents.inbox(db, actor=world.subject)
    assert {d.number for d in docs} <= {i.number for i in inbox.items}


def test_an_organisation_needs_its_legal_representative(db: Session, world: ListWorld) -> None:
    bare = subjects.register_subject(
        db, actor=world.office, type="legal_person", id_value=uscc(699), name="无代表人公司",
        at=at(9, 28, 9),
    )  # fmt: skip
    with pytest.raises(RuleViolation) as refused:
        service.propose(db, actor=world.organ, data=proposal(bare.code), at=at(9, 28, 9))
    assert refused.value.code == "representative_required"
    rep = subjects.register_subject(
        db, actor=world.office, type="natural_person", id_value=resident_id(699), name="王负责",
        at=at(9, 28, 9),
    )  # fmt: skip
    p = service.propose(
        db, actor=world.organ, data=proposal(bare.code, legal_representative=rep.code),
        at=at(9, 28, 9),
    )  # fmt: skip
    assert p.legal_representative is not None
    assert p.legal_representative.name == "王负责"


def test_a_natural_person_names_no_representative(db: Session, world: ListWorld) -> None:
    p = service.propose(db, actor=world.organ, data=proposal(world.person_code), at=at(9, 28))
    assert p.legal_representative is None
    with pytest.raises(InvalidInput):
        service.propose(
            db, actor=world.organ, at=at(9, 28),
            data=proposal(world.person_code, legal_representative=world.person_code),
        )  # fmt: skip


def test_a_basis_may_set_another_period(db: Session, world: ListWorld) -> None:
    data = proposal(world.person_code, period_months=12)
    p = service.propose(db, actor=world.organ, data=data, at=at(9, 28, 9))
    service.send_prior_notice(db, actor=world.office, procedure_id=p.id, at=at(9, 28, 10))
    service.record_statement(
        db, actor=world.office, procedure_id=p.id, kind="waiver", text="书面放弃", at=at(9, 29)
    )
    service.decide(db, actor=world.office, procedure_id=p.id, data=decision(), at=at(9, 29))
    served = ServiceCreate(method=ServiceMethod.IN_PERSON)
    service.record_service(db, actor=world.office, procedure_id=p.id, data=served, at=at(9, 29))
    p = service.publish_entry(db, actor=world.office, procedure_id=p.id, at=at(9, 30))
    assert p.entry is not None
    assert p.entry.period_end_on == date(2027, 9, 29)  # 12 months from the decision


def test_who_may_act(db: Session, world: ListWorld) -> None:
    with pytest.raises(PermissionDenied):
        service.propose(db, actor=world.subject, data=proposal(world.company_code), at=at(9, 28))
    p = service.propose(db, actor=world.organ, data=proposal(world.company_code), at=at(9, 28))
    with pytest.raises(PermissionDenied):
        service.send_prior_notice(db, actor=world.organ, procedure_id=p.id, at=at(9, 29))
    # The proposing organ follows its own proposal; the subject sees its own procedures.
    assert service.get_procedure(db, actor=world.organ, procedure_id=p.id, at=at(9, 29)).id == p.id
    mine = service.procedures_for_subject(db, actor=world.subject, at=at(9, 29))
    assert [x.id for x in mine.items] == [p.id]
    person = service.propose(db, actor=world.organ, data=proposal(world.person_code), at=at(9, 28))
    with pytest.raises(NotFound):
        service.get_procedure(db, actor=world.subject, procedure_id=person.id, at=at(9, 29))


def test_an_upheld_objection_drops_the_procedure(db: Session, world: ListWorld) -> None:
    p = service.propose(db, actor=world.organ, data=proposal(world.company_code), at=at(9, 28))
    service.send_prior_notice(db, actor=world.office, procedure_id=p.id, at=at(9, 29))
    service.file_procedure_objection(
        db, actor=world.subject, procedure_id=p.id, text="非本单位责任", at=at(9, 30)
    )
    p = service.answer_objection(
        db, actor=world.office, procedure_id=p.id, outcome="upheld", answer="异议成立",
        at=at(10, 8),
    )  # fmt: skip
    assert p.state == "dropped"
    assert p.due_on is None
    with pytest.raises(IllegalTransition):
        service.decide(db, actor=world.office, procedure_id=p.id, data=decision(), at=at(10, 20))


def test_procedures_sorted_by_next_deadline(db: Session, world: ListWorld) -> None:
    late = service.propose(db, actor=world.organ, data=proposal(world.company_code), at=at(9, 30))
    early = service.propose(db, actor=world.organ, data=proposal(world.person_code), at=at(9, 28))
    listed = service.list_procedures(db, actor=world.office, at=at(10, 12))
    ids = [x.id for x in listed.items]
    assert ids.index(early.id) < ids.index(late.id)
    first = next(x for x in listed.items if x.id == early.id)
    assert first.overdue
    assert first.working_days_left is not None
    assert first.working_days_left < 0


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR])
def test_administrators_never_read_the_offices_procedures(
    db: Session, world: ListWorld, role: Role
) -> None:
    """Separation of duties (PLT-1, issue 12 item 7): an administrator of the office's own
    organisation does not read the procedures the office proposed; the office does."""
    now = at(9, 28, 9)
    p = service.propose(db, actor=world.office, data=proposal(world.company_code), at=now)
    admin = actor_of(
        make_user(db, at=now, role=role, username=f"adm_{role.value}",
                  org_code=world.office.org_code)
    )  # fmt: skip
    assert admin.org_id == p_org(db, p.id)
    with pytest.raises(PermissionDenied):
        service.get_procedure(db, actor=admin, procedure_id=p.id, at=now)
    with pytest.raises(PermissionDenied):
        service.list_procedures(db, actor=admin, at=now)
    assert service.get_procedure(db, actor=world.office, procedure_id=p.id, at=now).id == p.id


def p_org(db: Session, procedure_id: int) -> int | None:
    row = db.get(ListProcedure, procedure_id)
    return None if row is None else row.proposing_org_id
