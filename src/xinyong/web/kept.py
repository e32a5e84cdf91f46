"""Rendered pages kept in a process's memory, bounded by their size in bytes.

A public subject page is rendered from its stored document once per document and language
(``pages.render_shared``); rendering costs about three times what serving the kept bytes
does. The bound is on bytes, not on a count: a page's size varies with its subject's records
(a few kilobytes to tens), and a count sized for small pages would let large ones take
memory without limit, while one sized for large pages keeps too few of the usual ones.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

#: The default budget of one process (a public page is about 15 KB: some 4,000 pages).
DEFAULT_BUDGET = 64 * 1024 * 1024


class KeptPages:
    """Page bodies by key; once their sizes together pass ``budget`` bytes, the least recently
    used are dropped first. A body larger than the whole budget is not kept. Safe to use from
    the event loop and worker threads at once."""

    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        if budget < 0:
            raise ValueError("the budget of kept pages is a number of bytes, not negative")
        self.budget = budget
        self.size = 0
        self._pages: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._pages)

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            body = self._pages.get(key)
            if body is not None:
                self._pages.move_to_end(key)
            return body

    def put(self, key: Hashable, body: bytes) -> None:
        if len(body) > self.budget:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self.size -= len(old)
            self._pages[key] = body
            self.size += len(body)
            while self.size > self.budget:
                _, dropped = self._pages.popitem(last=False)
                self.size -= len(dropped)


def kept_on(state: Any, name: str, budget: int = DEFAULT_BUDGET) -> KeptPages:
    """The process's :class:`KeptPages` held on an app's ``state`` under ``name``, made with
    ``budget`` on first use."""
    kept: KeptPages | None = getattr(state, name, None)
    if kept is None:
        kept = KeptPages(budget)
        setattr(state, name, kept)
    return kept
