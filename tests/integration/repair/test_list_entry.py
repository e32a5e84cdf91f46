"""LST-4: a serious-dishonesty list entry ends early when its record is repaired (Art. 36)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

import xinyong.feed.models
import xinyong.lists.models  # noqa: F401
from tests.factories.lists import decision as list_decision
from tests.factories.lists import make_list_world, proposal
from xinyong.calendar import service as calendar
from xinyong.core.clock import PLATFORM_ZONE, Clock
from xinyong.lists import service as lists
from xinyong.lists.models import ServiceMethod
from xinyong.lists.schemas import ServiceCreate
from xinyong.repair import service


def at(month: int, day: int, hour: int = 10, year: int = 2026) -> datetime:
    return Clock(datetime(year, month, day, hour, 0, tzinfo=PLATFORM_ZONE)).now()


def test_repairing_the_list_record_ends_the_entry(db: Session) -> None:
    w = make_list_world(db, at=at(9, 28, 8), seq=761)
    p = lists.propose(db, actor=w.organ, data=proposal(w.company_code), at=at(9, 28, 9))
    lists.send_prior_notice(db, actor=w.office, procedure_id=p.id, at=at(9, 29))
    lists.record_statement(
        db, actor=w.subject, procedure_id=p.id, kind="waiver", text="放弃陈述申辩", at=at(9, 30)
    )
    lists.decide(db, actor=w.office, procedure_id=p.id, data=list_decision(), at=at(9, 30, 11))
    served = ServiceCreate(method=ServiceMethod.PLATFORM)
    lists.record_service(db, actor=w.office, procedure_id=p.id, data=served, at=at(9, 30, 12))
    lists.publish_entry(db, actor=w.office, procedure_id=p.id, at=at(9, 30, 14))
    [entry] = lists.active_entries(db, subject_id=w.company_id, at=at(10, 8))
    assert entry.record_id is not None

    # Serious: the 1-year minimum runs from the decision; apply after it, in 2027 (a year
    # the statutory calendar does not cover yet: the credit office configures it).
    applied = at(11, 2, year=2027)
    calendar.configure_year(db, actor=w.office, year=2027, note="测试用", at=applied)
    repair = service.apply_for_repair(
        db, actor=w.subject, record_id=entry.record_id, statement="已整改并消除影响",
        evidence=["整改验收报告"], commitment=None, obligations_fulfilled=True, at=applied,
    )  # fmt: skip
    assert repair.severity == "serious"
    service.decide_repair(
        db, actor=w.office, repair_id=repair.id, outcome="repaired", reason="已完成整改",
        at=applied,
    )  # fmt: skip
    assert lists.active_entries(db, subject_id=w.company_id, at=applied) == []
    procedure = lists.get_procedure(db, actor=w.office, procedure_id=p.id, at=applied)
    assert procedure.entry is not None
    assert (procedure.entry.status, procedure.entry.ended_on) == ("removed", date(2027, 11, 2))
