"""Proof attached to a repair application (Art. 36: "apply … with proof"; RGT-5).

The API takes ``evidence`` as a list whose entries are either a plain string (a description
or a link to where the proof is kept) or an object ``{"name", "content_base64"?,
"content_type"?, "description"?, "url"?}``; the web form uploads files. Either way each entry
becomes an :class:`EvidenceItem`; files are kept byte for byte with their SHA-256, so that what
the provider decided on can be shown later exactly as filed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import mimetypes
from dataclasses import dataclass
from typing import Any

from xinyong.core.errors import InvalidInput

MAX_ITEMS = 20
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_TOTAL_BYTES = 20 * 1024 * 1024
MAX_TEXT = 2000
_KEYS = frozenset({"name", "content_base64", "content_type", "description", "url"})


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    name: str
    description: str = ""
    url: str = ""
    content: bytes | None = None
    content_type: str = ""

    @property
    def sha256(self) -> str | None:
        return hashlib.sha256(self.content).hexdigest() if self.content is not None else None

    def metadata(self, file_id: int | None = None) -> dict[str, Any]:
        """What the application row keeps of the item (the bytes go to ``repair_evidence``)."""
        return {
            "name": self.name,
            "description": self.description,
            "url": self.url,
            "content_type": self.content_type or None,
            "size": len(self.content) if self.content is not None else None,
            "sha256": self.sha256,
            "file_id": file_id,
        }


def _bad(index: int, reason: str) -> InvalidInput:
    return InvalidInput(
        f"第 {index + 1} 项证明材料有误：{reason} / evidence item {index + 1}: {reason}",
        details=[{"field": f"evidence[{index}]", "reason": reason}],
    )


def _text(value: Any, index: int, key: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _bad(index, f"{key} must be a string")
    text: str = value.strip()
    if len(text) > MAX_TEXT:
        raise _bad(index, f"{key} longer than {MAX_TEXT} characters")
    return text


def _guess_type(name: str) -> str:
    guessed = mimetypes.guess_type(name)[0]
    return guessed or "application/octet-stream"


def file_item(
    name: str, content: bytes, content_type: str = "", description: str = ""
) -> EvidenceItem:
    """An uploaded file (the web form), with the same limits as the API."""
    clean = (name or "").strip().replace("\\", "/").rsplit("/", 1)[-1][:255] or "evidence"
    if len(content) > MAX_FILE_BYTES:
        raise _bad(0, f"file {clean} larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    return EvidenceItem(
        name=clean,
        description=description.strip()[:MAX_TEXT],
        content=content,
        content_type=(content_type or "").strip()[:100] or _guess_type(clean),
    )


def _item(raw: Any, index: int) -> EvidenceItem:
    if isinstance(raw, str):
        text = _text(raw, index, "evidence")
        if not text:
            raise _bad(index, "empty")
        is_link = text.startswith(("http://", "https://"))
        return EvidenceItem(name=text[:255], description=text, url=text if is_link else "")
    if not isinstance(raw, dict):
        raise _bad(index, "a string or an object {name, content_base64?, description?, url?}")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise _bad(index, f"unknown keys {', '.join(unknown)}")
    name = _text(raw.get("name"), index, "name")[:255]
    description = _text(raw.get("description"), index, "description")
    url = _text(raw.get("url"), index, "url")
    encoded = raw.get("content_base64")
    if encoded is None:
        if not (name or description or url):
            raise _bad(index, "name, description, url or content_base64 required")
        return EvidenceItem(name=name or url or description[:255], description=description, url=url)
    if not isinstance(encoded, str):
        raise _bad(index, "content_base64 must be a string")
    if len(encoded) > MAX_FILE_BYTES * 4 // 3 + 8:
        raise _bad(index, f"file larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        content = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise _bad(index, "content_base64 is not valid base64") from None
    if not name:
        raise _bad(index, "a file needs its name")
    item = file_item(name, content, _text(raw.get("content_type"), index, "content_type"))
    return EvidenceItem(
        name=item.name,
        description=description,
        url=url,
        content=content,
        content_type=item.content_type,
    )


def parse_evidence(raw: list[Any] | None) -> list[EvidenceItem]:
    """The entries of the API's ``evidence`` list, checked (422 naming the bad entry)."""
    entries = list(raw or [])
    if len(entries) > MAX_ITEMS:
        raise InvalidInput(
            f"证明材料最多 {MAX_ITEMS} 项 / at most {MAX_ITEMS} evidence items",
            details=[{"field": "evidence", "reason": f"at most {MAX_ITEMS} items"}],
        )
    items = [_item(entry, i) for i, entry in enumerate(entries)]
    check_total(items)
    return items


def check_total(items: list[EvidenceItem]) -> None:
    total = sum(len(i.content) for i in items if i.content is not None)
    if total > MAX_TOTAL_BYTES:
        raise InvalidInput(
            f"证明材料合计不得超过 {MAX_TOTAL_BYTES // (1024 * 1024)} MB / evidence files "
            f"together exceed {MAX_TOTAL_BYTES // (1024 * 1024)} MB",
            details=[{"field": "evidence", "reason": "too large"}],
        )
