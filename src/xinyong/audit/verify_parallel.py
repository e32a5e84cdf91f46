"""Verification of a large log on every core: the tree split into aligned perfect subtrees.

The log ``[0, size)`` is cut into blocks of ``2^BLOCK_LEVEL`` leaves. A block starting at a
multiple of its own size is a perfect subtree of the Merkle tree, so a process can check it
alone: dense seqs, every leaf against its content, and — at each position the sequential
check would look at (every :data:`~xinyong.audit.verify.CHUNK` entries, each checkpoint and
witnessed size, the tree head's size, the block's end) — the frontier *within* the block.
The parent then joins the blocks in order: the tree's frontier after position ``p`` of a block
is the frontier before the block followed by the block's own frontier after ``p`` (sizes stay
decreasing because the block is aligned), so every stored root and checkpoint root is checked
exactly as the sequential pass checks it, with one fold per position.

Only the good path runs here. When a block reports anything wrong, or a root does not match,
the caller runs the sequential verification, which names the first bad entry in its words: a
tampered log is rare, and the diagnosis must not depend on how the work was split.

Worker processes are forked (no re-import); each opens one connection of its own for all the
blocks it checks. They see what is committed, so the caller uses this only for a committed log
read outside any write.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
from collections.abc import Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.util import Finalize
from typing import Any

from sqlalchemy.engine import Dialect

from xinyong.audit import merkle
from xinyong.audit.canonical import entry_bytes

#: 4,096 leaves per block: large enough that a block's start-up is noise, small enough that
#: two cores share even a modest log evenly (a log of 100 k entries is 25 blocks, 13 and 12,
#: where blocks of 16,384 made 7, 4 and 3: on both cores 248–274 k entries/s then, 280–282 k
#: now, same machine and run).
BLOCK_LEVEL = 12
BLOCK = 1 << BLOCK_LEVEL
#: Below this size the sequential pass is as fast as starting processes.
PARALLEL_MIN = 4 * BLOCK
#: The leaf hash of a row is ``SHA-256(0x00 ‖ entry bytes)``; ``row[15]`` is the stored one.
_LEAF = b"\x00"


@dataclass(frozen=True, slots=True)
class BlockJob:
    url: str
    index: int
    start: int
    end: int
    #: Tree sizes inside ``(start, end]`` whose roots must be checked.
    positions: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class BlockResult:
    index: int
    ok: bool
    #: For each position: the frontier within the block.
    at: dict[int, list[bytes]]


def leaves_of(rows: Sequence[Sequence[Any]], start: int) -> tuple[list[bytes], int | None]:
    """The leaf hashes of consecutive scan rows (``repository.entry_scan_sql``) from seq
    ``start``, checked in bulk: every seq in its place, every content hashing to its stored
    leaf. Returns the leaves of the rows before the first that fails — all of them when none
    does — and that row's index, or ``None``."""
    sha = hashlib.sha256
    count = len(rows)
    if count and rows[0][0] == start and rows[-1][0] == start + count - 1:
        # Sorted by seq, the first and the last in place: every seq between is too.
        try:
            leaves = [sha(_LEAF + entry_bytes(*row[:15])).digest() for row in rows]
        except (TypeError, ValueError, AttributeError):
            leaves = []
        if leaves == [row[15] for row in rows]:
            return leaves, None
    # Something is wrong: find the first row that is, one by one.
    out: list[bytes] = []
    for i, row in enumerate(rows):
        try:
            if row[0] != start + i:
                return out, i
            leaf = sha(_LEAF + entry_bytes(*row[:15])).digest()
        except (TypeError, ValueError, AttributeError):
            return out, i
        if leaf != row[15]:
            return out, i
        out.append(leaf)
    return out, None


def usable_workers(requested: int | None) -> int:
    """How many processes to use: forking a process that runs threads (a web server) could
    copy a held lock, so only a single-threaded caller (the CLI, a benchmark) forks."""
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(requested or cores or 1, cores or 1))


def plan(url: str, size: int, positions: Iterable[int]) -> list[BlockJob]:
    ends = range(min(size, BLOCK), size + BLOCK, BLOCK)
    wanted = sorted({*positions, *(min(size, e) for e in ends)} - {0})
    jobs = []
    for index, start in enumerate(range(0, size, BLOCK)):
        end = min(size, start + BLOCK)
        inside = tuple(p for p in wanted if start < p <= end)
        jobs.append(BlockJob(url, index, start, end, inside))
    return jobs


def run(jobs: Sequence[BlockJob], workers: int) -> Generator[BlockResult, None, None]:
    """The blocks' results, in block order, computed by ``workers`` forked processes."""
    ctx = multiprocessing.get_context("fork")
    pool = ctx.Pool(processes=workers)
    finished = False
    try:
        yield from pool.imap(check_block, jobs)
        finished = True
    finally:
        if finished:
            pool.close()  # the workers exit normally and close their connections
        else:
            pool.terminate()
        pool.join()


#: The worker process's own connection and its dialect, by database URL (opened on its first
#: block, closed when the process exits).
_CONNECTIONS: dict[str, tuple[Dialect, Any]] = {}


def _connection(url: str) -> tuple[Dialect, Any]:
    found = _CONNECTIONS.get(url)
    if found is None:
        from xinyong.db.session import make_engine

        engine = make_engine(url)
        raw = engine.raw_connection()
        found = _CONNECTIONS[url] = (engine.dialect, raw)

        def close() -> None:
            raw.close()
            engine.dispose()

        Finalize(raw, close, exitpriority=10)
    return found


def check_block(job: BlockJob) -> BlockResult:
    """One block, in a worker process: leaves against contents, frontiers at the positions."""
    from xinyong.audit import repository as repo

    dialect, raw = _connection(job.url)
    try:
        sql = repo.entry_scan_sql(dialect, job.start, job.end)
        return _hash_rows(job, repo.scan_entries(raw.driver_connection, sql))
    finally:
        raw.rollback()


def _hash_rows(job: BlockJob, chunks: Iterable[Sequence[Sequence[Any]]]) -> BlockResult:
    frontier: list[bytes] = []
    at: dict[int, list[bytes]] = {}
    positions = list(job.positions)
    p = 0
    n = job.start
    for rows in chunks:
        leaves, bad = leaves_of(rows, n)
        if bad is not None:
            return BlockResult(job.index, False, at)
        done = 0
        while done < len(leaves):
            stop = positions[p] if p < len(positions) else n + len(leaves) - done
            take = min(len(leaves) - done, stop - n)
            merkle.extend(frontier, n - job.start, leaves[done : done + take])
            n += take
            done += take
            if p < len(positions) and n == positions[p]:
                at[n] = list(frontier)
                p += 1
    return BlockResult(job.index, n == job.end, at)


def join(
    results: Iterable[BlockResult],
    expected: Mapping[int, Sequence[bytes]],
) -> tuple[bool, list[bytes], int]:
    """Fold the blocks in order, checking at every position the roots ``expected`` there
    (stored roots, the tree head, signed and witnessed checkpoints). Returns (all good, the
    final frontier, entries covered)."""
    frontier: list[bytes] = []
    n = 0
    for block in results:
        if not block.ok:
            return False, frontier, n
        for size, within in sorted(block.at.items()):
            root = merkle.frontier_root(frontier + within)
            if any(root != r for r in expected.get(size, ())):
                return False, frontier, n
        end_size = max(block.at) if block.at else n
        if end_size - n == BLOCK:
            # A whole block: one perfect subtree of level BLOCK_LEVEL joins the frontier.
            merkle_append_subtree(frontier, block.index, block.at[end_size][0])
        else:
            frontier = frontier + block.at[end_size]
        n = end_size
    return True, frontier, n


def merkle_append_subtree(frontier: list[bytes], index: int, root: bytes) -> None:
    """Append the perfect subtree number ``index`` of level :data:`BLOCK_LEVEL` to a frontier
    made of such subtrees (the leaf append of :func:`merkle.frontier_append`, one level up)."""
    h, k = root, index
    while k & 1:
        h = merkle.node_hash(frontier.pop(), h)
        k >>= 1
    frontier.append(h)
