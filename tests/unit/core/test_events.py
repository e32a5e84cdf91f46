"""The event table: handlers run in wiring order; publishing before wiring fails at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import pytest

from xinyong import bootstrap
from xinyong.core import events
from xinyong.records.events import RecordsChanged


@dataclass(frozen=True)
class Happened:
    what: str


class Unwired:
    pass


def test_handlers_run_in_the_order_wired_and_the_table_is_restored() -> None:
    seen: list[str] = []
    session = cast(Any, object())
    try:
        events.wire(
            {
                Happened: [
                    lambda s, e: seen.append(f"first {e.what}"),
                    lambda s, e: seen.append(f"then {e.what}"),
                ]
            }
        )
        events.publish(session, Happened("x"))
        assert seen == ["first x", "then x"]
        with pytest.raises(events.NotWired, match="Unwired"):
            events.publish(session, Unwired())
    finally:
        bootstrap.wire()


def test_the_composition_root_stores_windows_before_announcing() -> None:
    names = [h.__qualname__ for h in events.handlers_for(RecordsChanged)]
    assert names == ["store_windows", "append_changes"]
