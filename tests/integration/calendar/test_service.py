"""RGT-6 with storage: the credit office's overrides and configured years change deadlines;
every change is audited; other roles cannot make them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.audit.models import AuditEntry
from xinyong.calendar import service
from xinyong.core.actor import ANONYMOUS, Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.errors import CalendarNotCovered, InvalidInput, NotAuthenticated, PermissionDenied

OFFICE = Actor(role=Role.CREDIT_OFFICE, user_id=1, username="office", display_name="省信用办")
PROVIDER = Actor(role=Role.PROVIDER, user_id=2, username="dept", display_name="市场监管局")


def _tags(db: Session) -> list[str]:
    return list(db.scalars(select(AuditEntry.tag).order_by(AuditEntry.seq)))


def test_deadline_follows_the_statutory_calendar(db: Session) -> None:
    assert service.deadline(db, start=date(2026, 9, 30), working_days=3) == date(2026, 10, 10)
    assert service.deadline(db, start=date(2026, 9, 30), working_days=5) == date(2026, 10, 13)


def test_override_moves_the_deadline_and_is_audited(db: Session, clock: Clock) -> None:
    row = service.set_override(
        db,
        actor=OFFICE,
        day=date(2026, 10, 8),
        is_workday=False,
        note="地方性假日",
        at=clock.now(),
    )
    assert row.set_by == "省信用办"
    assert service.deadline(db, start=date(2026, 9, 30), working_days=3) == date(2026, 10, 12)
    service.set_override(
        db, actor=OFFICE, day=date(2026, 10, 8), is_workday=True, note="撤销", at=clock.now()
    )
    assert [o.is_workday for o in service.list_overrides(db, year=2026)] == [True]
    entries = db.scalars(
        select(AuditEntry).where(AuditEntry.tag == "calendar:override:set").order_by(AuditEntry.seq)
    ).all()
    assert len(entries) == 2
    assert entries[1].before == {"is_workday": False, "note": "地方性假日"}
    assert entries[1].after == {"is_workday": True, "note": "撤销"}
    assert entries[1].object_id == "2026-10-08"


def test_clear_override_restores_the_statutory_day(db: Session, clock: Clock) -> None:
    day = date(2026, 10, 8)
    service.set_override(db, actor=OFFICE, day=day, is_workday=False, note="n", at=clock.now())
    service.clear_override(db, actor=OFFICE, day=day, reason="误设", at=clock.now())
    assert service.list_overrides(db) == []
    assert "calendar:override:clear" in _tags(db)


def test_unknown_year_is_refused_until_configured(db: Session, clock: Clock) -> None:
    start = date(2026, 12, 30)
    with pytest.raises(CalendarNotCovered, match="2027"):
        service.deadline(db, start=start, working_days=3)
    service.set_override(
        db, actor=OFFICE, day=date(2027, 1, 1), is_workday=False, note="元旦", at=clock.now()
    )
    service.configure_year(db, actor=OFFICE, year=2027, note="国办发明电〔2026〕", at=clock.now())
    # Thu 31 Dec works; Fri 1 Jan holiday; Mon 4, Tue 5.
    assert service.deadline(db, start=start, working_days=3) == date(2027, 1, 5)
    assert [y.year for y in service.list_configured_years(db)] == [2027]
    assert "calendar:year:configure" in _tags(db)


def test_a_covered_year_cannot_be_configured(db: Session, clock: Clock) -> None:
    with pytest.raises(InvalidInput, match="covered"):
        service.configure_year(db, actor=OFFICE, year=2026, note="x", at=clock.now())


def test_working_days_left(db: Session) -> None:
    today = date(2026, 9, 30)
    assert service.working_days_left(db, today=today, due=date(2026, 10, 13)) == 5
    assert service.working_days_left(db, today=date(2026, 10, 13), due=today) == -5


def test_only_the_credit_office_manages_the_calendar(db: Session, clock: Clock) -> None:
    with pytest.raises(PermissionDenied):
        service.set_override(
            db, actor=PROVIDER, day=date(2026, 10, 8), is_workday=False, note="x", at=clock.now()
        )
    with pytest.raises(NotAuthenticated):
        service.configure_year(db, actor=ANONYMOUS, year=2027, note="x", at=clock.now())
    with pytest.raises(InvalidInput, match="basis"):
        service.set_override(
            db, actor=OFFICE, day=date(2026, 10, 8), is_workday=False, note="  ", at=clock.now()
        )
    assert _tags(db) == []
