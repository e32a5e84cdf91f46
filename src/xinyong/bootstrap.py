"""The composition root: which context reacts to which event.

Lower contexts publish facts (``xinyong.core.events``); this table, wired once when the web
app, the CLI, a benchmark or the test session starts, says who handles them. It is the only
module that knows both sides, so no context imports one above it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from xinyong.core import events
from xinyong.disclosure.handlers import store_windows
from xinyong.feed.handlers import append_changes
from xinyong.ops.extensions import register_feed_passes, register_publisher
from xinyong.publication.job import publish_job
from xinyong.records.events import RecordsChanged
from xinyong.repair.notices import issue_due_repair_notices
from xinyong.watches.service import notify_watchers

#: In order: the window is stored before the change is announced, as before the split.
HANDLERS: dict[type[object], list[events.Handler]] = {
    RecordsChanged: [store_windows, append_changes],
}


def wire() -> None:
    """Install the handler table and the publication job (idempotent)."""
    events.wire(HANDLERS)
    register_publisher(publish_job)
    register_feed_passes(lambda session, at: run_feed_passes(session, at=at))


#: The passes over the change feed that serve the consequences of deliveries, in the order
#: they run: a repairable negative record brings its credit-repair notice to its subject's
#: inbox (两书同达; Art. 36 — ``repair.notices``), and a change of a watched subject reaches its
#: watchers' inboxes and webhooks (关注 — ``watches.service``). Each reads the feed through its
#: own named consumer, so each serves every change once whatever the order or timing of the
#: runs. The worker's ``notices`` job runs them, and a delivery runs them at once.
FEED_PASSES: tuple[tuple[str, Callable[[Session, datetime], int]], ...] = (
    ("repair_notices", lambda session, at: issue_due_repair_notices(session, at=at)),
    ("watches", lambda session, at: notify_watchers(session, at=at)),
)


def run_feed_passes(session: Session, *, at: datetime) -> dict[str, int]:
    """Run every feed pass once (flushes; the caller's unit of work commits); what each
    issued, by name."""
    return {name: run(session, at) for name, run in FEED_PASSES}
