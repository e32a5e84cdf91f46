"""The passes over the change feed that serve the consequences of deliveries, in one list the
worker runs (and a delivery runs at once, so that they reach people without waiting for it):

- ``repair_notices``: a repairable negative record brings its credit-repair notice to its
  subject's inbox (两书同达; Art. 36, NDRC Order 36 — ``repair.notices``);
- ``watches``: a change of a watched subject reaches its watchers' inboxes and webhooks (关注;
  ``watches.service``).

Each pass reads the feed through its own named consumer (``feed.consumers``), so each serves
every change once whatever the order or timing of the runs. Flushes, never commits: the caller
commits once after all passes (the worker per run, a delivery with its request).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from xinyong.repair.notices import issue_due_repair_notices
from xinyong.watches.service import notify_watchers


def _repair_notices(session: Session, at: datetime) -> int:
    return issue_due_repair_notices(session, at=at)


def _watches(session: Session, at: datetime) -> int:
    return notify_watchers(session, at=at)


#: (name, pass) in the order they run; each returns how many documents it issued.
PASSES: tuple[tuple[str, Callable[[Session, datetime], int]], ...] = (
    ("repair_notices", _repair_notices),
    ("watches", _watches),
)


def run_feed_passes(session: Session, *, at: datetime) -> dict[str, int]:
    """Run every pass once; what each issued, by name. The caller commits."""
    return {name: run(session, at) for name, run in PASSES}
