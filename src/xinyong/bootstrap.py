"""The composition root: which context reacts to which event.

Lower contexts publish facts (``xinyong.core.events``); this table, wired once when the web
app, the CLI, a benchmark or the test session starts, says who handles them. It is the only
module that knows both sides, so no context imports one above it.
"""

from __future__ import annotations

from xinyong.core import events
from xinyong.disclosure.handlers import store_windows
from xinyong.feed.handlers import append_changes
from xinyong.records.events import RecordsChanged

#: In order: the window is stored before the change is announced, as before the split.
HANDLERS: dict[type[object], list[events.Handler]] = {
    RecordsChanged: [store_windows, append_changes],
}


def wire() -> None:
    """Install the handler table (idempotent)."""
    events.wire(HANDLERS)
