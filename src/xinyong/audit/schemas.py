"""What the audit API answers. Hashes and signatures are standard base64."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from pydantic import BaseModel


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


class CheckpointRead(BaseModel):
    """A signed tree head. ``signature`` is Ed25519 over ``body`` (origin, size, base64 root,
    ISO UTC time, one per line); ``public_key`` is the raw 32-byte key, base64."""

    origin: str
    size: int
    root: str
    signature: str
    at: datetime
    key_id: str
    public_key: str
    body: str


class EntryRead(BaseModel):
    seq: int
    at: datetime
    actor_id: int | None
    actor_name: str
    actor_role: str
    org_id: int | None
    org_name: str | None
    request_id: str | None
    tag: str
    object_type: str | None
    object_id: str | None
    subject_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None
    leaf_hash: str
    root: str


class EntryPage(BaseModel):
    entries: list[EntryRead]
    #: Pass as ``after`` for the next page; ``None`` when this page reached the end.
    next: int | None


class InclusionProofRead(BaseModel):
    seq: int
    size: int
    leaf_hash: str
    root: str
    proof: list[str]


class ConsistencyProofRead(BaseModel):
    first: int
    second: int
    first_root: str
    second_root: str
    proof: list[str]
