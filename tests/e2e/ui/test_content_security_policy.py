"""The Content-Security-Policy breaks nothing in a real browser (issue 12 item 6): pages load
their styles and htmx, and the browser reports no refused script, style or frame."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/", "/login", "/catalogue", "/public/search?q=贵州"])
def test_pages_raise_no_csp_violation(page: Page, path: str) -> None:
    refused: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            refused.append(message.text)

    page.on("console", watch)
    page.goto(path)
    expect(page.locator("main")).to_be_visible()
    assert page.evaluate("typeof htmx") == "object"  # the vendored htmx ran
    # The stylesheet applied (the skip link is moved off-screen by app.css).
    assert page.evaluate("document.styleSheets.length") >= 1
    assert refused == []
