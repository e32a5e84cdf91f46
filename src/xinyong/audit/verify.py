"""``verify_log``: recompute the whole Merkle log from the rows and name the first bad entry.

What is checked, streaming the entries in seq order with flat memory, in batches (each batch's
leaves hashed in one pass and compared as one list; only a batch with something wrong is gone
through entry by entry, to name it):

* seq is dense from 0 — a gap is a deleted entry;
* each row's content hashes to its stored leaf — otherwise the row was edited (or its content
  moved to another row: seq is part of the hashed content); this holds for every entry,
  integrated into the tree or still waiting for the next batch;
* the stored root at each size of the integrated tree (``audit_root``) equals the root
  recomputed from the leaves — checked every :data:`CHUNK` entries, at every checkpoint and at
  the tree's size, and when a check fails the chunk is replayed entry by entry to find the first
  bad root (``thorough`` checks the root at every size directly, at about a fifth of the speed);
* each signed checkpoint's signature, made with the key file (outside the database), and its
  root against the recomputed root at its size — this catches rows rewritten *together with*
  their hashes, and entries deleted from the end;
* the tree head (``audit_head``: integrated size and root) against the recomputed tree, and the
  sequencer's count (``audit_sequence``) against the entries;
* every checkpoint witnessed outside the database (the witness directory, ``--checkpoint``
  files; ``audit.witness``): its signature, and its root against the recomputed root at its
  size — a history rewritten with database access alone, stored checkpoints deleted, fails
  here, naming the witnessed checkpoint; so does a log shorter than one.

A log with entries and no checkpoint at all verifies only against itself: the result says so
(``warning``), and the command does not report a pass.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.orm import Session

from xinyong.audit import merkle, signing
from xinyong.audit import repository as repo
from xinyong.audit import verify_parallel as parallel
from xinyong.audit.canonical import entry_bytes
from xinyong.audit.models import AuditCheckpoint
from xinyong.audit.witness import TrustedCheckpoint
from xinyong.core.config import Settings

CHUNK = 1024
_IN_MEMORY = ("sqlite://", "sqlite:///:memory:")
_UNWITNESSED = (
    "没有任何检查点为该日志作证：它只与自身一致 / no checkpoint witnesses this log: it "
    "is only consistent with itself (run `xinyong audit checkpoint`)"
)


@dataclass(slots=True)
class VerifyResult:
    ok: bool
    entries: int
    root: bytes
    checkpoints: int
    seconds: float
    first_bad_seq: int | None = None
    code: str | None = None
    problem: str | None = None
    #: Witnessed checkpoints (outside the database) the log was checked against.
    witnessed: int = 0
    #: Set when the log passed but nothing outside itself vouches for it.
    warning: str | None = None

    @property
    def rate(self) -> float:
        """Entries verified per second."""
        return self.entries / self.seconds if self.seconds > 0 else float("inf")


class _Bad(Exception):
    def __init__(self, seq: int | None, code: str, problem: str) -> None:
        super().__init__(problem)
        self.seq, self.code, self.problem = seq, code, problem


def _row_problem(row: Sequence[Any], n: int) -> _Bad:
    """What is wrong with ``row``, found where entry ``n`` was expected (see
    :func:`verify_parallel.leaves_of`, which found it wrong)."""
    seq = row[0]
    if seq != n:
        if seq > n:
            return _Bad(n, "missing", f"第 {n} 条缺失 / entry {n} is missing (deleted)")
        return _Bad(seq, "duplicate", f"第 {seq} 条重复 / entry {seq} appears twice")
    try:
        entry_bytes(*row[:15])
    except (TypeError, ValueError, AttributeError):
        return _Bad(seq, "malformed", f"第 {seq} 条内容无效 / entry {seq} is malformed (a "
                    "required field was emptied)")  # fmt: skip
    return _Bad(seq, "edited", f"第 {seq} 条被修改 / entry {seq} was edited: its content no "
                "longer hashes to its leaf")  # fmt: skip


def _root_problem(seq: int) -> _Bad:
    return _Bad(seq, "root_mismatch", f"第 {seq} 条之后的树根不符 / the stored root after "
                f"entry {seq} does not match the tree: hashes rewritten or entries "
                "reordered")  # fmt: skip


class _Walk:
    """The tree recomputed from the leaves, checked at every position something is stored or
    signed for. Feed it the leaves in order (:meth:`feed`); it raises :class:`_Bad`."""

    def __init__(
        self,
        session: Session,
        public: Ed25519PublicKey | None,
        checkpoints: Sequence[AuditCheckpoint],
        witnessed: Sequence[TrustedCheckpoint],
        tree: repo.Head | None,
        thorough: bool,
    ) -> None:
        self.session, self.public, self.thorough = session, public, thorough
        self.checkpoints, self.witnessed = checkpoints, witnessed
        self.tree = tree
        self.tree_size = 0 if tree is None else tree.size
        self.frontier: list[bytes] = []
        self.n = 0
        self.cp_i = self.w_i = 0
        #: Where the stored root is checked (every size when thorough) and what it is there.
        stops = {*range(CHUNK, self.tree_size, CHUNK), self.tree_size}
        stops |= {c.size for c in checkpoints if c.size <= self.tree_size}
        stops |= {w.size for w in witnessed if w.size <= self.tree_size}
        self.root_sizes = sorted(stops - {0})
        self.stored = {} if thorough else repo.roots_at(session, self.root_sizes)
        targets = {*self.root_sizes, *(c.size for c in checkpoints), *(w.size for w in witnessed)}
        self.targets = sorted(targets - {0})
        self.t_i = 0
        #: The last size whose stored root was checked, its frontier, the leaves since.
        self.good, self.good_frontier = 0, list[bytes]()
        self.since: list[bytes] = []
        #: The recomputed root at the tree head's size, once reached.
        self.tree_root: bytes | None = None

    def start(self) -> None:
        """The checks at size 0 (an empty tree's checkpoints)."""
        self._at_target()

    def feed(self, leaves: list[bytes]) -> None:
        done = 0
        while done < len(leaves):
            stop = self.targets[self.t_i] if self.t_i < len(self.targets) else None
            take = len(leaves) - done if stop is None else min(len(leaves) - done, stop - self.n)
            part = leaves[done : done + take]
            if self.n < self.tree_size:
                if self.thorough:
                    self._every_root(part)
                else:
                    self.since.extend(part)
                    merkle.extend(self.frontier, self.n, part)
            else:
                merkle.extend(self.frontier, self.n, part)
            self.n += take
            done += take
            if self.n == stop:
                self.t_i += 1
                self._at_target()

    def _every_root(self, part: list[bytes]) -> None:
        hi = min(self.n + len(part), self.tree_size)
        stored = repo.roots_between(self.session, self.n, hi)
        for i, leaf in enumerate(part):
            merkle.frontier_append(self.frontier, self.n + i, leaf)
            size = self.n + i + 1
            if size <= hi and stored.get(size) != merkle.frontier_root(self.frontier):
                raise _root_problem(size - 1)

    def _at_target(self) -> None:
        n = self.n
        root = merkle.frontier_root(self.frontier)
        if not self.thorough and 0 < n <= self.tree_size:
            if self.stored.get(n) != root:
                raise _root_problem(self._first_bad_root())
            self.good, self.good_frontier = n, list(self.frontier)
            self.since.clear()
        self._check_checkpoints(root)
        self._check_witnessed(root)
        if n == self.tree_size:
            self.tree_root = root

    def _first_bad_root(self) -> int:
        """Replay the leaves since the last good stored root; the seq of the first wrong one."""
        frontier = list(self.good_frontier)
        stored = repo.roots_between(self.session, self.good, self.n)
        for i, leaf in enumerate(self.since):
            size = self.good + i + 1
            merkle.frontier_append(frontier, size - 1, leaf)
            if stored.get(size) != merkle.frontier_root(frontier):
                return size - 1
        return self.n - 1

    def _check_checkpoints(self, root: bytes) -> None:
        checkpoints = self.checkpoints
        while self.cp_i < len(checkpoints) and checkpoints[self.cp_i].size == self.n:
            cp = checkpoints[self.cp_i]
            where = f"size {cp.size} (#{cp.id})"
            if self.public is None:
                raise _Bad(None, "key_missing", f"无法校验签名：缺少密钥文件 / no key file to "
                           f"check the checkpoint at {where}")  # fmt: skip
            body = signing.checkpoint_body(cp.size, cp.root, cp.at)
            if cp.key_id != signing.key_id(self.public) or not signing.verify(
                self.public, body, cp.signature
            ):
                raise _Bad(None, "checkpoint_signature", f"检查点签名无效 / the checkpoint at "
                           f"{where} has a bad signature (forged or altered)")  # fmt: skip
            if cp.root != root:
                since = checkpoints[self.cp_i - 1].size if self.cp_i else 0
                raise _Bad(since, "checkpoint_mismatch", f"检查点与日志不符 / the checkpoint at "
                           f"{where} does not match the log: entries {since}..{cp.size - 1} "
                           "were rewritten together with their hashes")  # fmt: skip
            self.cp_i += 1

    def _check_witnessed(self, root: bytes) -> None:
        witnessed = self.witnessed
        while self.w_i < len(witnessed) and witnessed[self.w_i].size == self.n:
            cp = witnessed[self.w_i]
            if self.public is None:
                raise _Bad(None, "key_missing", f"无法校验签名：缺少密钥文件 / no key file to "
                           f"check the witnessed checkpoint {cp.source}")  # fmt: skip
            body = signing.checkpoint_body(cp.size, cp.root, cp.at)
            if not signing.verify(self.public, body, cp.signature):
                raise _Bad(None, "witness_signature", f"见证检查点签名无效 / the witnessed "
                           f"checkpoint {cp.source} (size {cp.size}) has a bad signature: "
                           "not signed by this platform's key")  # fmt: skip
            if cp.root != root:
                raise _Bad(None, "witness_mismatch", f"日志与见证检查点不符 / the log is not "
                           f"consistent with the witnessed checkpoint {cp.source} (size "
                           f"{cp.size}): its history was rewritten")  # fmt: skip
            self.w_i += 1

    def finish(self, sequenced: int) -> None:
        """After the last entry: whatever claims more entries than the log holds, or fewer."""
        n = self.n
        if self.w_i < len(self.witnessed):
            cp = self.witnessed[self.w_i]
            raise _Bad(n, "witness_truncated", f"日志短于见证检查点 / the witnessed checkpoint "
                       f"{cp.source} covers {cp.size} entries but the log holds {n}: entries "
                       f"{n}..{cp.size - 1} were deleted")  # fmt: skip
        if self.cp_i < len(self.checkpoints):
            beyond = self.checkpoints[self.cp_i].size
            raise _Bad(n, "truncated", f"日志被截断 / a checkpoint covers {beyond} entries but "
                       f"the log holds {n}: entries {n}..{beyond - 1} were deleted")  # fmt: skip
        size = max(sequenced, self.tree_size)
        if size > n:
            raise _Bad(n, "truncated", f"日志被截断 / the head counts {size} entries but the "
                       f"log holds {n}: entries {n}..{size - 1} were deleted")  # fmt: skip
        if sequenced < n:
            raise _Bad(sequenced, "inserted", f"第 {sequenced} 条为伪造 / entry {sequenced} was "
                       f"inserted behind the log's back (the head counts {sequenced} "
                       "entries)")  # fmt: skip
        if self.tree is not None and self.tree.root != self.tree_root:
            raise _Bad(None, "head_mismatch", "日志头与日志不符 / the head's root does not "
                       "match the log")  # fmt: skip


def verify_log(
    session: Session,
    *,
    settings: Settings,
    thorough: bool = False,
    progress: Callable[[int], None] | None = None,
    trusted: Sequence[TrustedCheckpoint] = (),
    workers: int | None = 1,
) -> VerifyResult:
    """Verify the whole log (see the module's docstring). ``workers`` other than 1 lets a
    large, committed log be checked on several cores (``None``: every core; see
    :mod:`xinyong.audit.verify_parallel`); the answer is the same, and anything wrong is
    diagnosed by the sequential pass."""
    started = time.perf_counter()
    if not thorough and workers != 1:
        fast = _verify_on_cores(session, settings, trusted, workers, started, progress)
        if fast is not None:
            return fast
    key = signing.load_private_key(settings.resolved_audit_key_path())
    public = key.public_key() if key is not None else None
    checkpoints = list(repo.all_checkpoints(session))
    witnessed = sorted(trusted, key=lambda c: c.size)
    walk = _Walk(session, public, checkpoints, witnessed, repo.read_head(session), thorough)
    try:
        walk.start()
        for rows in repo.stream_entry_chunks(session):
            leaves, bad = parallel.leaves_of(rows, walk.n)
            walk.feed(leaves)
            if bad is not None:
                raise _row_problem(rows[bad], walk.n)
            if progress is not None:
                progress(walk.n)
        walk.finish(repo.sequenced_size(session))
    except _Bad as bad:
        return _answer(walk.n, walk.frontier, walk.cp_i, walk.w_i, started=started, bad=bad)
    vouched = bool(checkpoints or witnessed)
    return _answer(walk.n, walk.frontier, walk.cp_i, walk.w_i, started=started, vouched=vouched)


def _answer(
    entries: int,
    frontier: Sequence[bytes],
    checkpoints: int,
    witnessed: int,
    *,
    started: float,
    bad: _Bad | None = None,
    vouched: bool = True,
) -> VerifyResult:
    """The answer after ``entries`` entries, ``checkpoints`` stored and ``witnessed`` outside
    checkpoints checked: the first fault (``bad``), or a log that holds — with a warning when
    it has entries but no checkpoint at all (``vouched``) to be checked against."""
    result = VerifyResult(
        ok=bad is None,
        entries=entries,
        root=merkle.frontier_root(frontier),
        checkpoints=checkpoints,
        seconds=time.perf_counter() - started,
        witnessed=witnessed,
    )
    if bad is not None:
        result.first_bad_seq, result.code, result.problem = bad.seq, bad.code, bad.problem
    elif entries and not vouched:
        result.warning = _UNWITNESSED
    return result


def _verify_on_cores(
    session: Session,
    settings: Settings,
    trusted: Sequence[TrustedCheckpoint],
    workers: int | None,
    started: float,
    progress: Callable[[int], None] | None,
) -> VerifyResult | None:
    """The good path on several processes, or ``None`` when the sequential pass must run
    (a small or in-memory log, one usable core, or anything not as it should be)."""
    cores = parallel.usable_workers(workers)
    size = repo.sequenced_size(session)
    url = session.get_bind().engine.url.render_as_string(hide_password=False)
    if cores < 2 or size < parallel.PARALLEL_MIN or url in _IN_MEMORY:
        return None
    key = signing.load_private_key(settings.resolved_audit_key_path())
    head = repo.read_head(session)
    if key is None or head is None or head.size > size or repo.max_seq(session) != size - 1:
        return None
    public = key.public_key()
    checkpoints = list(repo.all_checkpoints(session))
    expected: dict[int, list[bytes]] = {}
    for cp in checkpoints:
        body = signing.checkpoint_body(cp.size, cp.root, cp.at)
        if cp.key_id != signing.key_id(public) or not signing.verify(public, body, cp.signature):
            return None
        expected.setdefault(cp.size, []).append(cp.root)
    for w in trusted:
        if not signing.verify(public, signing.checkpoint_body(w.size, w.root, w.at), w.signature):
            return None
        expected.setdefault(w.size, []).append(w.root)
    if any(s > size for s in expected) or any(r != merkle.EMPTY_ROOT for r in expected.get(0, ())):
        return None
    # The stored roots where the sequential pass checks them, and the tree head's.
    stops = {*range(CHUNK, head.size, CHUNK), head.size, *(s for s in expected if s <= head.size)}
    stops.discard(0)
    stored = repo.roots_at(session, stops)
    if len(stored) != len(stops):
        return None
    for s, root in stored.items():
        expected.setdefault(s, []).append(root)
    if head.size:
        expected[head.size].append(head.root)
    jobs = parallel.plan(url, size, [*range(CHUNK, size, CHUNK), *expected])
    with closing(parallel.run(jobs, cores)) as results:
        ok, frontier, n = parallel.join(_reporting(results, progress), expected)
    if not ok or n != size:
        return None
    vouched = bool(checkpoints or trusted)
    return _answer(n, frontier, len(checkpoints), len(trusted), started=started, vouched=vouched)


def _reporting(
    results: Iterator[parallel.BlockResult], progress: Callable[[int], None] | None
) -> Iterator[parallel.BlockResult]:
    for block in results:
        yield block
        if progress is not None and block.at:
            progress(max(block.at))
