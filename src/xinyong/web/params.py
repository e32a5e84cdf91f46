"""Typed, bounded path and query parameters shared by the routers (issue 12 item 3).

An id beyond 64 bits names no row and would overflow the database's integer: it is refused as
422 at the edge, as is a page number past any table's end.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Path, Query

from xinyong.core.bounds import MAX_INT

#: The id of a stored row in a path: 1 … 2**63 - 1.
Id = Annotated[int, Path(ge=1, le=MAX_INT)]
#: A page number of a listing (no listing has a billion pages).
MAX_PAGE = 10**9
Page = Annotated[int, Query(ge=1, le=MAX_PAGE)]
#: An id of a stored row in a query string.
IdQuery = Annotated[int, Query(ge=1, le=MAX_INT)]
#: A case's status in a query string (``?status=received``): one of its state's values, or all.
CaseStatus = Annotated[str | None, Query(max_length=16)]
#: A table's order in a query string.
Order = Literal["asc", "desc"]
