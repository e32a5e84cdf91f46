"""The screening of an inquiry reads its facts in one statement (``inquiry.screening``): each
fact equals what the separate reads of the same rules say, and refused inquiries, logged looks
and other accounts' inquiries do not count (Art. 18, 19; INQ-3) — both databases."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from tests.factories.inquiry import seed
from xinyong.core.actor import Actor
from xinyong.core.clock import Clock
from xinyong.core.errors import NotFound, RateLimited
from xinyong.feed import service as feed
from xinyong.inquiry import purposes, screening
from xinyong.inquiry import service as inquiry
from xinyong.inquiry.models import PurposeStatus
from xinyong.inquiry.ratelimit import harvesting_policy
from xinyong.violations import service as violations
from xinyong.violations.models import ViolationKind

POLICY = harvesting_policy()


def _facts(
    db: Session, actor: Actor, code: str, at: datetime, purpose: str = "licensing"
) -> screening.Facts:
    assert actor.user_id is not None
    return screening.facts(
        db, user_id=actor.user_id, code=code, purpose=purpose, at=at,
        cooldown_since=at - POLICY.cooldown, window_since=at - POLICY.window,
        day_start=purposes.day_start(at),
    )  # fmt: skip


def _ask(db: Session, actor: Actor, code: str, at: datetime, purpose: str = "licensing") -> None:
    inquiry.inquire(db, actor=actor, subject_code=code, purpose=purpose, at=at)


def test_a_fresh_account_has_no_alert_no_cap_and_nothing_asked(db: Session, clock: Clock) -> None:
    w = seed(db, clock.now())
    facts = _facts(db, w.inquirer, w.code, clock.now())
    assert facts.alert_at is None
    assert (facts.account_cap, facts.default_cap) == (None, None)
    assert (facts.answered_today, facts.recent_distinct, facts.asked_before) == (0, 0, False)
    assert facts.purpose_status is None
    assert facts.subject is not None
    assert facts.subject.code == w.code


def test_the_facts_equal_the_separate_reads(db: Session, clock: Clock) -> None:
    w = seed(db, clock.now())
    now = clock.now()
    assert w.inquirer.user_id is not None
    purposes.set_cap(db, actor=w.office, per_day=50, at=now, default=1000)
    purposes.set_cap(db, actor=w.office, per_day=7, at=now, user_id=w.inquirer.user_id,
                     default=1000)  # fmt: skip
    _ask(db, w.inquirer, w.code, now - timedelta(minutes=3))
    _ask(db, w.inquirer, w.code, now - timedelta(minutes=2))
    with pytest.raises(NotFound):  # refused: asked about, not answered
        _ask(db, w.inquirer, "91520100MA6XXXXXX0", now - timedelta(minutes=1))
    _ask(db, w.narrow, w.code, now - timedelta(minutes=1))  # another account
    facts = _facts(db, w.inquirer, w.code, now)
    assert (facts.account_cap, facts.default_cap) == (7, 50)
    assert purposes.binding_cap(facts.account_cap, facts.default_cap, 1000) == purposes.cap_of(
        db, user_id=w.inquirer.user_id, default=1000
    )
    assert facts.answered_today == purposes.answered_today(
        db, user_id=w.inquirer.user_id, at=now
    ) == 2  # fmt: skip
    assert (facts.recent_distinct, facts.asked_before) == (2, True)
    other = _facts(db, w.inquirer, "91520100MA6YYYYYY0", now)
    assert (other.recent_distinct, other.asked_before, other.subject) == (2, False, None)
    # What is asked within the window counts; what was asked before it does not.
    later = _facts(db, w.inquirer, w.code, now + POLICY.window - timedelta(seconds=90))
    assert (later.recent_distinct, later.asked_before) == (1, False)


def test_feed_looks_and_records_read_do_not_count(db: Session, clock: Clock) -> None:
    """Harvesting detection and the cap count inquiries, not the rows a feed page writes."""
    w = seed(db, clock.now())
    feed.list_changes(db, actor=w.office, after=None, at=clock.now(), limit=500)
    facts = _facts(db, w.office, w.code, clock.now() + timedelta(seconds=1))
    assert (facts.answered_today, facts.recent_distinct, facts.asked_before) == (0, 0, False)


def test_the_latest_harvesting_alert_within_the_cooldown_is_read(db: Session, clock: Clock) -> None:
    w = seed(db, clock.now())
    now = clock.now()
    for minutes in (200, 30, 20):
        violations.register_violation(
            db, kind=ViolationKind.HARVESTING, at=now - timedelta(minutes=minutes),
            actor=w.inquirer, object_type="account", object_id=w.inquirer.user_id, detail={},
        )  # fmt: skip
    facts = _facts(db, w.inquirer, w.code, now)
    assert facts.alert_at == now - timedelta(minutes=20)
    assert _facts(db, w.narrow, w.code, now).alert_at is None  # another account's alert
    past = _facts(db, w.inquirer, w.code, now + POLICY.cooldown)
    assert past.alert_at is None


def test_a_retired_purpose_reads_its_status(db: Session, clock: Clock) -> None:
    w = seed(db, clock.now())
    purposes.retire_purpose(db, actor=w.office, code="licensing", at=clock.now(), reason="x")
    facts = _facts(db, w.inquirer, w.code, clock.now())
    assert facts.purpose_status == PurposeStatus.RETIRED
    assert not purposes.in_force("licensing", facts.purpose_status)
    assert purposes.in_force("inspection", _facts(db, w.inquirer, w.code, clock.now(),
                                                  "inspection").purpose_status)  # fmt: skip
    assert not purposes.in_force("no_such_purpose", None)


def test_refused_inquiries_do_not_use_up_the_daily_cap(db: Session, clock: Clock) -> None:
    w = seed(db, clock.now())
    now = clock.now()
    purposes.set_cap(db, actor=w.office, per_day=2, at=now, default=1000)
    for i in range(3):
        with pytest.raises(NotFound):
            _ask(db, w.inquirer, f"91520100MA6ZZZZZ{i}0", now + timedelta(seconds=i))
    _ask(db, w.inquirer, w.code, now + timedelta(minutes=1))
    _ask(db, w.inquirer, w.code, now + timedelta(minutes=2))
    with pytest.raises(RateLimited):
        _ask(db, w.inquirer, w.code, now + timedelta(minutes=3))
