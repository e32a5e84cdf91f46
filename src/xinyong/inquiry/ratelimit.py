"""Per-account and per-address rate limits of inquiries, and the per-address limit of the public
channel (Art. 18; INQ-3).

Token buckets in process memory: each account may burst up to ``per_minute`` inquiries and
then gets one more every ``60 / per_minute`` seconds; each client address gets
``address_factor`` times that (the staff of one organ share an office's address). Memory is
enough here: the buckets only smooth bursts, per process. What must hold across processes and
restarts — blocking an account that enumerates subjects — rests on the inquiry log and the
violation register in the database (``service``), not on these buckets.

The public channel (``/api/v1/public/*``, the public pages, report verification, the tools,
catalogue and purposes) has its own per-address buckets (:class:`PublicLimiter`,
``XINYONG_PUBLIC_RATE_PER_MINUTE``): the same token buckets, kept per process. That is a choice:
a shared store would cost a database write on every public read, the hottest path there is, and
the publicity site serves only what is public anyway. With N worker processes an address may
reach up to N times the rate; the bucket store is one class, so a shared one (e.g. a Redis or
PostgreSQL counter) can replace it when the deployment spreads over processes.

The buckets read a monotonic timer, not the platform clock: a training environment's frozen
clock must not freeze the refill, and a limiter is an operational control, not a rule whose
instant matters to the law.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from xinyong.core.errors import RateLimited
from xinyong.core.shipped import shipped_json
from xinyong.inquiry.rules import RATE_LIMITED, HarvestingPolicy

DATA_PACKAGE = "xinyong.inquiry.data"
POLICY_FILE = "harvesting.json"
#: Buckets not touched for this long are full again and can be forgotten.
_IDLE_SECONDS = 600.0


@cache
def harvesting_policy() -> HarvestingPolicy:
    """The shipped harvesting thresholds (``data/harvesting.json``)."""
    data = shipped_json(DATA_PACKAGE, POLICY_FILE)
    return HarvestingPolicy(
        distinct_subjects=int(data["distinct_subjects"]),
        window_minutes=int(data["window_minutes"]),
        cooldown_minutes=int(data["cooldown_minutes"]),
        address_factor=int(data.get("address_factor", 4)),
        daily_cap=int(data.get("daily_cap", 1000)),
    )


@dataclass(slots=True)
class _Bucket:
    tokens: float
    stamp: float


class TokenBuckets:
    """Token buckets by key, each of ``capacity`` tokens refilled at ``per_second``."""

    def __init__(self, capacity: int, per_second: float, timer: Callable[[], float]) -> None:
        self.capacity = max(1, capacity)
        self.per_second = per_second
        self._timer = timer
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Take one token; returns 0.0, or the seconds to wait when the bucket is empty."""
        with self._lock:
            now = self._timer()
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = _Bucket(float(self.capacity), now)
            elapsed = max(0.0, now - bucket.stamp)
            bucket.tokens = min(self.capacity, bucket.tokens + elapsed * self.per_second)
            bucket.stamp = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                self._forget_idle(now)
                return 0.0
            return (1.0 - bucket.tokens) / self.per_second

    def _forget_idle(self, now: float) -> None:
        if len(self._buckets) < 10_000:
            return
        for key in [k for k, b in self._buckets.items() if now - b.stamp > _IDLE_SECONDS]:
            del self._buckets[key]


class InquiryGuard:
    """The rate limits of one process, and the harvesting thresholds the service applies."""

    def __init__(
        self,
        *,
        per_minute: int,
        policy: HarvestingPolicy | None = None,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self.policy = policy or harvesting_policy()
        self.per_minute = max(1, per_minute)
        rate = self.per_minute / 60.0
        self._accounts = TokenBuckets(self.per_minute, rate, timer)
        factor = max(1, self.policy.address_factor)
        self._addresses = TokenBuckets(self.per_minute * factor, rate * factor, timer)

    def take(self, *, account: int | None, address: str | None) -> None:
        """Count one inquiry; raise :class:`RateLimited` (429, ``Retry-After``) when the
        account's or the address's bucket is empty. Both buckets are charged."""
        wait = 0.0
        if account is not None:
            wait = max(wait, self._accounts.take(f"account:{account}"))
        if address:
            wait = max(wait, self._addresses.take(f"address:{address}"))
        _refuse_if_waiting(wait, "查询过于频繁", "too many inquiries")


class PublicLimiter:
    """Requests per client address on the public channel (Art. 18: no harvesting of the
    publicity site either): ``per_minute`` as a burst, refilled at ``per_minute`` a minute."""

    def __init__(self, *, per_minute: int, timer: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = max(1, per_minute)
        self._buckets = TokenBuckets(self.per_minute, self.per_minute / 60.0, timer)

    def take(self, address: str | None) -> None:
        """Count one request; raise :class:`RateLimited` (429, ``Retry-After``) over the limit."""
        wait = self._buckets.take(f"address:{address or '-'}")
        _refuse_if_waiting(wait, "访问过于频繁", "too many requests from your address")


def _refuse_if_waiting(wait: float, zh: str, en: str) -> None:
    """429 with ``Retry-After`` (whole seconds, at least 1) when a bucket asks to ``wait``."""
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise RateLimited(
            f"{zh}，请 {seconds} 秒后再试 / {en}: try again in {seconds} s",
            retry_after=seconds,
            code=RATE_LIMITED,
        )
