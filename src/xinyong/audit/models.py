"""The audit log (PLT-2): one append-only row per write or non-public read, in a Merkle log.

Appending and building the tree are two steps, as in Trillian and Tessera. An append only
*sequences*: under the lock of ``audit_sequence`` (one row, the number of entries so far) it
takes the next seqs and writes each ``audit_entry`` with its leaf hash, in the caller's
transaction. *Integration* (``service.integrate``: the worker's ``audit_integrate`` job, and
every checkpoint or proof first) folds the sequenced entries into the tree in one batch:
``audit_node`` gets the perfect interior subtrees (level ≥ 1) they complete, ``audit_root``
the tree root at each new size, ``audit_head`` the integrated size, frontier and root, and
``audit_checkpoint`` the signed tree heads that fell due.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Integer, LargeBinary, SmallInteger, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from xinyong.db.base import Base
from xinyong.db.types import UTCDateTime

#: Auto-incremented big-integer keys (SQLite only auto-increments INTEGER PRIMARY KEY).
BigId = BigInteger().with_variant(Integer, "sqlite")


class CanonicalJSON(TypeDecorator[Any]):
    """JSON kept as its canonical text (sorted keys, no spaces, UTF-8): the stored text is
    exactly what the leaf hash covers, so verification needs no re-serialisation."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):  # already canonical text (written by the service)
            return value
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else json.loads(value)


class AuditEntry(Base):
    """Leaf ``seq`` of the Merkle log (0-based, dense, in commit order)."""

    __tablename__ = "audit_entry"

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(32))
    org_id: Mapped[int | None] = mapped_column(Integer)
    org_name: Mapped[str | None] = mapped_column(String(300))
    request_id: Mapped[str | None] = mapped_column(String(64))
    tag: Mapped[str] = mapped_column(String(120), index=True)
    object_type: Mapped[str | None] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(64), index=True)
    subject_id: Mapped[int | None] = mapped_column(Integer, index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(CanonicalJSON())
    after: Mapped[dict[str, Any] | None] = mapped_column(CanonicalJSON())
    reason: Mapped[str | None] = mapped_column(Text)
    #: SHA-256(0x00 ‖ canonical entry bytes) — see ``audit.canonical``.
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class AuditNode(Base):
    """Root of the perfect subtree over leaves ``[index·2^level, (index+1)·2^level)``,
    written by the integration that completes it; proofs read O(log n) of these."""

    __tablename__ = "audit_node"

    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    index: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class AuditHead(Base):
    """The integrated tree (``id = 1``): its size, frontier and root. Integration locks it;
    entries ``[size, audit_sequence.size)`` are sequenced and wait for the next batch."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    size: Mapped[int] = mapped_column(BigInteger)
    #: The frontier: concatenated 32-byte perfect-subtree roots, largest first.
    frontier: Mapped[bytes] = mapped_column(LargeBinary)
    root: Mapped[bytes] = mapped_column(LargeBinary(32))


class AuditSequence(Base):
    """The sequencer (``id = 1``): how many entries the log holds, i.e. the next seq. Every
    append locks it until its transaction ends, so seqs are dense and in commit order."""

    __tablename__ = "audit_sequence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    size: Mapped[int] = mapped_column(BigInteger)


class AuditRoot(Base):
    """The tree root at ``size`` (over entries ``0 … size-1``), written by the integration
    that folds entry ``size - 1`` in: verification checks them and names the first bad one."""

    __tablename__ = "audit_root"

    size: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    root: Mapped[bytes] = mapped_column(LargeBinary(32))


class AuditCheckpoint(Base):
    """A signed tree head: Ed25519 over the checkpoint body (``audit.signing``)."""

    __tablename__ = "audit_checkpoint"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger, index=True)
    root: Mapped[bytes] = mapped_column(LargeBinary(32))
    signature: Mapped[bytes] = mapped_column(LargeBinary(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    key_id: Mapped[str] = mapped_column(String(64))
