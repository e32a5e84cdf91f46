"""Helpers shared by the role pages: form fields, problems, in-memory paging, CSV downloads.

Who may open a page is ``components.PageGate``; a table's query is ``components.TableSpec``.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.responses import Response

from xinyong.core.actor import Actor, Role
from xinyong.core.errors import XinyongError
from xinyong.core.tabular import csv_writer
from xinyong.web.errors import status_for
from xinyong.web.ui.components.actor import page_gate
from xinyong.web.ui.components.table import Table

__all__ = ["FormFields", "Problem", "Table", "csv_response", "gate", "paged", "problem_of"]

T = TypeVar("T")


def gate(request: Request, actor: Actor, roles: frozenset[Role]) -> Response | None:
    """Kept for pages not yet moved to ``components.PageGate`` (prefer the dependency)."""
    return page_gate(request, actor, roles)


async def _form_fields(request: Request) -> dict[str, str]:
    """A POSTed form's text fields (names not known in advance, e.g. an item's fields)."""
    form = await request.form()
    return {k: v for k, v in form.multi_items() if isinstance(v, str)}


#: The text fields of a POSTed form, read once by an async dependency so that the router
#: itself can stay synchronous (its database calls must not block the event loop).
FormFields = Annotated[dict[str, str], Depends(_form_fields)]


@dataclass(frozen=True, slots=True)
class Problem:
    """A failure a form shows: the message and the field-level details."""

    status: int
    message: str
    details: list[str]


def problem_of(exc: XinyongError) -> Problem:
    details = []
    for d in exc.details:
        where = " · ".join(str(d[k]) for k in ("line", "field") if d.get(k) is not None)
        reason = d.get("reason") or d.get("message") or ""
        details.append(f"{where}: {reason}" if where else str(reason))
    return Problem(status_for(exc), exc.message, [d for d in details if d])


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
