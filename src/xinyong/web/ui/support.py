"""Helpers shared by the role pages: who may open a page, form fields, tables, CSV downloads.

Pages only establish the actor; the services authorise each action. What a page does here is
the browser's courtesy: the public is sent to the login page (and back afterwards), an account
of another role gets the 403 page instead of a form that every service call would refuse.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar
from urllib.parse import quote, urlencode

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from xinyong.core.actor import Actor, Role
from xinyong.core.errors import XinyongError
from xinyong.core.tabular import csv_writer
from xinyong.web.errors import status_for
from xinyong.web.pages import render_error_page

T = TypeVar("T")


def gate(request: Request, actor: Actor, roles: frozenset[Role]) -> Response | None:
    """``None`` when ``actor`` may open this page; else the redirect to the login page (the
    public) or the 403 page (another role)."""
    if actor.is_anonymous:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    if actor.role not in roles:
        message = (
            f"此页面仅供{'、'.join(sorted(r.value for r in roles))}使用 / this page is for "
            f"{', '.join(sorted(r.value for r in roles))} accounts only"
        )
        return render_error_page(request, 403, "forbidden", message)
    return None


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


@dataclass(frozen=True, slots=True)
class Table:
    """Sort, order and page of a table, and how its links are made (every table sorts, pages
    and exports CSV, DESIGN §6)."""

    path: str
    sort: str
    order: str
    page: int
    pages: int
    total: int
    filters: dict[str, str]

    def query(self, **changes: Any) -> str:
        values: dict[str, Any] = {
            **{k: v for k, v in self.filters.items() if v},
            "sort": self.sort,
            "order": self.order,
            "page": self.page,
        }
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})

    def sort_link(self, key: str) -> str:
        order = "desc" if self.sort == key and self.order == "asc" else "asc"
        return f"{self.path}?{self.query(sort=key, order=order, page=1)}"

    def page_link(self, page: int) -> str:
        return f"{self.path}?{self.query(page=page)}"

    def csv_link(self, csv_path: str) -> str:
        return f"{csv_path}?{self.query(page=None)}"

    def aria_sort(self, key: str) -> str | None:
        if key != self.sort:
            return None
        return "ascending" if self.order == "asc" else "descending"


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
