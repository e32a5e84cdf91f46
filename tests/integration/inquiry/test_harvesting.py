"""Harvesting (Art. 18; INQ-3): rate limits answer 429 with Retry-After, and an account that
enumerates subjects is put on the violation register and blocked for the cool-down."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories.disclosure import uscc
from tests.factories.inquiry import World, seed
from xinyong.core.clock import Clock
from xinyong.core.errors import NotFound, PermissionDenied, RateLimited
from xinyong.inquiry import service
from xinyong.inquiry.models import Inquiry
from xinyong.inquiry.ratelimit import InquiryGuard
from xinyong.inquiry.rules import HarvestingPolicy
from xinyong.violations import service as violations

POLICY = HarvestingPolicy(distinct_subjects=3, window_minutes=10, cooldown_minutes=60)


class FakeTimer:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def world(db: Session, clock: Clock) -> World:
    return seed(db, clock.now())


def test_the_rate_limit_answers_429_with_retry_after_and_is_logged(
    db: Session, clock: Clock, world: World
) -> None:
    timer = FakeTimer()
    guard = InquiryGuard(per_minute=2, policy=POLICY, timer=timer)
    ask = dict(actor=world.inquirer, subject_code=world.code, purpose="licensing", guard=guard)
    service.inquire(db, at=clock.now(), **ask)  # type: ignore[arg-type]
    service.inquire(db, at=clock.now(), **ask)  # type: ignore[arg-type]
    with pytest.raises(RateLimited) as caught:
        service.inquire(db, at=clock.now(), **ask)  # type: ignore[arg-type]
    assert (caught.value.code, caught.value.retry_after) == ("rate_limited", 30)
    rows = db.scalars(select(Inquiry).order_by(Inquiry.id)).all()
    assert [r.refusal_code for r in rows] == [None, None, "rate_limited"]
    timer.now += 30
    service.inquire(db, at=clock.now(), **ask)  # type: ignore[arg-type]


def test_one_address_shares_a_larger_bucket(db: Session, clock: Clock, world: World) -> None:
    guard = InquiryGuard(per_minute=1, policy=POLICY, timer=FakeTimer())
    for actor in (world.inquirer, world.narrow):
        service.inquire(
            db, actor=actor, subject_code=world.code, purpose="licensing", at=clock.now(),
            guard=guard, address="10.0.0.7",
        )  # fmt: skip
    with pytest.raises(RateLimited):
        service.inquire(
            db, actor=world.inquirer, subject_code=world.code, purpose="licensing",
            at=clock.now(), guard=guard, address="10.0.0.7",
        )  # fmt: skip


def test_enumeration_is_registered_and_blocks_the_account_for_the_cooldown(
    db: Session, clock: Clock, world: World
) -> None:
    guard = InquiryGuard(per_minute=1000, policy=POLICY, timer=FakeTimer())
    t0 = clock.now()

    def ask(code: str, minutes: float = 0) -> None:
        service.inquire(
            db, actor=world.inquirer, subject_code=code, purpose="licensing",
            at=t0 + timedelta(minutes=minutes), guard=guard, address="10.0.0.8",
        )  # fmt: skip

    ask(world.code)
    for n in (1, 2):  # guessed codes count: guessing is what enumeration looks like
        with pytest.raises(NotFound):
            ask(uscc(7000 + n), minutes=n)
    ask(world.code, minutes=3)  # the same subject again is not a new one
    with pytest.raises(RateLimited) as alert:
        ask(uscc(7003), minutes=4)
    assert (alert.value.code, alert.value.retry_after) == ("harvesting_suspected", 3600)
    with pytest.raises(RateLimited) as blocked:
        ask(world.code, minutes=34)
    assert (blocked.value.code, blocked.value.retry_after) == ("harvesting_blocked", 1800)

    register = violations.list_violations(db, actor=world.office)
    [v] = register.items
    assert (v.kind, v.user_name, v.org_code) == ("harvesting", "q_fgw", "q-FGW")
    assert v.detail["distinct_subjects"] == 4
    assert v.detail["address"] == "10.0.0.8"
    with pytest.raises(PermissionDenied):
        violations.list_violations(db, actor=world.inquirer)

    ask(world.code, minutes=64)  # after the cool-down the account is answered again
    codes = [r.refusal_code for r in db.scalars(select(Inquiry).order_by(Inquiry.id))]
    assert codes == [
        None, "subject_not_found", "subject_not_found", None, "harvesting_suspected",
        "harvesting_blocked", None,
    ]  # fmt: skip


def test_other_accounts_are_not_blocked(db: Session, clock: Clock, world: World) -> None:
    guard = InquiryGuard(per_minute=1000, policy=POLICY, timer=FakeTimer())
    for n in range(4):
        with pytest.raises((NotFound, RateLimited)):
            service.inquire(db, actor=world.inquirer, subject_code=uscc(7100 + n),
                            purpose="licensing", at=clock.now(), guard=guard)  # fmt: skip
    answer = service.inquire(
        db, actor=world.narrow, subject_code=world.code, purpose="licensing", at=clock.now(),
        guard=guard,
    )  # fmt: skip
    assert answer.records


def test_a_clock_set_back_does_not_count_inquiries_logged_after_it(
    db: Session, clock: Clock, world: World
) -> None:
    """A training environment may be reset to an earlier day: what was logged "later" (and
    any alert raised then) does not decide what happens at the earlier instant."""
    guard = InquiryGuard(per_minute=1000, policy=POLICY, timer=FakeTimer())
    later = clock.now() + timedelta(days=2)
    for n in range(4):  # enumeration two days ahead: registered and blocked then
        with pytest.raises((NotFound, RateLimited)):
            service.inquire(db, actor=world.inquirer, subject_code=uscc(7200 + n),
                            purpose="licensing", at=later, guard=guard)  # fmt: skip
    answer = service.inquire(
        db, actor=world.inquirer, subject_code=world.code, purpose="licensing",
        at=clock.now(), guard=guard,
    )  # fmt: skip
    assert answer.records
