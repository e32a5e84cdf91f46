"""The page components (issue 13 item 4): the table query and the navigation as data."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel
from starlette.requests import Request

from xinyong.core.actor import Role
from xinyong.web.ui.components import NAV, TableSpec, nav_for
from xinyong.web.ui.components.nav import paths_for


class Filters(BaseModel):
    outcome: Literal["answered", "refused"] | None = None
    since: date | None = None
    sort: Literal["at", "subject"] = "at"
    order: Literal["asc", "desc"] = "desc"


def request(query: str) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/t", "query_string": query.encode(),
                    "headers": []})  # fmt: skip


SPEC = TableSpec(Filters)


def test_a_form_submitted_with_its_defaults_means_all() -> None:
    q = SPEC(request("outcome=&since=&sort=at&order=desc&page="))
    assert q.filters == Filters()
    assert q.errors == {}
    assert q.page == 1


def test_a_bad_value_is_dropped_and_named_beside_its_field() -> None:
    q = SPEC(request("outcome=refused&since=yesterday&sort=nonsense&page=3"))
    assert q.filters.outcome == "refused"
    assert q.filters.since is None
    assert set(q.errors) == {"since", "sort"}
    assert q.values()["since"] == "yesterday"  # the form shows what was typed
    assert q.sort == "at"
    assert q.page == 3
    table = q.table("/t", pages=5, total=90)
    assert "since" not in table.csv_link("/t.csv")  # the CSV twin gets what the page shows
    assert "outcome=refused" in table.csv_link("/t.csv")


def test_the_page_number_is_bounded() -> None:
    assert SPEC(request("page=-2")).page == 1
    assert SPEC(request("page=99999999999999")).page == 1


def test_every_role_has_a_few_menus_and_no_path_twice() -> None:
    for role in Role:
        groups = nav_for(role)
        assert 1 <= len(groups) <= 6, role
        paths = paths_for(role)
        assert len(paths) == len(set(paths)), role
    assert [g.label for g in nav_for(None)] == ["Public information"]
    assert all(e.path.startswith("/") for e in NAV)


def test_the_current_entry_is_the_longest_match() -> None:
    groups = nav_for(Role.CREDIT_OFFICE, current="/office/dashboard")
    current = [e.path for g in groups for e in g.entries if g.current_path == e.path]
    assert current == ["/office/dashboard"]
    assert [g.label for g in groups if g.current] == ["Supervision"]
