"""The public search's shape (DIS-1, DIS-2): one paging rule, one code test, one refusal of a
short fragment, for both places that answer it — the core (``disclosure.service``) and the
publication store (``publication.service``), which must give the same answers."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from xinyong.core import identifiers as ids
from xinyong.core.errors import InvalidInput
from xinyong.disclosure.schemas import PublicSearchRead, PublicSubjectBrief
from xinyong.subjects.rules import normalize_name

MIN_NAME_FRAGMENT = 2
MAX_LIMIT = 50


def looks_like_code(value: str) -> bool:
    return len(value) == ids.LENGTH and value.isascii() and value.isalnum()


def public_search(
    q: str,
    *,
    limit: int,
    page: int,
    by_code: Callable[[str], PublicSubjectBrief | None],
    by_name: Callable[[str, int, int], Sequence[PublicSubjectBrief]],
) -> PublicSearchRead:
    """An exact code (``by_code``, asked on the first page only) or a name fragment of two or
    more characters (``by_name(key, limit, offset)``, asked for one more than the page holds
    to tell whether another page follows)."""
    if not 1 <= limit <= MAX_LIMIT or page < 1:
        raise InvalidInput(
            f"分页参数无效（limit 1–{MAX_LIMIT}，page ≥ 1）/ invalid paging: limit must be "
            f"1–{MAX_LIMIT} and page at least 1",
            details=[{"field": "limit", "reason": f"1–{MAX_LIMIT}"}],
        )
    code = ids.normalize_identifier(q)
    if looks_like_code(code):
        found = by_code(code) if page == 1 else None
        items = [found] if found is not None else []
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
    briefs = by_name(key, limit + 1, (page - 1) * limit)
    return PublicSearchRead(
        items=list(briefs[:limit]),
        page=page,
        limit=limit,
        matched_by="name",
        has_more=len(briefs) > limit,
    )
