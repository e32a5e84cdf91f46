"""A table's query — filters, sort, order, page — parsed once for a page and its CSV twin.

The filters are a pydantic model (its fields are the query parameters; ``sort`` and ``order``
may be among them). Parsing is a person's form, not an API's: an empty value is "all" (the
select's default), and a value the model refuses is dropped and kept in ``errors`` so the page
shows its form again with the message beside the field — never a 422 page or JSON.

    LOG = TableSpec(InquiryLogQuery)
    LogQuery = Annotated[TableQuery[InquiryLogQuery], Depends(LOG)]

    @router.get("/audit/inquiries")
    def page(q: LogQuery, ...): ... q.filters ... q.table(path, pages, total) ... q.errors
    @router.get("/audit/inquiries.csv")
    def csv(q: LogQuery, ...): ... q.filters ...
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from fastapi import Request
from pydantic import BaseModel, ValidationError

from xinyong.web.params import MAX_PAGE

M = TypeVar("M", bound=BaseModel)


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


@dataclass(frozen=True, slots=True)
class TableQuery(Generic[M]):
    """What a table was asked for: valid ``filters``, the ``page``, the ``raw`` text of every
    parameter (to refill the form) and ``errors`` by field (shown beside it)."""

    filters: M
    page: int
    raw: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def sort(self) -> str:
        return str(getattr(self.filters, "sort", "") or "")

    @property
    def order(self) -> str:
        return str(getattr(self.filters, "order", "") or "")

    def values(self) -> dict[str, str]:
        """The filters as the form shows them (sort and order aside)."""
        dumped = self.filters.model_dump(exclude={"sort", "order"})
        shown = {k: "" if v is None else str(getattr(v, "value", v)) for k, v in dumped.items()}
        shown.update({k: v for k, v in self.raw.items() if k in self.errors})
        return shown

    def table(self, path: str, *, pages: int, total: int, page: int | None = None) -> Table:
        """The sort/page/CSV links of the page at ``path`` (``page``: the page shown, when the
        service clamped it)."""
        shown = {k: v for k, v in self.values().items() if k not in self.errors}
        return Table(path, self.sort, self.order, page or self.page, pages, total, shown)


class TableSpec(Generic[M]):
    """The dependency that parses a ``TableQuery`` of ``model`` from the query string."""

    def __init__(self, model: type[M]) -> None:
        self.model = model

    def __call__(self, request: Request) -> TableQuery[M]:
        params = request.query_params
        names = set(self.model.model_fields)
        raw = {k: params[k].strip() for k in names if k in params}
        given: dict[str, Any] = {k: v for k, v in raw.items() if v != ""}
        errors: dict[str, str] = {}
        while True:
            try:
                filters = self.model.model_validate(given)
                break
            except ValidationError as exc:
                bad = {str(e["loc"][0]) for e in exc.errors() if e.get("loc")}
                for e in exc.errors():
                    if e.get("loc"):
                        errors.setdefault(str(e["loc"][0]), str(e.get("msg", "invalid")))
                if not bad & set(given):
                    raise  # a model that refuses its own defaults is a programming error
                given = {k: v for k, v in given.items() if k not in bad}
        page_text = params.get("page", "").strip()
        page = int(page_text) if page_text.isdigit() and len(page_text) < 10 else 1
        return TableQuery(filters, max(1, min(page, MAX_PAGE)), raw, errors)
