"""Domain events and the table of what handles them.

A context that changes something others depend on states the fact as an event and publishes it
in its own transaction; it does not import the contexts that react. Which handlers run for which
event is decided once, at the composition root (``xinyong.bootstrap``), when the web app, the
CLI or a test session starts — so a lower context never imports a higher one, not even at call
time.

Handlers run synchronously, in the order they were wired, inside the publisher's transaction:
they flush, never commit, so the change, its audit entry and every consequence are written
together or not at all (DESIGN §4).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Handler = Callable[["Session", Any], None]

_table: dict[type[Any], tuple[Handler, ...]] = {}


class NotWired(RuntimeError):
    """An event was published before the composition root wired its handlers.

    A programming error, not a user's: publishing into an empty table would silently skip
    consequences the law requires (windows, feed), so it fails at once instead.
    """


def wire(table: Mapping[type[Any], Sequence[Handler]]) -> None:
    """Replace the whole table (idempotent: wiring twice with the same table changes nothing)."""
    _table.clear()
    _table.update({kind: tuple(handlers) for kind, handlers in table.items()})


def handlers_for(kind: type[Any]) -> tuple[Handler, ...]:
    try:
        return _table[kind]
    except KeyError:
        raise NotWired(
            f"no handlers wired for {kind.__name__}: call xinyong.bootstrap.wire() at start"
        ) from None


def publish(session: Session, event: object) -> None:
    """Run every handler wired for the event's type, in order, in the caller's transaction."""
    for handler in handlers_for(type(event)):
        handler(session, event)
