"""Rows bound to the audit log (PLT-2; Art. 18, 20, 44).

The Merkle log proves that its *entries* were not changed. The rows they describe — a record's
versions, the inquiry log, the violation register — live in their own tables, where a person
with database access could edit a field, delete a version or change a status. So the entry
written with each such row carries the row's digest, and :func:`verify_bindings` recomputes
every row's digest and compares it with its entry, naming what differs:

* ``record_version``: each version's entry (``records:record:create|amend|withdraw``) holds
  ``version`` and ``row_digest``; a bulk chunk's entry (``records:batch:chunk``) holds the
  ``record_ids`` it wrote (as ranges) and ``rows_sha256`` over their version rows' digests in
  id order. The record's head (current version, status, content hash) must be its latest
  version's.
* ``inquiry`` and ``violation``: the entry whose object is the row holds its ``row_digest``;
  rows written in bulk (an inquiry-log row per subject a feed page or an export showed) are
  bound by their entry's ``row_ids`` (ranges) and ``rows_sha256``.

A row's digest is SHA-256 of the canonical JSON (``canonical.json_text``) of its columns, all
but a surrogate ``id`` where the row is keyed otherwise. The audit context knows these tables
by name only (``db.registry``): it imports none of the contexts that own them.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, Table, select
from sqlalchemy.orm import Session

from xinyong.audit.canonical import json_text, jsonable
from xinyong.audit.models import AuditEntry
from xinyong.db.base import Base
from xinyong.db.registry import load_all_models

VERSION_TAGS = ("records:record:create", "records:record:amend", "records:record:withdraw")
CHUNK_TAG = "records:batch:chunk"
ROW_TAGS = {"inquiry": "inquiry", "violation": "violation"}
#: Columns left out of a row's digest (surrogate keys of rows keyed otherwise).
_LEFT_OUT = {"record_version": frozenset({"id"})}


def row_digest(values: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of a row's columns as canonical JSON."""
    text = json_text(dict(values)) or "null"
    return hashlib.sha256(text.encode()).hexdigest()


def columns_of(table: str, obj: Any) -> dict[str, Any]:
    """The digestible columns of an ORM row object of ``table``."""
    left_out = _LEFT_OUT.get(table, frozenset())
    t = Base.metadata.tables[table]
    return {c.name: getattr(obj, c.key) for c in t.columns if c.name not in left_out}


def digest_of(table: str, obj: Any) -> str:
    return row_digest(columns_of(table, obj))


def digest_of_values(table: str, values: Mapping[str, Any]) -> str:
    """:func:`digest_of` a row written from ``values`` (by column name) rather than an ORM
    object: every digestible column must be there (a missing one is a KeyError, not a
    digest the verifier would not reproduce)."""
    left_out = _LEFT_OUT.get(table, frozenset())
    t = Base.metadata.tables[table]
    return row_digest({c.name: values[c.name] for c in t.columns if c.name not in left_out})


def id_ranges(ids: Iterable[int]) -> list[list[int]]:
    """Sorted ids as inclusive ``[first, last]`` ranges (a chunk's ids are mostly one)."""
    ranges: list[list[int]] = []
    for i in sorted(ids):
        if ranges and i == ranges[-1][1] + 1:
            ranges[-1][1] = i
        else:
            ranges.append([i, i])
    return ranges


def rows_sha256(digests: Iterable[tuple[int, str]]) -> str:
    """One SHA-256 over ``(record id, row digest)`` pairs in record-id order."""
    h = hashlib.sha256()
    for rid, digest in sorted(digests):
        h.update(f"{rid}:{digest}\n".encode())
    return h.hexdigest()


@dataclass(slots=True)
class BindingResult:
    ok: bool
    rows: int = 0
    code: str | None = None
    problem: str | None = None


class _Bad(Exception):
    def __init__(self, code: str, problem: str) -> None:
        super().__init__(problem)
        self.code, self.problem = code, problem


@dataclass(slots=True)
class _Chunk:
    seq: int
    expected: str
    pairs: list[tuple[int, str]] = field(default_factory=list)


@dataclass(slots=True)
class _Chunks:
    """Entries that bind many rows at once: their id ranges and one digest over the rows."""

    chunks: list[_Chunk] = field(default_factory=list)
    #: (first id, last id, chunk index), sorted by first id.
    spans: list[tuple[int, int, int]] = field(default_factory=list)

    def add(self, seq: int, expected: str, ranges: Iterable[Sequence[int]]) -> None:
        self.chunks.append(_Chunk(seq, expected))
        for first, last in ranges:
            self.spans.append((int(first), int(last), len(self.chunks) - 1))

    def chunk_of(self, row_id: int) -> _Chunk | None:
        i = bisect.bisect_right(self.spans, (row_id, float("inf"), 0)) - 1
        if i >= 0 and self.spans[i][0] <= row_id <= self.spans[i][1]:
            return self.chunks[self.spans[i][2]]
        return None

    def check(self, what: str) -> None:
        for chunk in self.chunks:
            if rows_sha256(chunk.pairs) != chunk.expected:
                raise _Bad(f"{what}_edited", f"审计条目 {chunk.seq} 所写的行被修改或删除 / "
                           f"{what} rows written with audit entry {chunk.seq} were edited or "
                           "deleted")  # fmt: skip


@dataclass(slots=True)
class _Expected:
    versions: dict[tuple[int, int], tuple[str, int]] = field(default_factory=dict)
    rows: dict[str, dict[int, tuple[str, int]]] = field(default_factory=dict)
    #: Bulk-delivered records (by record id) and rows of other tables written in bulk.
    batches: dict[str, _Chunks] = field(default_factory=dict)

    def chunks(self, table: str) -> _Chunks:
        return self.batches.setdefault(table, _Chunks())


def _expected(session: Session) -> _Expected:
    exp = _Expected(rows={t: {} for t in ROW_TAGS.values()})
    tags = [*VERSION_TAGS, CHUNK_TAG]
    stmt = (
        select(AuditEntry.seq, AuditEntry.tag, AuditEntry.object_type, AuditEntry.object_id)
        .add_columns(AuditEntry.__table__.c.after)
        .where((AuditEntry.tag.in_(tags)) | (AuditEntry.object_type.in_(list(ROW_TAGS))))
        .order_by(AuditEntry.seq)
    )
    for seq, tag, object_type, object_id, after_text in session.execute(
        stmt, execution_options={"yield_per": 5000}
    ):
        after = _loads(after_text)
        if not isinstance(after, dict):
            continue
        if tag in VERSION_TAGS and "row_digest" in after and object_id is not None:
            exp.versions[(int(object_id), int(after.get("version", 1)))] = (
                after["row_digest"],
                seq,
            )
        elif tag == CHUNK_TAG and "rows_sha256" in after:
            exp.chunks("record_version").add(
                seq, str(after["rows_sha256"]), after.get("record_ids") or []
            )
        elif object_type in ROW_TAGS and "rows_sha256" in after:
            exp.chunks(ROW_TAGS[object_type]).add(
                seq, str(after["rows_sha256"]), after.get("row_ids") or []
            )
        elif object_type in ROW_TAGS and "row_digest" in after and object_id is not None:
            exp.rows[ROW_TAGS[object_type]][int(object_id)] = (after["row_digest"], seq)
    for chunks in exp.batches.values():
        chunks.spans.sort()
    return exp


def _loads(value: Any) -> Any:
    if value is None or isinstance(value, dict):
        return value
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return None


def _table(name: str) -> Table:
    load_all_models()
    return Base.metadata.tables[name]


#: The canonical JSON of :func:`~xinyong.audit.canonical.json_text` in one pass, for values
#: read back from the database: their JSON columns hold string keys only, and for such values
#: one pass writes the very text the two passes of ``json_text`` write (tested).
_CANONICAL = json.JSONEncoder(
    default=jsonable, allow_nan=False, sort_keys=True, separators=(",", ":"), ensure_ascii=False
)
#: The same for a dict already in key order holding no dict: nothing left to sort.
_IN_ORDER = json.JSONEncoder(
    default=jsonable, allow_nan=False, separators=(",", ":"), ensure_ascii=False
)
#: What the canonical text turns into plain values (:func:`~xinyong.audit.canonical.jsonable`).
_CONVERTED = (datetime, date, Enum, Decimal, UUID, set, frozenset, bytes)


def _ready(column: Sequence[Any]) -> Sequence[Any]:
    """One column of a batch with its values as the canonical text holds them (datetimes as
    ISO text, enums as their values…), converted once here instead of one callback per value
    inside the JSON encoder; the other columns as they are."""
    sample = next((v for v in column if v is not None), None)
    if not isinstance(sample, _CONVERTED):
        return column
    return [v if v is None else jsonable(v) for v in column]


def _flat(value: Any) -> bool:
    """Whether a JSON value holds no dict (nothing whose keys need sorting) at any depth."""
    if isinstance(value, dict):
        return False
    return not isinstance(value, list) or all(_flat(v) for v in value)


def _stream(
    session: Session, table: Table, order: Sequence[str]
) -> Iterator[tuple[dict[str, Any], str]]:
    """``table``'s rows in ``order``, each as its columns (values converted as its digest
    has them) and its digest (:func:`row_digest` of all but the :data:`_LEFT_OUT` columns), a
    batch of rows at a time: one conversion per column, the keys put in order once, one
    encoder, one hash per row."""
    left_out = _LEFT_OUT.get(table.name, frozenset())
    digested = sorted(c.name for c in table.columns if c.name not in left_out)
    rest = [c.name for c in table.columns if c.name in left_out]
    selected = [table.c[k] for k in digested + rest]
    json_columns = [i for i, c in enumerate(selected) if isinstance(c.type, JSON)]
    stmt = select(*selected)
    stmt = stmt.order_by(*(table.c[c] for c in order))
    width, sha = len(digested), hashlib.sha256
    result = session.execute(stmt, execution_options={"yield_per": 5000})
    for part in result.partitions():
        columns = [_ready(column) for column in zip(*part, strict=True)]
        flat = all(_flat(v) for i in json_columns for v in columns[i])
        encode = (_IN_ORDER if flat else _CANONICAL).encode
        for values in zip(*columns, strict=True):
            row = dict(zip(digested, values[:width], strict=True))
            digest = sha(encode(row).encode()).hexdigest()
            if rest:
                row.update(zip(rest, values[width:], strict=True))
            yield row, digest


def _check_versions(session: Session, exp: _Expected) -> int:
    versions, records = _table("record_version"), _table("record")
    heads: dict[int, tuple[int, str, str]] = {}
    n = 0
    for m, digest in _stream(session, versions, ("record_id", "version")):
        rid, version = int(m["record_id"]), int(m["version"])
        where = f"记录 {rid} 第 {version} 版 / record {rid} version {version}"
        bound = exp.versions.pop((rid, version), None)
        if bound is not None:
            if bound[0] != digest:
                raise _Bad("record_edited", f"{where} 与审计条目 {bound[1]} 不符，被修改 / was "
                           f"edited: it no longer matches audit entry {bound[1]}")  # fmt: skip
        else:
            chunk = exp.chunks("record_version").chunk_of(rid) if version == 1 else None
            if chunk is None:
                raise _Bad("record_unlogged", f"{where} 没有审计条目 / has no audit entry: "
                           "written behind the log's back")  # fmt: skip
            chunk.pairs.append((rid, digest))
        status = m["status"]
        heads[rid] = (version, getattr(status, "value", str(status)), str(m["content_hash"]))
        n += 1
    if exp.versions:
        (rid, version), (_, seq) = min(exp.versions.items())
        raise _Bad("record_version_missing", f"记录 {rid} 第 {version} 版缺失 / record {rid} "
                   f"version {version} is missing (deleted); audit entry {seq} "
                   "records it")  # fmt: skip
    exp.chunks("record_version").check("record")
    for m, _digest in _stream(session, records, ("id",)):
        rid = int(m["id"])
        head = heads.pop(rid, None)
        status = m["status"]
        current = (int(m["current_version"]), getattr(status, "value", str(status)))
        if head is None:
            raise _Bad("record_unlogged", f"记录 {rid} 没有版本 / record {rid} has no "
                       "version")  # fmt: skip
        if current != head[:2] or str(m["content_hash"]) != head[2]:
            raise _Bad("record_head_changed", f"记录 {rid} 的当前状态与其最新版本不符 / record "
                       f"{rid}: its head (version {current[0]}, status {current[1]}) is not its "
                       f"latest version {head[0]} ({head[1]})")  # fmt: skip
    return n


def _check_rows(session: Session, exp: _Expected, name: str) -> int:
    table = _table(name)
    bound = exp.rows[name]
    n = 0
    for m, digest in _stream(session, table, ("id",)):
        key = int(m["id"])
        found = bound.pop(key, None)
        chunk = exp.chunks(name).chunk_of(key) if found is None else None
        if chunk is not None:
            chunk.pairs.append((key, digest))
            n += 1
            continue
        if found is None:
            raise _Bad(f"{name}_unlogged", f"{name} {key} 没有审计条目 / {name} row {key} has no "
                       "audit entry: written behind the log's back")  # fmt: skip
        if found[0] != digest:
            raise _Bad(f"{name}_edited", f"{name} {key} 被修改 / {name} row {key} was edited: it "
                       f"no longer matches audit entry {found[1]}")  # fmt: skip
        n += 1
    exp.chunks(name).check(name)
    if bound:
        key, (_, seq) = min(bound.items())
        raise _Bad(f"{name}_missing", f"{name} {key} 缺失 / {name} row {key} is missing "
                   f"(deleted); audit entry {seq} records it")  # fmt: skip
    return n


def verify_bindings(session: Session) -> BindingResult:
    """Every record version, inquiry-log row and violation against its audit entry."""
    exp = _expected(session)
    try:
        n = _check_versions(session, exp)
        for name in ROW_TAGS.values():
            n += _check_rows(session, exp, name)
    except _Bad as bad:
        return BindingResult(ok=False, code=bad.code, problem=bad.problem)
    return BindingResult(ok=True, rows=n)
