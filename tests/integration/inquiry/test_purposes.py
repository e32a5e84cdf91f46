"""Published inquiry purposes with their lifecycle (Art. 19 ¶3) and inquirers' daily caps
(Art. 18) — both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories.accounts import actor_of, make_user
from tests.factories.inquiry import World, seed
from xinyong.audit.models import AuditEntry
from xinyong.core.actor import Role
from xinyong.core.clock import Clock
from xinyong.core.errors import Conflict, InvalidInput, PermissionDenied, RateLimited
from xinyong.inquiry import purposes
from xinyong.inquiry import service as inquiry
from xinyong.inquiry.models import Inquiry
from xinyong.inquiry.purpose_schemas import PurposeCreate

SHIPPED = {
    "licensing", "inspection", "public_resource_trading", "financial_support", "commendation",
    "public_service", "personnel",
}  # fmt: skip


def _codes(db: Session) -> set[str]:
    return {p.code for p in purposes.published_purposes(db).items}


def test_the_stable_codes_ship_published_with_their_legal_basis(db: Session) -> None:
    items = purposes.published_purposes(db).items
    assert {p.code for p in items} == SHIPPED
    assert all("条例" in p.legal_basis and p.name and p.name_en for p in items)
    assert not {"supervision", "delivery_management", "interconnection"} & _codes(db)


def test_a_retired_purpose_is_refused_like_an_unknown_one(db: Session, clock: Clock) -> None:
    world = seed(db, clock.now())
    purposes.retire_purpose(db, actor=world.office, code="licensing", at=clock.now(), reason="x")
    assert "licensing" not in _codes(db)
    with pytest.raises(PermissionDenied) as refused:
        inquiry.inquire(
            db, actor=world.inquirer, subject_code=world.code, purpose="licensing", at=clock.now()
        )
    assert refused.value.code == "purpose_not_authorised"
    row = db.scalars(select(Inquiry).order_by(Inquiry.id.desc())).first()
    assert row is not None
    assert row.refusal_code == "purpose_not_authorised"
    # Still in force: inspection.
    inquiry.inquire(
        db, actor=world.inquirer, subject_code=world.code, purpose="inspection", at=clock.now()
    )


def test_a_check_naming_a_retired_matter_is_refused(db: Session, clock: Clock) -> None:
    from xinyong.measures.checks import run_check

    world = seed(db, clock.now())
    purposes.retire_purpose(db, actor=world.office, code="inspection", at=clock.now())
    with pytest.raises(InvalidInput) as refused:
        run_check(
            db, actor=world.inquirer, subject_code=world.code, matter="inspection", at=clock.now()
        )
    assert refused.value.code == "unknown_matter"


def test_a_draft_is_not_in_force_until_published_with_its_basis(db: Session, clock: Clock) -> None:
    world = seed(db, clock.now())
    free = actor_of(make_user(db, at=clock.now(), role=Role.INQUIRER, username="q_free",
                              org_code="q-FGW"))  # fmt: skip
    data = PurposeCreate(code="housing_security", name_zh="住房保障", name_en="Housing security")
    draft = purposes.draft_purpose(db, actor=world.office, data=data, at=clock.now())
    assert draft.status == "draft"
    assert "housing_security" not in _codes(db)
    with pytest.raises(PermissionDenied):
        inquiry.inquire(
            db, actor=free, subject_code=world.code, purpose="housing_security", at=clock.now()
        )
    with pytest.raises(InvalidInput) as no_basis:
        purposes.publish_purpose(db, actor=world.office, code="housing_security", at=clock.now())
    assert no_basis.value.code == "legal_basis_missing"

    with_basis = PurposeCreate(
        code="rental_subsidy", name_zh="租赁补贴", name_en="Rental subsidy",
        legal_basis="《贵州省社会信用条例》第十九条第一款",
    )  # fmt: skip
    purposes.draft_purpose(db, actor=world.office, data=with_basis, at=clock.now())
    purposes.publish_purpose(db, actor=world.office, code="rental_subsidy", at=clock.now())
    assert "rental_subsidy" in _codes(db)
    answer = inquiry.inquire(
        db, actor=free, subject_code=world.code, purpose="rental_subsidy", at=clock.now()
    )
    assert answer.purpose == "rental_subsidy"
    tags = set(db.scalars(select(AuditEntry.tag).where(AuditEntry.tag.like("inquiry:purpose:%"))))
    assert tags == {"inquiry:purpose:draft", "inquiry:purpose:published"}


def test_lifecycle_refusals(db: Session, clock: Clock) -> None:
    world = seed(db, clock.now())
    with pytest.raises(InvalidInput) as reserved:
        purposes.draft_purpose(
            db, actor=world.office, at=clock.now(),
            data=PurposeCreate(code="supervision", name_zh="监管", name_en="Supervision"),
        )  # fmt: skip
    assert reserved.value.code == "purpose_reserved"
    with pytest.raises(Conflict):
        purposes.draft_purpose(
            db, actor=world.office, at=clock.now(),
            data=PurposeCreate(code="licensing", name_zh="许可", name_en="Licensing"),
        )  # fmt: skip
    with pytest.raises(Conflict):  # a published purpose is not published again
        purposes.publish_purpose(db, actor=world.office, code="licensing", at=clock.now())
    with pytest.raises(PermissionDenied):
        purposes.retire_purpose(db, actor=world.inquirer, code="licensing", at=clock.now())


def _ask(db: Session, world: World, clock: Clock, at_offset: timedelta = timedelta()) -> None:
    inquiry.inquire(
        db, actor=world.inquirer, subject_code=world.code, purpose="licensing",
        at=clock.now() + at_offset,
    )  # fmt: skip


def test_over_the_daily_cap_an_inquiry_is_refused_and_logged(db: Session, clock: Clock) -> None:
    world = seed(db, clock.now())
    purposes.set_cap(db, actor=world.office, per_day=2, at=clock.now(), default=1000)
    _ask(db, world, clock)
    _ask(db, world, clock, timedelta(minutes=1))
    with pytest.raises(RateLimited) as over:
        _ask(db, world, clock, timedelta(minutes=2))
    assert over.value.code == "daily_cap_reached"
    assert over.value.retry_after > 0
    row = db.scalars(select(Inquiry).order_by(Inquiry.id.desc())).first()
    assert row is not None
    assert (row.outcome.value, row.refusal_code) == (
        "refused",
        "daily_cap_reached",
    )
    # The next platform day the account may inquire again.
    _ask(db, world, clock, timedelta(days=1))


def test_an_accounts_own_cap_overrides_the_default(db: Session, clock: Clock) -> None:
    world = seed(db, clock.now())
    assert world.inquirer.user_id is not None
    purposes.set_cap(
        db, actor=world.office, per_day=1, at=clock.now(), user_id=world.inquirer.user_id,
        default=1000,
    )  # fmt: skip
    _ask(db, world, clock)
    with pytest.raises(RateLimited):
        _ask(db, world, clock, timedelta(minutes=1))
    # Another account of the same organ is under the default.
    inquiry.inquire(
        db, actor=world.narrow, subject_code=world.code, purpose="licensing", at=clock.now()
    )
    read = purposes.caps(db, actor=world.office, default=1000)
    assert read.default == 1000
    assert [(c.user_id, c.per_day) for c in read.accounts] == [(world.inquirer.user_id, 1)]
    with pytest.raises(PermissionDenied):
        purposes.set_cap(db, actor=world.inquirer, per_day=5, at=clock.now(), default=1000)


def test_an_accounts_authority_names_purposes_in_force(db: Session, clock: Clock) -> None:
    from xinyong.accounts import service as accounts

    world = seed(db, clock.now())
    basis = "《贵州省社会信用条例》第十九条"
    data = PurposeCreate(code="rental_subsidy", name_zh="租赁补贴", name_en="Rental subsidy",
                         legal_basis=basis)  # fmt: skip
    purposes.draft_purpose(db, actor=world.office, data=data, at=clock.now())
    purposes.publish_purpose(db, actor=world.office, code="rental_subsidy", at=clock.now())
    purposes.retire_purpose(db, actor=world.office, code="personnel", at=clock.now())

    def add(name: str, purpose: str) -> None:
        accounts.add_user(
            db, actor=accounts.OPERATOR, username=name, password="Qianlan-2026-guizhou!",
            org_code="q-FGW", role="inquirer", display_name=name, purposes=[purpose],
            at=clock.now(),
        )  # fmt: skip

    add("q_rental", "rental_subsidy")
    with pytest.raises(InvalidInput):
        add("q_personnel", "personnel")
