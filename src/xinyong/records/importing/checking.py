"""Checking a file's rows a chunk at a time, the next chunk in a helper process (DESIGN §5).

The checks of a row (``rows.validate_row``: every field, the party, the content hash) are pure
Python and cost about a third of a bulk delivery; the writes that follow are the database's.
On a machine with more than one core the next chunk is checked in a forked helper process
while this one writes the current chunk, so the two overlap.

The helper is given rows and gives back checked rows (pickled); it never touches the database,
the session or the file. Whatever goes wrong with it (it cannot start, it dies, a check fails
there, it gives no answer within :data:`HELPER_WAIT_S`) the chunk is checked here instead, so
the answer is the same either way: the helper only changes when a chunk is checked, never
what the check says. The helper ends with the process that forked it, even one killed.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Generator, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from functools import partial
from itertools import chain
from typing import Any

from xinyong.records.importing.header import Columns
from xinyong.records.rows import FieldValidator, ItemSpec, validate_row
from xinyong.records.rules import CleanRow, Problem

#: A chunk of a file: (line, cells) for each row.
Chunk = list[tuple[int, list[Any]]]
#: A checked chunk: the rows that passed, with their lines, and every problem of the others.
Checked = tuple[list[tuple[int, CleanRow]], list[Problem]]


@dataclass(frozen=True, slots=True)
class RowCheck:
    """The checks of one file's rows: its item, its columns, and the day and allow-list the
    checks hold for."""

    item: ItemSpec
    columns: Columns
    validator: FieldValidator
    today: date
    allow: frozenset[str]

    def __call__(self, chunk: Chunk) -> Checked:
        valid: list[tuple[int, CleanRow]] = []
        rejected: list[Problem] = []
        for line, cells in chunk:
            values, sid, sev = self.columns.split(cells)
            row = validate_row(
                self.item,
                values,
                source_id=sid,
                severity=sev,
                today=self.today,
                allow_list=self.allow,
                validator=self.validator,
            )
            if isinstance(row, list):
                rejected.extend(p.at_line(line) for p in row)
            else:
                valid.append((line, row))
        return valid, rejected


def helper_available() -> bool:
    """Whether a helper process is worth having: a second core, and ``fork`` to start it (the
    helper inherits the compiled checks instead of rebuilding them)."""
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


#: Longest wait for the helper's answer on a chunk (it takes a fraction of a second): past it
#: the helper is given up and the chunk checked here.
HELPER_WAIT_S = 120.0

#: This process checks the first 1/FIRST_SHARE of the first chunk, the helper the rest: the
#: helper must first be forked, so halves keep the two about even (measured on a 20 k-row
#: file: a quarter here left this process waiting 0.15 s for the rest, a half 0.03 s).
FIRST_SHARE = 2

#: The helper process's checks (set there, at its start, by :func:`_install`).
_INSTALLED: RowCheck | None = None


#: Seconds between the helper's looks at whether the importing process is still there.
ORPHAN_CHECK_S = 0.2


def _install(check: RowCheck) -> None:
    global _INSTALLED
    _INSTALLED = check
    threading.Thread(target=_end_with, args=(os.getppid(),), daemon=True).start()


def _end_with(parent: int) -> None:
    """End the helper as soon as the process that forked it is gone (killed, say).

    A forked helper holds copies of its parent's file descriptors, the database connection's
    socket among them: left running, it would keep a killed import's PostgreSQL transaction
    open, and with it the locks the resumed import waits for. Ended with ``os._exit`` (no
    finalizer may write to the shared socket)."""
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_S)
    os._exit(0)


def _check_in_helper(chunk: Chunk) -> Checked:
    assert _INSTALLED is not None, "the helper was started without its checks"
    return _INSTALLED(chunk)


class _Helper:
    """One forked process checking chunks in the order given; after any failure it is given
    up and every later chunk is checked here."""

    def __init__(self, check: RowCheck) -> None:
        self._check = check
        self._pool: ProcessPoolExecutor | None = None
        # No fork here (ValueError): every chunk is checked in this process.
        with suppress(ValueError):
            # Forked, so the checks (closures, remembered answers) are inherited, not pickled.
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("fork"),
                initializer=partial(_install, check),
            )

    def submit(self, chunk: Chunk) -> Future[Checked] | None:
        if self._pool is None:
            return None
        try:
            return self._pool.submit(_check_in_helper, chunk)
        except Exception:  # a broken pool or a failed fork: check here from now on
            self.close()
            return None

    def result(self, chunk: Chunk, pending: Future[Checked] | None) -> Checked:
        if pending is not None:
            try:
                return pending.result(timeout=HELPER_WAIT_S)
            except TimeoutError:  # a helper stuck: left to end on its own, never waited for
                self.close(wait=False)
            except Exception:  # the helper died or failed: the check here gives the answer
                self.close()
        return self._check(chunk)

    def close(self, *, wait: bool = True) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=True)


def checked_chunks(
    check: RowCheck, chunks: Iterator[Chunk], *, helper: bool
) -> Generator[tuple[Chunk, Checked], None, None]:
    """Each chunk with its checked rows, in order. With ``helper`` and more than one chunk,
    the chunk after the one being yielded is already being checked in a helper process (this
    process checks part of the first while the helper starts); at most two chunks are in
    flight, so memory stays flat."""
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    if not helper or second is None:
        for chunk in chain([first] if second is None else [first, second], chunks):
            yield chunk, check(chunk)
        return
    worker = _Helper(check)
    try:
        # The first chunk is shared: this process checks its first part while the helper
        # starts and checks the rest, then the second chunk.
        cut = len(first) // FIRST_SHARE
        rest = worker.submit(first[cut:])
        ahead: tuple[Chunk, Future[Checked] | None] | None = (second, worker.submit(second))
        valid, rejected = check(first[:cut])
        more_valid, more_rejected = worker.result(first[cut:], rest)
        yield first, (valid + more_valid, rejected + more_rejected)
        while ahead is not None:
            chunk, pending = ahead
            following = next(chunks, None)
            ahead = None if following is None else (following, worker.submit(following))
            yield chunk, worker.result(chunk, pending)
    finally:
        worker.close()
