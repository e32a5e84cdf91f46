"""When a periodic job is due next, and how a failing one backs off."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from xinyong.core.clock import PLATFORM_ZONE
from xinyong.ops.partitions import Month
from xinyong.ops.schedule import Schedule, next_local
from xinyong.ops.scheduler import retry_delay

AT = datetime(2026, 9, 30, 23, 59, 50, tzinfo=PLATFORM_ZONE)


def test_daily_jobs_fall_due_just_after_local_midnight() -> None:
    due = next_local(AT, time(0, 0, 5))
    assert due == datetime(2026, 10, 1, 0, 0, 5, tzinfo=PLATFORM_ZONE)
    # Past the time today: tomorrow.
    assert next_local(due, time(0, 0, 5)) == datetime(2026, 10, 2, 0, 0, 5, tzinfo=PLATFORM_ZONE)


def test_midnight_is_the_platform_zones_midnight_whatever_zone_the_instant_carries() -> None:
    utc = AT.astimezone(UTC)
    assert next_local(utc, time(0, 0, 5)).astimezone(PLATFORM_ZONE).hour == 0


def test_an_interval_and_a_time_of_day_take_the_earlier() -> None:
    s = Schedule(every=timedelta(minutes=1), daily_at=time(0, 0, 5))
    assert s.next_after(AT) == datetime(2026, 10, 1, 0, 0, 5, tzinfo=PLATFORM_ZONE)
    early = AT.replace(hour=10)
    assert s.next_after(early) == early + timedelta(minutes=1)


def test_a_failing_job_is_retried_sooner_then_less_often_up_to_an_hour() -> None:
    delays = [retry_delay(n) for n in range(1, 12)]
    assert delays[0] == timedelta(seconds=30)
    assert delays == sorted(delays)
    assert delays[-1] == timedelta(hours=1)


def test_months_of_partitions_follow_local_months() -> None:
    # 2026-10-01 00:30+08 is October in Guizhou although UTC is still in September.
    assert Month.of(datetime(2026, 10, 1, 0, 30, tzinfo=PLATFORM_ZONE)) == Month(2026, 10)
    assert Month(2026, 12).next() == Month(2027, 1)
    assert Month(2026, 10).start() == "2026-10-01 00:00:00+08:00"
