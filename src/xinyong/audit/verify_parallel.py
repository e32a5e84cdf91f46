"""Verification of a large log on every core: the tree split into aligned perfect subtrees.

The log ``[0, size)`` is cut into blocks of ``2^BLOCK_LEVEL`` leaves. A block starting at a
multiple of its own size is a perfect subtree of the Merkle tree, so a process can check it
alone: dense seqs, every leaf against its content, and — at each position the sequential
check would look at (every :data:`~xinyong.audit.verify.CHUNK` entries, each checkpoint and
witnessed size, the block's end) — the frontier *within* the block and the stored root there.
The parent then joins the blocks in order: the tree's frontier after position ``p`` of a block
is the frontier before the block followed by the block's own frontier after ``p`` (sizes stay
decreasing because the block is aligned), so every stored root and checkpoint root is checked
exactly as the sequential pass checks it, with one fold per position.

Only the good path runs here. When a block reports anything wrong, or a root does not match,
the caller runs the sequential verification, which names the first bad entry in its words: a
tampered log is rare, and the diagnosis must not depend on how the work was split.

Worker processes are forked (no re-import) and open their own connections: they see what is
committed, so the caller uses this only for a committed log read outside any write.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from xinyong.audit import merkle
from xinyong.audit.canonical import entry_bytes

#: 65,536 leaves per block: large enough that a block's start-up is noise, small enough that
#: two cores share even a modest log.
BLOCK_LEVEL = 16
BLOCK = 1 << BLOCK_LEVEL
#: Below this size the sequential pass is as fast as starting processes.
PARALLEL_MIN = 2 * BLOCK


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
    #: For each position: the frontier within the block, and the root stored on the entry
    #: before it (the tree root at that size, as the log claims it).
    at: dict[int, tuple[list[bytes], bytes]]


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


def run(jobs: Sequence[BlockJob], workers: int) -> Iterator[BlockResult]:
    """The blocks' results, in block order, computed by ``workers`` forked processes."""
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(processes=workers) as pool:
        yield from pool.imap(check_block, jobs)


def check_block(job: BlockJob) -> BlockResult:
    """One block, in a worker process: leaves against contents, frontiers at the positions."""
    from xinyong.audit import repository as repo
    from xinyong.db.session import make_engine

    engine = make_engine(job.url)
    raw = engine.raw_connection()
    try:
        sql = repo.entry_scan_sql(engine.dialect, job.start, job.end)
        result = _hash_rows(job, repo.scan_entries(raw.driver_connection, sql))
    finally:
        raw.close()
        engine.dispose()
    return result


def _hash_rows(job: BlockJob, chunks: Iterable[Sequence[Sequence[Any]]]) -> BlockResult:
    sha = hashlib.sha256
    frontier: list[bytes] = []
    at: dict[int, tuple[list[bytes], bytes]] = {}
    positions = iter(job.positions)
    next_p = next(positions, -1)
    n = job.start
    for rows in chunks:
        for row in rows:
            if row[0] != n:
                return BlockResult(job.index, False, at)
            leaf = row[15]
            try:
                content = entry_bytes(*row[:15])
            except (TypeError, ValueError, AttributeError):
                return BlockResult(job.index, False, at)
            if sha(b"\x00" + content).digest() != leaf:
                return BlockResult(job.index, False, at)
            h, k = leaf, n - job.start
            while k & 1:
                h = sha(b"\x01" + frontier.pop() + h).digest()
                k >>= 1
            frontier.append(h)
            n += 1
            if n == next_p:
                at[n] = (list(frontier), bytes(row[16]))
                next_p = next(positions, -1)
    return BlockResult(job.index, n == job.end, at)


def join(
    results: Iterable[BlockResult], expected: dict[int, list[bytes]]
) -> tuple[bool, list[bytes], int]:
    """Fold the blocks in order, checking at every position the stored root and the roots
    ``expected`` there (signed and witnessed checkpoints). Returns (all good, the final
    frontier, entries covered)."""
    frontier: list[bytes] = []
    n = 0
    for block in results:
        if not block.ok:
            return False, frontier, n
        for size, (within, stored) in sorted(block.at.items()):
            root = merkle.frontier_root(frontier + within)
            if root != stored or any(root != r for r in expected.get(size, ())):
                return False, frontier, n
        end_size = max(block.at) if block.at else n
        if end_size - n == BLOCK:
            # A whole block: one perfect subtree of level BLOCK_LEVEL joins the frontier.
            merkle_append_subtree(frontier, block.index, block.at[end_size][0][0])
        else:
            frontier = frontier + block.at[end_size][0]
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
