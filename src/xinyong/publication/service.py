"""The public channel served from the publication store (issue 15; DIS-1…3, Art. 17–18).

Same questions, same answers, same errors as ``disclosure.service.public_search`` and
``public_subject`` — but read from the store, so the public server needs no core database.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy.orm import Session

from xinyong.core import identifiers as ids
from xinyong.core.errors import InvalidInput, NotFound
from xinyong.disclosure.schemas import PublicSearchRead, PublicSubjectBrief, PublicSubjectRead
from xinyong.publication import reads
from xinyong.publication.schemas import OpenDataFile, OpenDataIndex
from xinyong.subjects.rules import normalize_name

MIN_NAME_FRAGMENT = 2
MAX_LIMIT = 50
_NOT_FOUND = "未找到该主体的公开信息 / no public information on this subject"
ITEM_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def _looks_like_code(value: str) -> bool:
    return len(value) == ids.LENGTH and value.isascii() and value.isalnum()


def public_subject_json(session: Session, *, code: str) -> str:
    """The stored answer of ``GET /public/subjects/{code}``, as the API sends it."""
    row = reads.subject(session, ids.normalize_identifier(code))
    if row is None:
        raise NotFound(_NOT_FOUND, code="subject_not_found")
    return row[2]


def public_subject(session: Session, *, code: str) -> PublicSubjectRead:
    return PublicSubjectRead.model_validate_json(public_subject_json(session, code=code))


def public_search(session: Session, *, q: str, limit: int = 20, page: int = 1) -> PublicSearchRead:
    """By exact code (a person only while something of theirs is public) or a name fragment of
    two or more characters (organisations only; DIS-3)."""
    if not 1 <= limit <= MAX_LIMIT or page < 1:
        raise InvalidInput(
            f"分页参数无效（limit 1–{MAX_LIMIT}，page ≥ 1）/ invalid paging: limit must be "
            f"1–{MAX_LIMIT} and page at least 1",
            details=[{"field": "limit", "reason": f"1–{MAX_LIMIT}"}],
        )
    code = ids.normalize_identifier(q)
    if _looks_like_code(code):
        row = reads.subject(session, code) if page == 1 else None
        items = [PublicSubjectBrief.model_validate_json(row[1])] if row is not None else []
        return PublicSearchRead(
            items=items, page=page, limit=limit, matched_by="code", has_more=False
        )
    key = normalize_name(q)
    if len(key) < MIN_NAME_FRAGMENT:
        raise InvalidInput(
            f"请至少输入 {MIN_NAME_FRAGMENT} 个字符 / type at least {MIN_NAME_FRAGMENT} "
            "characters of the name, or the full code",
            code="query_too_short",
            details=[{"field": "q", "reason": f"at least {MIN_NAME_FRAGMENT} characters"}],
        )
    briefs = reads.search_names(session, key, limit=limit + 1, offset=(page - 1) * limit)
    return PublicSearchRead(
        items=[PublicSubjectBrief.model_validate_json(b) for b in briefs[:limit]],
        page=page,
        limit=limit,
        matched_by="name",
        has_more=len(briefs) > limit,
    )


def open_data_index(session: Session) -> OpenDataIndex:
    """``GET /public/open-data``: every file with its record count and SHA-256."""
    return OpenDataIndex(
        items=[
            OpenDataFile(
                item=f.item,
                date=f.day,
                format=f.format,
                records=f.records,
                sha256=f.sha256,
                url=f"/api/v1/public/open-data/{f.item}/{f.day.isoformat()}.{f.format}",
                checkpoint=json.loads(f.checkpoint) if f.checkpoint else None,
            )
            for f in reads.open_data_index(session)
        ]
    )


def open_data_file(session: Session, *, item: str, day: str, fmt: str) -> tuple[str, str]:
    """``(content, sha256)`` of one file; unknown item, day or format → 404."""
    try:
        when = date.fromisoformat(day)
    except ValueError:
        raise InvalidInput(
            "日期格式应为 YYYY-MM-DD / the date must be YYYY-MM-DD",
            details=[{"field": "date", "reason": "YYYY-MM-DD"}],
        ) from None
    found = None
    if len(item) <= 64 and set(item) <= ITEM_CHARS:
        found = reads.open_data_file(session, item, when, fmt)
    if found is None:
        raise NotFound(
            "没有这一天该事项的开放数据 / no open-data file for this item and day",
            code="open_data_not_found",
        )
    return found.content, found.sha256
