"""The violation register (Art. 44, 45; GOV-1): written in the caller's transaction, audited,
read by the credit office only."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories.accounts import actor_of, make_user
from xinyong.audit.models import AuditEntry
from xinyong.core.actor import ANONYMOUS, Role
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput, NotAuthenticated, PermissionDenied
from xinyong.violations import service
from xinyong.violations.models import Violation, ViolationKind


def test_register_then_list_by_kind_newest_first(db: Session, clock: Clock) -> None:
    office = actor_of(make_user(db, at=clock.now(), role=Role.CREDIT_OFFICE, username="office9"))
    provider = actor_of(make_user(db, at=clock.now(), role=Role.PROVIDER, username="late_unit"))
    service.register_violation(
        db, kind=ViolationKind.LATE_OBJECTION, at=clock.now(), actor=provider,
        object_type="objection", object_id=17, detail={"due": "2026-09-29"},
    )  # fmt: skip
    service.register_violation(
        db, kind="attempted_deletion", at=clock.now(), actor=provider, object_type="record",
        object_id=5,
    )  # fmt: skip
    db.commit()
    all_ = service.list_violations(db, actor=office)
    assert [v.kind for v in all_.items] == ["attempted_deletion", "late_objection"]
    assert all_.items[1].detail == {"due": "2026-09-29"}
    assert all_.items[1].user_name == "late_unit"
    assert all_.items[1].object_id == "17"
    late = service.list_violations(db, actor=office, kind="late_objection")
    assert late.total == 1
    tags = db.scalars(select(AuditEntry.tag).where(AuditEntry.object_type == "violation")).all()
    assert tags == ["violations:violation:register"] * 2


def test_register_does_not_commit(db: Session, clock: Clock) -> None:
    provider = actor_of(make_user(db, at=clock.now(), role=Role.PROVIDER, username="late_unit2"))
    service.register_violation(db, kind="late_repair", at=clock.now(), actor=provider)
    db.rollback()
    assert db.scalars(select(Violation)).all() == []


def test_only_the_credit_office_reads_it_and_bad_input_is_refused(
    db: Session, clock: Clock
) -> None:
    office = actor_of(make_user(db, at=clock.now(), role=Role.CREDIT_OFFICE, username="office8"))
    auditor = actor_of(make_user(db, at=clock.now(), role=Role.AUDITOR, username="auditor8"))
    with pytest.raises(PermissionDenied):
        service.list_violations(db, actor=auditor)
    with pytest.raises(NotAuthenticated):
        service.list_violations(db, actor=ANONYMOUS)
    with pytest.raises(InvalidInput):
        service.list_violations(db, actor=office, kind="jaywalking")
    with pytest.raises(InvalidInput):
        service.list_violations(db, actor=office, page=0)
