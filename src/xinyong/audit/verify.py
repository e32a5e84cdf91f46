"""``verify_log``: recompute the whole Merkle log from the rows and name the first bad entry.

What is checked, streaming the entries in seq order with flat memory:

* seq is dense from 0 — a gap is a deleted entry;
* each row's content hashes to its stored leaf — otherwise the row was edited (or its content
  moved to another row: seq is part of the hashed content);
* the stored root after each entry equals the root recomputed from the leaves — checked at
  every checkpoint, every :data:`CHUNK` entries and at the end, and when a check fails the
  chunk is replayed entry by entry to find the first bad root (``thorough`` checks every
  entry's root directly, at about a fifth of the speed);
* each signed checkpoint's signature, made with the key file (outside the database), and its
  root against the recomputed root at its size — this catches rows rewritten *together with*
  their hashes, and entries deleted from the end;
* the head row (size, root) against the recomputed tree;
* every checkpoint witnessed outside the database (the witness directory, ``--checkpoint``
  files; ``audit.witness``): its signature, and its root against the recomputed root at its
  size — a history rewritten with database access alone, stored checkpoints deleted, fails
  here, naming the witnessed checkpoint; so does a log shorter than one.

A log with entries and no checkpoint at all verifies only against itself: the result says so
(``warning``), and the command does not report a pass.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

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


def _first_bad_root(start: list[bytes], size: int, chunk: list[tuple[bytes, bytes]]) -> int:
    """Replay a chunk from the frontier before it; the seq of the first wrong stored root."""
    frontier = list(start)
    for i, (leaf, stored) in enumerate(chunk):
        merkle.frontier_append(frontier, size + i, leaf)
        if merkle.frontier_root(frontier) != stored:
            return size + i
    raise AssertionError("the chunk's last root differed, so some root must")


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
    cp_i = 0
    w_i = 0
    verified = 0
    frontier: list[bytes] = []
    n = 0

    def check_witnessed() -> None:
        nonlocal w_i
        while w_i < len(witnessed) and witnessed[w_i].size == n:
            cp = witnessed[w_i]
            if public is None:
                raise _Bad(None, "key_missing", f"无法校验签名：缺少密钥文件 / no key file to "
                           f"check the witnessed checkpoint {cp.source}")  # fmt: skip
            body = signing.checkpoint_body(cp.size, cp.root, cp.at)
            if not signing.verify(public, body, cp.signature):
                raise _Bad(None, "witness_signature", f"见证检查点签名无效 / the witnessed "
                           f"checkpoint {cp.source} (size {cp.size}) has a bad signature: "
                           "not signed by this platform's key")  # fmt: skip
            if cp.root != merkle.frontier_root(frontier):
                raise _Bad(None, "witness_mismatch", f"日志与见证检查点不符 / the log is not "
                           f"consistent with the witnessed checkpoint {cp.source} (size "
                           f"{cp.size}): its history was rewritten")  # fmt: skip
            w_i += 1

    def next_target() -> int:
        sizes = []
        if cp_i < len(checkpoints):
            sizes.append(checkpoints[cp_i].size)
        if w_i < len(witnessed):
            sizes.append(witnessed[w_i].size)
        return min(sizes) if sizes else -1

    def check_checkpoints() -> None:
        nonlocal cp_i, verified
        while cp_i < len(checkpoints) and checkpoints[cp_i].size == n:
            cp = checkpoints[cp_i]
            where = f"size {cp.size} (#{cp.id})"
            if public is None:
                raise _Bad(None, "key_missing", f"无法校验签名：缺少密钥文件 / no key file to "
                           f"check the checkpoint at {where}")  # fmt: skip
            body = signing.checkpoint_body(cp.size, cp.root, cp.at)
            if cp.key_id != signing.key_id(public) or not signing.verify(
                public, body, cp.signature
            ):
                raise _Bad(None, "checkpoint_signature", f"检查点签名无效 / the checkpoint at "
                           f"{where} has a bad signature (forged or altered)")  # fmt: skip
            if cp.root != merkle.frontier_root(frontier):
                since = checkpoints[cp_i - 1].size if cp_i else 0
                raise _Bad(since, "checkpoint_mismatch", f"检查点与日志不符 / the checkpoint at "
                           f"{where} does not match the log: entries {since}..{cp.size - 1} "
                           "were rewritten together with their hashes")  # fmt: skip
            cp_i += 1
            verified += 1

    sha = hashlib.sha256
    chunk: list[tuple[bytes, bytes]] = []
    chunk_start: list[bytes] = []
    # The loop below runs once per entry: locals only, no attribute lookups.
    every = 1 if thorough else CHUNK
    try:
        check_checkpoints()
        check_witnessed()
        next_cp = next_target()
        for rows in repo.stream_entry_chunks(session):
            for row in rows:
                seq = row[0]
                if seq != n:
                    if seq > n:
                        raise _Bad(n, "missing", f"第 {n} 条缺失 / entry {n} is missing (deleted)")
                    raise _Bad(seq, "duplicate", f"第 {seq} 条重复 / entry {seq} appears twice")
                leaf = row[15]
                try:
                    content = entry_bytes(*row[:15])
                except (TypeError, ValueError, AttributeError):
                    raise _Bad(seq, "malformed", f"第 {seq} 条内容无效 / entry {seq} is "
                               "malformed (a required field was emptied)") from None  # fmt: skip
                if sha(b"\x00" + content).digest() != leaf:
                    raise _Bad(seq, "edited", f"第 {seq} 条被修改 / entry {seq} was edited: its "
                               "content no longer hashes to its leaf")  # fmt: skip
                h, k = leaf, seq
                while k & 1:
                    h = sha(b"\x01" + frontier.pop() + h).digest()
                    k >>= 1
                frontier.append(h)
                n += 1
                chunk.append((leaf, row[16]))
                if len(chunk) >= every or n == next_cp:
                    _check_chunk(frontier, chunk_start, n, chunk)
                    chunk_start = list(frontier)
                    chunk.clear()
                    check_checkpoints()
                    check_witnessed()
                    next_cp = next_target()
            if progress is not None:
                progress(n)
        if chunk:
            _check_chunk(frontier, chunk_start, n, chunk)
        if w_i < len(witnessed):
            cp = witnessed[w_i]
            raise _Bad(n, "witness_truncated", f"日志短于见证检查点 / the witnessed checkpoint "
                       f"{cp.source} covers {cp.size} entries but the log holds {n}: entries "
                       f"{n}..{cp.size - 1} were deleted")  # fmt: skip
        _check_end(session, frontier, n, checkpoints[cp_i:])
    except _Bad as bad:
        return VerifyResult(
            ok=False,
            entries=n,
            root=merkle.frontier_root(frontier),
            checkpoints=verified,
            seconds=time.perf_counter() - started,
            first_bad_seq=bad.seq,
            code=bad.code,
            problem=bad.problem,
            witnessed=w_i,
        )
    warning = None
    if n and not checkpoints and not witnessed:
        warning = _UNWITNESSED
    return VerifyResult(
        ok=True,
        entries=n,
        root=merkle.frontier_root(frontier),
        checkpoints=verified,
        seconds=time.perf_counter() - started,
        witnessed=w_i,
        warning=warning,
    )


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
    head = repo.read_head(session)
    url = session.get_bind().engine.url.render_as_string(hide_password=False)
    if cores < 2 or head is None or head.size < parallel.PARALLEL_MIN or url in _IN_MEMORY:
        return None
    key = signing.load_private_key(settings.resolved_audit_key_path())
    if key is None:
        return None
    public = key.public_key()
    size = head.size
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
    if any(s > size for s in expected) or repo.max_seq(session) != size - 1:
        return None
    if any(r != merkle.EMPTY_ROOT for r in expected.get(0, ())):
        return None
    jobs = parallel.plan(url, size, [*range(CHUNK, size, CHUNK), *expected, size])
    results = parallel.run(jobs, cores)
    if progress is not None:
        results = _reporting(results, progress)
    ok, frontier, n = parallel.join(results, expected)
    if not ok or n != size or merkle.frontier_root(frontier) != head.root:
        return None
    warning = None
    if not checkpoints and not trusted:
        warning = _UNWITNESSED
    return VerifyResult(
        ok=True,
        entries=n,
        root=merkle.frontier_root(frontier),
        checkpoints=len(checkpoints),
        seconds=time.perf_counter() - started,
        witnessed=len(trusted),
        warning=warning,
    )


def _reporting(
    results: Iterator[parallel.BlockResult], progress: Callable[[int], None]
) -> Iterator[parallel.BlockResult]:
    for block in results:
        yield block
        if block.at:
            progress(max(block.at))


def _check_chunk(
    frontier: list[bytes], start: list[bytes], n: int, chunk: list[tuple[bytes, bytes]]
) -> None:
    if merkle.frontier_root(frontier) != chunk[-1][1]:
        seq = _first_bad_root(start, n - len(chunk), chunk)
        raise _Bad(seq, "root_mismatch", f"第 {seq} 条之后的树根不符 / the stored root after "
                   f"entry {seq} does not match the tree: hashes rewritten or entries "
                   "reordered")  # fmt: skip


def _check_end(
    session: Session, frontier: list[bytes], n: int, beyond: list[AuditCheckpoint]
) -> None:
    if beyond:
        cp = beyond[0]
        raise _Bad(n, "truncated", f"日志被截断 / a checkpoint covers {cp.size} entries but "
                   f"the log holds {n}: entries {n}..{cp.size - 1} were deleted")  # fmt: skip
    head = repo.read_head(session)
    size = 0 if head is None else head.size
    if size > n:
        raise _Bad(n, "truncated", f"日志被截断 / the head counts {size} entries but the log "
                   f"holds {n}: entries {n}..{size - 1} were deleted")  # fmt: skip
    if size < n:
        raise _Bad(size, "inserted", f"第 {size} 条为伪造 / entry {size} was inserted "
                   f"behind the log's back (the head counts {size} entries)")  # fmt: skip
    if head is not None and head.root != merkle.frontier_root(frontier):
        raise _Bad(None, "head_mismatch", "日志头与日志不符 / the head's root does not match "
                   "the log")  # fmt: skip
