"""Hardening over HTTP (issue 12 items 4 and 6): uploads bounded, security headers on every
answer, HEAD wherever GET."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import FROZEN
from tests.e2e.api.test_provider_pages import csrf_of, log_in
from tests.e2e.api.test_provider_pages import web as web
from tests.e2e.api.test_records import api as api
from tests.e2e.api.test_records import login
from xinyong.core.config import Settings
from xinyong.records.importing import bulk, header
from xinyong.web.hardening import BodyLimit, FileTooLarge

TEMPLATES = Path(__file__).parents[3] / "src" / "xinyong" / "web" / "templates"
MB = 1024 * 1024
#: A few pages, API paths and static files, each answered to the public.
PUBLIC_GETS = (
    "/",
    "/login",
    "/healthz",
    "/catalogue",
    "/api/v1/catalogue/items",
    "/api/v1/identifiers/check?value=91520000214434146R",
    "/static/css/app.css",
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        var_dir=tmp_path / "var",
        database_url="sqlite://",
        now=FROZEN,
        audit_key_path=tmp_path / "keys" / "audit.pem",
        secret_key="test-secret-key-not-for-production",
        max_upload_mb=1,
    )


def assert_security_headers(headers: Any) -> None:
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self';" in csp
    assert "unsafe" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"


@pytest.mark.parametrize("path", [*PUBLIC_GETS, "/no-such-page", "/api/v1/no-such-thing"])
def test_every_answer_carries_the_security_headers(client: TestClient, path: str) -> None:
    r = client.get(path, headers={"Accept": "text/html"})
    assert_security_headers(r.headers)
    assert "strict-transport-security" not in r.headers  # plain http: HSTS would be ignored


def test_errors_and_refusals_carry_them_too(client: TestClient) -> None:
    for r in (
        client.post("/api/v1/records", json={}),  # 401
        client.get("/api/v1/calendar/deadline?start=nope&working_days=1"),  # 422
        client.delete("/healthz"),  # 405
    ):
        assert r.status_code < 500
        assert_security_headers(r.headers)
        assert len(r.headers.get_list("x-frame-options")) == 1


def test_hsts_only_over_https(app: Any) -> None:
    with TestClient(app, base_url="https://testserver") as secure:
        r = secure.get("/healthz")
    assert r.headers["strict-transport-security"].startswith("max-age=")


@pytest.mark.parametrize("path", PUBLIC_GETS)
def test_head_is_answered_wherever_get_is(client: TestClient, path: str) -> None:
    get = client.get(path)
    head = client.head(path)
    assert get.status_code == 200
    assert head.status_code == 200, path
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert_security_headers(head.headers)


def test_head_of_a_page_that_needs_a_login_answers_as_get_does(client: TestClient) -> None:
    get = client.get("/provider", follow_redirects=False)
    head = client.head("/provider", follow_redirects=False)
    assert head.status_code == get.status_code
    assert head.content == b""


PDF_TEMPLATES = {"reports/report.html", "reports/special_report.html"}


def test_templates_hold_no_inline_script_style_or_handler() -> None:
    """The CSP allows neither: an inline ``<script>``, ``<style>``, ``style=`` or ``on…=`` in a
    page template would be silently refused by the browser. (The credit report templates are
    printed to PDF, never served as pages.)"""
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.I)
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if path.relative_to(TEMPLATES).as_posix() not in PDF_TEMPLATES
        and inline.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


# -- uploads (item 4) ---------------------------------------------------------------------


def _post_file(client: TestClient, content: Any, headers: dict[str, str]) -> Any:
    files = {"file": ("big.csv", content, "text/csv")}
    return client.post(
        "/api/v1/records/batches", data={"item": "admin_penalty"}, files=files, headers=headers
    )


def test_an_upload_over_the_limit_is_413_file_too_large(api: Any, client: TestClient) -> None:
    sjj = login(client, "sjj")
    r = _post_file(client, b"x" * (MB + 10), sjj)
    assert r.status_code == 413, r.text
    assert r.json()["error"]["code"] == "file_too_large"
    assert "1 MB" in r.json()["error"]["message"]
    assert_security_headers(r.headers)
    # Just under the limit is read (and refused for its content, not its size).
    r = _post_file(client, b"x" * (MB - 1000), sjj)
    assert r.status_code == 422


def test_a_chunked_upload_is_cut_off_at_the_limit(api: Any, client: TestClient) -> None:
    sjj = login(client, "sjj")
    sent = 0

    def body() -> Iterator[bytes]:
        nonlocal sent
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
        for _ in range(40):
            sent += 1
            yield b"x" * (64 * 1024)

    r = client.post(
        "/api/v1/records/batches",
        content=body(),
        headers={**sjj, "Content-Type": "multipart/form-data; boundary=b"},
    )
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "file_too_large"


def test_the_provider_page_answers_a_page(web: Any) -> None:
    log_in(web, "sjj")
    token = csrf_of(web.get("/provider/deliver").text)
    r = web.post(
        "/provider/deliver",
        data={"item": "admin_penalty", "csrf_token": token},
        files={"file": ("big.csv", b"x" * (2 * MB), "text/csv")},
        follow_redirects=False,
    )
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("text/html")
    assert "file_too_large" in r.text


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read() -> None:
    reads = 0

    async def receive() -> dict[str, Any]:
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": b"x", "more_body": False}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()

    async def send(message: Any) -> None:
        pass

    scope = {"type": "http", "method": "POST", "headers": [(b"content-length", b"999999999")]}
    call = BodyLimit(app, max_bytes=MB)(scope, receive, send)
    # In a thread of its own: a browser test earlier in this worker may leave Playwright's
    # event loop running in the main thread, where asyncio.run() refuses to start another.
    with ThreadPoolExecutor(1) as pool, pytest.raises(FileTooLarge):
        pool.submit(asyncio.run, call).result()
    assert reads == 0


def test_a_header_of_many_unknown_columns_gets_a_bounded_answer(
    api: Any,
    client: TestClient,
) -> None:
    sjj = login(client, "sjj")
    columns = ",".join(f"c{i}" for i in range(60_000)).encode()  # ~0.5 MB of header
    r = _post_file(client, columns + b"\n1,2\n", sjj)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "invalid_header"
    assert len(error["details"]) == header.DETAILS_LIMIT
    assert "problems in all" in error["message"]
    assert len(r.content) < 200_000


def test_rejected_rows_are_listed_up_to_the_limit_and_counted(
    api: Any,
    client: TestClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bench.import_rate import HEADER

    monkeypatch.setattr(bulk, "REPORT_LIMIT", 5)
    monkeypatch.setattr(bulk.import_file, "__kwdefaults__", {
        **(bulk.import_file.__kwdefaults__ or {}), "report_limit": 5,
    })  # fmt: skip
    sjj = login(client, "sjj")
    lines = [",".join(HEADER)] + ["x" for _ in range(12)]
    r = _post_file(client, "\n".join(lines).encode(), sjj)
    assert r.status_code == 200, r.text
    result = r.json()
    assert len(result["rejected"]) == 5
    assert result["rejected_total"] >= 12
    assert [x["line"] for x in result["rejected"]] == sorted(x["line"] for x in result["rejected"])
