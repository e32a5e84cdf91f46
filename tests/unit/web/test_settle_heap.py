"""``settle_heap``: what a server process does once its app is built."""

from __future__ import annotations

import gc

from xinyong.web.app import settle_heap


def test_the_heap_alive_at_start_is_moved_out_of_the_collectors_reach() -> None:
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        settle_heap()
        # The modules, mappers and app objects alive now are no longer walked by a collection.
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
