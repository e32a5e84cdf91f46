"""The canonical bytes of an audit entry — what its Merkle leaf hash covers (PLT-2).

An entry's bytes are the UTF-8 encoding of one JSON object holding every column but the
hashes, with

* keys sorted, no insignificant whitespace, non-ASCII characters kept as they are
  (``json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``);
* ``"v": 1`` (the format version), ``"seq"`` (the leaf index, so moving content between rows
  changes its hash);
* ``"at"`` as ISO 8601 UTC with microseconds and a ``Z``: ``2026-09-30T02:00:00.000000Z``;
* ``"before"`` / ``"after"`` as the JSON values themselves (or ``null``), serialised the same
  canonical way — the database stores exactly that text, so the bytes are reproducible from
  the columns alone.

:func:`entry_bytes` builds the string by hand for speed (verification runs it for every
entry); the unit tests check it equals the ``json.dumps`` definition above.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from json.encoder import encode_basestring
from typing import Any
from uuid import UUID

FORMAT_VERSION = 1


def iso_utc(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("an audit instant must be timezone-aware")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def jsonable(value: Any) -> Any:
    # Values services naturally hold in before/after snapshots, turned into JSON once, here,
    # so the stored text and the hashed text are the same.
    if isinstance(value, datetime):
        return iso_utc(value) if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"{type(value).__name__} cannot be kept in the audit log")


def json_text(value: dict[str, Any] | None) -> str | None:
    """The canonical JSON text of a snapshot (non-string keys become strings first)."""
    if value is None:
        return None
    plain = json.loads(json.dumps(value, default=jsonable, allow_nan=False))
    return json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


_enc = encode_basestring


def entry_bytes(
    seq: int,
    at: str,
    actor_id: int | None,
    actor_name: str,
    actor_role: str,
    org_id: int | None,
    org_name: str | None,
    request_id: str | None,
    tag: str,
    object_type: str | None,
    object_id: str | None,
    subject_id: int | None,
    before: str | None,
    after: str | None,
    reason: str | None,
) -> bytes:
    """Canonical bytes. ``at`` is already :func:`iso_utc` text; ``before``/``after`` are
    canonical JSON *texts* (as stored). Written inline, without helper calls: verification
    runs this for every entry."""
    n = "null"
    return (
        f'{{"actor_id":{n if actor_id is None else int(actor_id)},'
        f'"actor_name":{_enc(actor_name)},"actor_role":{_enc(actor_role)},'
        f'"after":{n if after is None else after},"at":{_enc(at)},'
        f'"before":{n if before is None else before},'
        f'"object_id":{n if object_id is None else _enc(object_id)},'
        f'"object_type":{n if object_type is None else _enc(object_type)},'
        f'"org_id":{n if org_id is None else int(org_id)},'
        f'"org_name":{n if org_name is None else _enc(org_name)},'
        f'"reason":{n if reason is None else _enc(reason)},'
        f'"request_id":{n if request_id is None else _enc(request_id)},"seq":{int(seq)},'
        f'"subject_id":{n if subject_id is None else int(subject_id)},"tag":{_enc(tag)},'
        f'"v":{FORMAT_VERSION}}}'
    ).encode()
