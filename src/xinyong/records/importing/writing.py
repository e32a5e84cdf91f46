"""Writing a chunk's new records: ``record`` and ``record_version`` rows through the driver's
bulk path (``db.bulk``: executemany on SQLite, ``COPY`` on PostgreSQL), ids allocated first so
nothing is read back, and what the chunk's audit entry and the records-changed handlers need
of the rows written — their digests and heads — computed from the values written.

Built once per import: the columns that are the same for every row (provenance, the actor,
the instant) are converted and encoded once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from json.encoder import encode_basestring
from typing import Any, cast

from sqlalchemy import Connection, Table

from xinyong.audit.canonical import json_text
from xinyong.db.bulk import TableWriter, allocate_ids
from xinyong.records.events import RecordHead
from xinyong.records.models import Record, RecordStatus, RecordVersion, Severity
from xinyong.records.rules import CleanRow

#: Columns of ``record`` and ``record_version`` that differ from row to row; the others are
#: the same for the whole import.
_RECORD_COLUMNS = (
    "id", "subject_id", "source_key", "severity", "decided_on", "document_no", "content_hash",
)  # fmt: skip
_VERSION_COLUMNS = (
    "record_id", "subject_id", "fields", "severity", "decided_on", "document_no", "content_hash",
)  # fmt: skip
_SEVERITIES = {s.value: s for s in Severity}
_PLAIN = (str, int, bool, type(None))
#: ``audit.canonical.json_text`` of a dict with text keys and plain values.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class Provenance:
    """What every record of one import shares (COL-2)."""

    provider_org_id: int | None
    item_code: str
    item_version_id: int | None
    polarity: str
    publicity: str
    channel: Any
    self_declared: bool
    agreement_id: int | None
    batch_id: int
    at: datetime
    actor_id: int | None
    actor_name: str


@dataclass(slots=True)
class Written:
    """The records of one chunk as written, in the order of the rows given."""

    ids: list[int]
    #: (record id, digest of its version row) — what the chunk's audit entry binds.
    digests: list[tuple[int, str]]
    heads: tuple[RecordHead, ...]


def _json_value(value: Any) -> str:
    """The canonical JSON (``audit.canonical.json_text``) of one column value."""
    text = json_text({"v": value})
    assert text is not None
    return text[5:-1]


class VersionDigester:
    """``audit.binding.row_digest`` of first-version rows, from a template: the canonical JSON
    of a row is its columns in name order, so the constant ones are encoded once and each
    row's own values, already as JSON text (:func:`as_json`), are put between them (a bulk
    import writes hundreds of thousands)."""

    __slots__ = ("_template",)

    def __init__(self, table: Table, constants: Mapping[str, Any], varying: Sequence[str]):
        names = sorted(c.name for c in table.columns if c.name != "id")
        unknown = set(varying).union(constants).difference(names)
        if unknown:
            raise ValueError(f"not columns of {table.name}: {sorted(unknown)}")
        pieces = []
        for name in names:
            if name in varying:
                value = "{%d}" % varying.index(name)  # noqa: UP031 (a format field, built)
            else:
                value = _json_value(constants.get(name)).replace("{", "{{").replace("}", "}}")
            key = encode_basestring(name).replace("{", "{{").replace("}", "}}")
            pieces.append(f"{key}:{value}")
        self._template = "{{" + ",".join(pieces) + "}}"

    def digest(self, texts: Sequence[str]) -> str:
        """``texts``: the JSON of the varying columns, in the order they were named."""
        return hashlib.sha256(self._template.format(*texts).encode()).hexdigest()


def as_json(value: Any) -> str:
    """What ``audit.canonical.json_text`` writes for a column value: fast for the values a
    version row holds (text, whole numbers, dates, ``None``, fields of plain values)."""
    cls = value.__class__
    if cls is str:
        return encode_basestring(value)
    if cls is int:
        return str(value)
    if value is None:
        return "null"
    if cls is date:
        return f'"{value.isoformat()}"'
    if cls is dict and all(k.__class__ is str and v.__class__ in _PLAIN for k, v in value.items()):
        return _CANONICAL.encode(value)  # what json_text writes, without its round trip
    return _json_value(value)


class ChunkWriter:
    """Inserts records and their first versions, one chunk at a time."""

    __slots__ = ("_digester", "_prov", "_records", "_versions")

    def __init__(self, dialect: Any, prov: Provenance) -> None:
        self._prov = prov
        self._records = TableWriter(
            dialect,
            cast(Table, Record.__table__),
            _RECORD_COLUMNS,
            {
                "provider_org_id": prov.provider_org_id,
                "item_code": prov.item_code,
                "item_version_id": prov.item_version_id,
                "status": RecordStatus.ACTIVE,
                "current_version": 1,
                "polarity": prov.polarity,
                "publicity": prov.publicity,
                "channel": prov.channel,
                "self_declared": prov.self_declared,
                "agreement_id": prov.agreement_id,
                "batch_id": prov.batch_id,
                "received_at": prov.at,
                "received_by_id": prov.actor_id,
                "received_by_name": prov.actor_name,
            },
        )
        version_constants = {
            "version": 1,
            "status": RecordStatus.ACTIVE,
            "actor_id": prov.actor_id,
            "actor_name": prov.actor_name,
            "at": prov.at,
        }
        table = cast(Table, RecordVersion.__table__)
        # The fields go in as the canonical JSON the content hash already encoded.
        self._versions = TableWriter(
            dialect, table, _VERSION_COLUMNS, version_constants, stored=frozenset({"fields"})
        )
        self._digester = VersionDigester(table, version_constants, _VERSION_COLUMNS)

    def write(self, conn: Connection, rows: Sequence[tuple[CleanRow, int]]) -> Written:
        """``rows``: (validated row, subject id) each."""
        if not rows:
            return Written([], [], ())
        ids = allocate_ids(conn, cast(Table, Record.__table__), len(rows))
        versions = [
            (rid, sid, r.fields, r.severity, r.decided_on, r.document_no, r.content_hash)
            for rid, (r, sid) in zip(ids, rows, strict=True)
        ]
        texts = [r.fields_json or as_json(r.fields) for r, _ in rows]
        self._records.write(
            conn,
            (
                (rid, sid, r.source_key, sev, decided, doc, h)
                for (rid, sid, _, sev, decided, doc, h), (r, _) in zip(versions, rows, strict=True)
            ),
        )
        self._versions.write(
            conn,
            (
                (rid, sid, text, sev, decided, doc, h)
                for (rid, sid, _, sev, decided, doc, h), text in zip(versions, texts, strict=True)
            ),
        )
        digest, j = self._digester.digest, as_json
        digests = [
            (
                rid,
                digest(
                    (
                        str(rid),
                        str(sid),
                        text,
                        j(sev),
                        j(decided),
                        j(doc),
                        j(h),
                    )
                ),
            )
            for (rid, sid, _, sev, decided, doc, h), text in zip(versions, texts, strict=True)
        ]
        return Written(ids, digests, self._heads(versions))

    def _heads(self, versions: list[tuple[Any, ...]]) -> tuple[RecordHead, ...]:
        p = self._prov
        code, version_id, org, polarity = (
            p.item_code,
            p.item_version_id,
            p.provider_org_id,
            p.polarity,
        )
        # Positional, in RecordHead's order: id, subject, item, its version, provider, current
        # version, polarity, severity, decision date, fields.
        return tuple(
            RecordHead(
                rid,
                sid,
                code,
                version_id,
                org,
                1,
                polarity,
                _SEVERITIES.get(sev or ""),
                decided,
                fields,
            )
            for rid, sid, fields, sev, decided, _, _ in versions
        )
