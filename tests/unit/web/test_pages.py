"""The web shell: language switch, training banner, navigation by role, error pages."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.requests import Request

from xinyong.core.actor import Actor, Role
from xinyong.core.clock import Clock
from xinyong.web.pages import render


def test_home_is_chinese_by_default(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert '<html lang="zh-CN">' in r.text
    assert r.headers["content-language"] == "zh-CN"
    for text in ("信用信息共享平台", "信用查询", "标识校验", "工作日计算", "登录"):
        assert text in r.text
    assert 'action="/public/search"' in r.text
    assert 'name="q"' in r.text
    assert "名称或统一社会信用代码" in r.text


def test_query_parameter_shows_english(client: TestClient) -> None:
    r = client.get("/?lang=en")
    assert '<html lang="en">' in r.text
    for text in ("Social credit information sharing platform", "Credit search", "Log in"):
        assert text in r.text
    assert "信用查询" not in r.text


def test_language_switch_sets_the_cookie_and_returns(client: TestClient) -> None:
    r = client.get("/lang/en", params={"next": "/?q=1"}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/?q=1"
    assert "lang=en" in r.headers["set-cookie"]
    assert "Credit search" in client.get("/").text  # the client keeps the cookie

    client.get("/lang/zh", follow_redirects=False)
    assert "信用查询" in client.get("/").text


def test_language_switch_refuses_other_sites_and_unknown_languages(client: TestClient) -> None:
    r = client.get("/lang/en", params={"next": "//evil.example/"}, follow_redirects=False)
    assert r.headers["location"] == "/"
    r = client.get("/lang/xx", headers={"accept": "application/json"})
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "unknown_language"


def test_switch_link_comes_back_to_this_page(client: TestClient) -> None:
    r = client.get("/?lang=zh")
    assert 'href="/lang/en?next=/"' in r.text


def test_training_banner_when_the_clock_is_frozen(client: TestClient) -> None:
    r = client.get("/")
    assert "培训环境" in r.text
    assert "2026-09-30 10:00" in r.text
    assert "Training environment" in client.get("/?lang=en").text


def test_no_banner_on_a_live_clock(app: FastAPI, client: TestClient) -> None:
    app.state.clock = Clock()
    r = client.get("/")
    assert "培训环境" not in r.text
    assert "training-banner" not in r.text


def test_unknown_page_is_an_html_page_for_a_browser(client: TestClient) -> None:
    r = client.get("/no/such/page", headers={"accept": "text/html,application/xhtml+xml"})
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "页面不存在" in r.text
    assert 'data-code="not_found"' in r.text
    assert 'href="/"' in r.text


def test_unknown_api_path_is_json_even_for_a_browser(client: TestClient) -> None:
    r = client.get("/api/v1/no-such-thing", headers={"accept": "text/html"})
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_shell_loads_its_assets(client: TestClient) -> None:
    page = client.get("/").text
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page
    for asset in ("/static/css/app.css", "/static/vendor/htmx-2.0.11.min.js"):
        assert asset in page
        assert client.get(asset).status_code == 200


def _request(app: FastAPI, actor: Actor, query: bytes = b"") -> Request:
    scope = {
        "type": "http",
        "app": app,
        "method": "GET",
        "path": "/",
        "query_string": query,
        "headers": [],
        "scheme": "http",
        "server": ("testserver", 80),
    }
    request = Request(scope)
    request.state.actor = actor
    return request


def test_header_shows_a_logged_in_user_and_a_logout_form(app: FastAPI) -> None:
    actor = Actor(role=Role.PROVIDER, user_id=7, username="li", display_name="李四")
    html = bytes(render(_request(app, actor), "home.html").body).decode()
    assert "李四" in html
    assert "信息提供单位" in html
    assert 'action="/logout"' in html
    assert 'method="post"' in html
    assert 'href="/login"' not in html


def test_header_offers_login_to_the_public(app: FastAPI) -> None:
    html = bytes(render(_request(app, Actor(role=Role.PUBLIC)), "home.html").body).decode()
    assert 'href="/login"' in html
    assert 'action="/logout"' not in html
