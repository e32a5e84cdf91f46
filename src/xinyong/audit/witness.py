"""Checkpoints witnessed outside the database (PLT-2; Art. 18, 44).

Whoever can write the database can rewrite the audit log *and* its stored checkpoints: recompute
every hash, delete the signed tree heads, and the log is consistent with itself again. What
the database cannot reach is a copy of each signed tree head kept elsewhere. Every checkpoint
the platform signs is therefore appended, once its transaction has committed, to
``checkpoints.jsonl`` in the witness directory (``XINYONG_AUDIT_WITNESS_DIR``, default
``var/witness/``; in production a directory on another host or write-once storage), and it is
published to anyone at ``GET /api/v1/audit/checkpoint``. ``xinyong audit verify`` then checks
the log against every witnessed checkpoint and any the operator passes with ``--checkpoint``:
a rewritten history no longer has the witnessed root at the witnessed size.

Writing waits for the commit (``after_commit``): a checkpoint of a transaction that rolled
back would name a log that never existed.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from xinyong.audit.schemas import CheckpointRead

FILE = "checkpoints.jsonl"
_PENDING = "xinyong_audit_witness"


@dataclass(frozen=True, slots=True)
class TrustedCheckpoint:
    """A signed tree head from outside the database, and where it came from."""

    size: int
    root: bytes
    signature: bytes
    at: datetime
    source: str


class WitnessError(ValueError):
    """A witness file or a ``--checkpoint`` document that cannot be read as a checkpoint."""


def document(read: CheckpointRead) -> dict[str, Any]:
    """The JSON document of a checkpoint, as ``GET /audit/checkpoint`` answers it."""
    return read.model_dump(mode="json")


def after_commit(session: Session, directory: Path, read: CheckpointRead) -> None:
    """Witness ``read`` once ``session`` commits (dropped if it rolls back)."""
    session.info.setdefault(_PENDING, []).append((directory, document(read)))


@event.listens_for(Session, "after_commit")
def _write_pending(session: Session) -> None:
    for directory, doc in session.info.pop(_PENDING, []):
        append(directory, doc)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


def append(directory: Path, doc: dict[str, Any]) -> None:
    """Append one checkpoint to the witness file, flushed to disk before returning."""
    directory.mkdir(parents=True, exist_ok=True)
    line = json.dumps(doc, sort_keys=True, ensure_ascii=False) + "\n"
    with open(directory / FILE, "a", encoding="utf-8") as f:
        f.write(line)
        f.flush()
        os.fsync(f.fileno())


def parse(doc: Any, source: str) -> TrustedCheckpoint:
    """A checkpoint document (``size``, ``root``, ``signature``, ``at``) or a clear error."""
    if not isinstance(doc, dict):
        raise WitnessError(f"{source}: 不是检查点 / not a checkpoint document")
    try:
        size = doc["size"]
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise WitnessError(f"{source}: size 无效 / size must be a non-negative integer")
        root = base64.b64decode(str(doc["root"]), validate=True)
        signature = base64.b64decode(str(doc["signature"]), validate=True)
        at = datetime.fromisoformat(str(doc["at"]).replace("Z", "+00:00"))
    except KeyError as missing:
        raise WitnessError(f"{source}: 缺少字段 {missing} / missing field {missing}") from None
    except (binascii.Error, ValueError) as bad:
        if isinstance(bad, WitnessError):
            raise
        raise WitnessError(f"{source}: 字段无效 / invalid field: {bad}") from None
    if len(root) != 32 or at.tzinfo is None:
        raise WitnessError(f"{source}: 树根或时间无效 / root must be 32 bytes, at must be aware")
    return TrustedCheckpoint(size, root, signature, at, source)


def read_file(path: Path) -> list[TrustedCheckpoint]:
    """The checkpoints of a ``.jsonl`` witness file or of one JSON document."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as bad:
        raise WitnessError(f"{path}: 无法读取 / cannot read: {bad}") from None
    if path.suffix == ".jsonl":
        docs = [(f"{path}:{n}", line) for n, line in enumerate(text.splitlines(), 1) if line]
    else:
        docs = [(str(path), text)]
    found = []
    for source, raw in docs:
        try:
            found.append(parse(json.loads(raw), source))
        except json.JSONDecodeError:
            raise WitnessError(f"{source}: 不是 JSON / not JSON") from None
    return found


def load(directory: Path, extra: Iterable[Path] = ()) -> list[TrustedCheckpoint]:
    """Every checkpoint witnessed in ``directory`` (``*.jsonl`` and ``*.json``) and in the
    ``extra`` files, ordered by size; the same checkpoint seen twice is kept once."""
    files = sorted(directory.glob("*.jsonl")) + sorted(directory.glob("*.json"))
    seen: dict[tuple[int, bytes, bytes], TrustedCheckpoint] = {}
    for path in [*(p for p in files if p.is_file()), *extra]:
        for cp in read_file(path):
            seen.setdefault((cp.size, cp.root, cp.signature), cp)
    return sorted(seen.values(), key=lambda c: c.size)
