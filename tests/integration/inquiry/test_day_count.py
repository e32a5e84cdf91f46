"""The daily cap's counter (Art. 18; ``inquiry_day_count``): it counts exactly the answered
inquiries of the log on the capped channels, by the platform day, and the migration that
brought it in fills it from the log — both databases."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from tests.factories.inquiry import seed
from xinyong.core.clock import PLATFORM_ZONE, Clock, local_date
from xinyong.core.errors import NotFound, RateLimited
from xinyong.db.migrate import upgrade
from xinyong.db.session import make_engine
from xinyong.inquiry import purposes
from xinyong.inquiry import service as inquiry
from xinyong.inquiry.models import Inquiry, InquiryDayCount, Outcome


def _log_count(db: Session, user_id: int, day_start: datetime) -> int:
    """The day's answered inquiries on the capped channels, counted from the log itself."""
    return int(
        db.scalar(
            select(func.count())
            .select_from(Inquiry)
            .where(
                Inquiry.user_id == user_id,
                Inquiry.at >= day_start,
                Inquiry.at < day_start + timedelta(days=1),
                Inquiry.outcome == Outcome.ANSWERED,
                Inquiry.channel.in_(purposes.CAPPED_CHANNELS),
            )
        )
        or 0
    )


def test_the_counter_equals_the_days_answered_log_rows(db: Session, clock: Clock) -> None:
    w = seed(db, clock.now())
    now = clock.now()
    assert w.inquirer.user_id is not None
    assert w.office.user_id is not None
    for minutes in range(4):
        inquiry.inquire(
            db, actor=w.inquirer, subject_code=w.code, purpose="licensing",
            at=now + timedelta(minutes=minutes),
        )  # fmt: skip
    with pytest.raises(NotFound):  # refused: logged, not counted
        inquiry.inquire(
            db, actor=w.inquirer, subject_code="91520100MA6ZZZZZZ0", purpose="licensing",
            at=now + timedelta(minutes=5),
        )  # fmt: skip
    # A service-window query is the subject's own and is not capped.
    inquiry.window_inquiry(
        db, actor=w.office, subject_code=w.code, identity_check="身份证原件", at=now
    )
    start = purposes.day_start(now)
    assert purposes.answered_today(db, user_id=w.inquirer.user_id, at=now) == 4
    assert _log_count(db, w.inquirer.user_id, start) == 4
    assert purposes.answered_today(db, user_id=w.office.user_id, at=now) == 0
    assert purposes.answered_today(db, user_id=w.inquirer.user_id, at=now + timedelta(days=1)) == 0


def test_the_cap_starts_anew_at_platform_midnight_not_utc_midnight(db: Session) -> None:
    # 23:59 and 00:01 in Guiyang are both on the same UTC day (15:59 and 16:01 UTC).
    late = datetime(2026, 10, 13, 23, 59, tzinfo=PLATFORM_ZONE)
    w = seed(db, late - timedelta(hours=1))
    purposes.set_cap(db, actor=w.office, per_day=1, at=late - timedelta(hours=1), default=1000)

    def ask(at: datetime) -> None:
        inquiry.inquire(db, actor=w.inquirer, subject_code=w.code, purpose="licensing", at=at)

    ask(late)
    with pytest.raises(RateLimited):
        ask(late + timedelta(seconds=30))
    ask(late + timedelta(minutes=2))  # the next platform day: the cap starts anew
    with pytest.raises(RateLimited):
        ask(late + timedelta(minutes=3))
    assert w.inquirer.user_id is not None
    rows = db.execute(
        select(InquiryDayCount.day, InquiryDayCount.answered)
        .where(InquiryDayCount.user_id == w.inquirer.user_id)
        .order_by(InquiryDayCount.day)
    ).all()
    assert [(d, n) for d, n in rows] == [
        (local_date(late), 1),
        (local_date(late) + timedelta(days=1), 1),
    ]


def _row(at: datetime, user_id: int | None, channel: str, outcome: str) -> dict[str, object]:
    return {
        "at": at, "user_id": user_id, "user_name": "查询员", "subject_code": "91520000214434146R",
        "purpose": "licensing", "channel": channel, "outcome": outcome, "items": [],
        "record_ids": [],
    }  # fmt: skip


def test_the_migration_fills_the_counter_from_the_log(fresh_db_url: str) -> None:
    upgrade(fresh_db_url, "0017")
    day = datetime(2026, 10, 13, 9, 0, tzinfo=PLATFORM_ZONE)
    just_after_midnight = datetime(2026, 10, 14, 0, 30, tzinfo=PLATFORM_ZONE)  # UTC: the 13th
    rows = [
        _row(day, 7, "government", "answered"),
        _row(day + timedelta(hours=1), 7, "batch", "answered"),
        _row(day + timedelta(hours=2), 7, "authorized", "answered"),
        _row(day + timedelta(hours=3), 7, "government", "refused"),  # not counted
        _row(day + timedelta(hours=3), 7, "window", "answered"),  # not capped
        _row(day + timedelta(hours=3), 7, "feed", "answered"),  # a logged look
        _row(just_after_midnight, 7, "government", "answered"),
        _row(day, 8, "government", "answered"),
        _row(day, None, "government", "answered"),  # no account: nothing to cap
    ]
    engine = make_engine(fresh_db_url)
    try:
        with engine.begin() as conn:
            conn.execute(insert(Inquiry), rows)
        upgrade(fresh_db_url)
        with engine.connect() as conn:
            counted = conn.execute(
                select(
                    InquiryDayCount.user_id, InquiryDayCount.day, InquiryDayCount.answered
                ).order_by(InquiryDayCount.user_id, InquiryDayCount.day)
            ).all()
    finally:
        engine.dispose()
    d = local_date(day)
    assert [tuple(r) for r in counted] == [
        (7, d, 3),
        (7, d + timedelta(days=1), 1),
        (8, d, 1),
    ]
