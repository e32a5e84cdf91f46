"""What the composition root plugs into the periodic work: ops may not import the
publication store, which is fed from above (issue 15), nor the composition root itself, so
``xinyong.bootstrap.wire`` registers here the ``publish`` job's body and the feed passes the
``notices`` job runs; the worker, the office's job page and ``/metrics`` find them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from xinyong.ops.scheduler import JobContext

_publisher: list[Callable[[JobContext], str]] = []


def register_publisher(fn: Callable[[JobContext], str]) -> None:
    """Make the ``publish`` job run ``fn`` (idempotent)."""
    _publisher[:] = [fn]


def publisher() -> Callable[[JobContext], str] | None:
    return _publisher[0] if _publisher else None


FeedPasses = Callable[[Session, datetime], dict[str, int]]
_feed_passes: list[FeedPasses] = []


def register_feed_passes(fn: FeedPasses) -> None:
    """Make the ``notices`` job run ``fn(session, at)`` (idempotent)."""
    _feed_passes[:] = [fn]


def run_feed_passes(session: Session, at: datetime) -> dict[str, int]:
    """The registered feed passes, or none (what each issued, by name)."""
    return _feed_passes[0](session, at) if _feed_passes else {}
