"""Helpers shared by the role pages: form fields, problems, in-memory paging, CSV downloads.

Who may open a page is ``components.PageGate``; a table's query is ``components.TableSpec``.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fastapi import Request
from fastapi.responses import Response

from xinyong.core.tabular import csv_writer
from xinyong.web.ui.components.forms import FormFields, PostedForm, Problem, problem_of, render_form
from xinyong.web.ui.components.table import Table

__all__ = [
    "FormFields",
    "Listing",
    "PostedForm",
    "Problem",
    "Table",
    "choice",
    "csv_response",
    "listing",
    "paged",
    "problem_of",
    "render_form",
]

T = TypeVar("T")


def paged(items: Sequence[T], page: int, per_page: int) -> tuple[list[T], int, int]:
    """One page of an in-memory list: (items, page actually shown, number of pages)."""
    pages = max(1, -(-len(items) // per_page))
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    return list(items[start : start + per_page]), page, pages


def sorted_by(items: Iterable[T], key: Callable[[T], Any], descending: bool) -> list[T]:
    """Sort with ``None`` last whatever the direction (an empty cell is not a small value)."""
    listed = list(items)
    present = [i for i in listed if key(i) is not None]
    missing = [i for i in listed if key(i) is None]
    return sorted(present, key=key, reverse=descending) + missing


def choice(value: str, allowed: Collection[str], default: str) -> str:
    """A query value from a fixed set; anything else is the default (never a 422 page)."""
    return value if value in allowed else default


@dataclass(frozen=True, slots=True)
class Listing(Generic[T]):
    """An in-memory table as its query string asks: the rows filtered and sorted, the filters
    shown, the sort and order; one page of it, or all of it for the CSV twin."""

    rows: list[T]
    filters: dict[str, str]
    sort: str
    order: str

    def page(self, path: str, page: int, per_page: int) -> tuple[list[T], Table]:
        """The rows of ``page`` and the table's links (the page clamped to the last one)."""
        shown, page, pages = paged(self.rows, page, per_page)
        table = Table(path, self.sort, self.order, page, pages, len(self.rows), self.filters)
        return shown, table


def listing(
    request: Request, rows: Iterable[T], filters: dict[str, str], sorts: Sequence[str]
) -> Listing[T]:
    """Sort ``rows`` by the query's ``sort`` (one of ``sorts``, the first by default) and
    ``order`` (``asc`` by default); a value from outside either set is the default."""
    q = request.query_params
    sort = choice(q.get("sort", ""), sorts, sorts[0])
    order = choice(q.get("order", ""), ("asc", "desc"), "asc")
    return Listing(
        sorted_by(rows, lambda r: getattr(r, sort), order == "desc"), filters, sort, order
    )


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    # A BOM so that spreadsheet programs read Chinese text as UTF-8.
    return Response(
        "\ufeff" + buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
