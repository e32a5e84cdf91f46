"""The public tool pages: identifier check and working-day calculator (DESIGN §6)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from xinyong.web import app as web_app
from xinyong.web.ui import tools


@pytest.fixture
def pages(app: FastAPI, client: TestClient) -> TestClient:
    # Until "tools" is in web.app.UI_MODULES, mount the router here.
    if "tools" not in web_app.UI_MODULES:
        app.include_router(tools.router)
    return client


def test_identifier_page_empty_form(pages: TestClient) -> None:
    r = pages.get("/tools/identifier-check")
    assert r.status_code == 200
    assert 'name="value"' in r.text
    assert "value-result" not in r.text.split("<form")[1].split("</form>")[1]


def test_identifier_page_valid(pages: TestClient) -> None:
    r = pages.get(
        "/tools/identifier-check", params={"value": "９１５２００００２１４４３４１４６ｒ"}
    )
    assert r.status_code == 200
    assert 'data-valid="true"' in r.text
    assert "91520000214434146R" in r.text


def test_identifier_page_names_the_expected_check_character(pages: TestClient) -> None:
    r = pages.get("/tools/identifier-check", params={"value": "91520000214434146A"})
    assert r.status_code == 200
    assert 'data-valid="false"' in r.text
    assert "校验码应为 R" in r.text


def test_deadline_page_defaults_to_today(pages: TestClient) -> None:
    r = pages.get("/tools/deadline")
    assert r.status_code == 200
    assert 'value="2026-09-30"' in r.text
    assert "deadline-result" not in r.text


def test_deadline_page_shows_due_and_days_left(pages: TestClient) -> None:
    r = pages.get("/tools/deadline", params={"start": "2026-09-30", "working_days": "3"})
    assert r.status_code == 200
    assert 'datetime="2026-10-10"' in r.text
    assert 'id="days-left"' in r.text
    assert "3" in r.text.split('id="days-left"')[1].split("</p>")[0]


def test_deadline_page_overdue_is_marked(pages: TestClient) -> None:
    r = pages.get("/tools/deadline", params={"start": "2026-09-01", "working_days": "3"})
    assert r.status_code == 200
    assert 'id="days-left" class="error"' in r.text


@pytest.mark.parametrize(
    ("params", "marker"),
    [
        ({"start": "2026-02-30", "working_days": "3"}, 'id="start-error"'),
        ({"start": "2026-09-30", "working_days": "-2"}, 'id="days-error"'),
        ({"start": "2026-09-30", "working_days": "lots"}, 'id="days-error"'),
        ({"start": "2026-12-30", "working_days": "5"}, "2027"),
    ],
)
def test_deadline_page_bad_input_is_explained(
    pages: TestClient, params: dict[str, str], marker: str
) -> None:
    r = pages.get("/tools/deadline", params=params)
    assert r.status_code == 422
    assert marker in r.text
    assert "deadline-result" not in r.text
