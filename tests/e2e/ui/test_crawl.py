"""Every role's pages in both languages (issue 14 "Done when"): a browser logs in as each demo
role, follows every navigation link and submits every GET form with its defaults. Every answer
is an HTML page with status 200 (never JSON, never an error page) and axe-core finds no serious
or critical violation on it.

The crawl is driven by the navigation list (web/ui/components/nav.py NAV): a desk added there
is crawled here without a change. One browser context per role and language.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Response

from tests.conftest import FROZEN
from tests.e2e.ui.conftest import LiveServer
from xinyong.core.actor import Role
from xinyong.demo.load import demo_accounts, load_demo
from xinyong.web.ui.components.nav import paths_for

pytestmark = pytest.mark.browser

LANGUAGES = ("zh", "en")
#: Only these impacts fail the crawl (issue 14 item 9).
BLOCKING = frozenset({"serious", "critical"})
AXE = Axe()


# Session-wide: the crawl's tests are spread over the run (tests/conftest.py), so a module
# fixture would load the demo again each time its module came round on a worker.
@pytest.fixture(scope="session")
def demo(live_server: LiveServer) -> list[tuple[str, str, str, str]]:
    with live_server.session() as session:
        load_demo(session, at=FROZEN)
        session.commit()
    return demo_accounts()


def _accounts() -> list[str]:
    return ["public", *[role for role, *_ in demo_accounts()]]


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/login")
    form = page.locator("form[action='/login']")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "/login" not in page.url, f"{username} could not log in"


def assert_page(response: Response | None, where: str) -> None:
    assert response is not None, where
    content_type = response.headers.get("content-type", "")
    assert response.status == 200, f"{where}: {response.status} {response.url}"
    assert content_type.startswith("text/html"), f"{where}: {content_type} {response.url}"


def axe_problems(page: Page) -> list[str]:
    results: dict[str, Any] = AXE.run(page).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in results["violations"]
        if v.get("impact") in BLOCKING
    ]


#: The URL each GET form of the main content asks for when sent with its defaults.
DEFAULT_SUBMISSIONS = """forms => forms
  .filter(f => (f.getAttribute("method") || "get").toLowerCase() === "get")
  .map(f => {
    const url = new URL(f.getAttribute("action") || location.pathname, location.href);
    url.search = new URLSearchParams(new FormData(f)).toString();
    return url.pathname + url.search;
  })"""


@pytest.fixture
def context_for(browser: Browser, live_server: LiveServer) -> Iterator[Any]:
    opened = []

    def make() -> Page:
        context = browser.new_context(base_url=live_server.url)
        opened.append(context)
        return context.new_page()

    yield make
    for c in opened:
        c.close()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("role", _accounts())
def test_every_page_of_every_role(
    role: str, lang: str, demo: list[tuple[str, str, str, str]], context_for: Any
) -> None:
    page: Page = context_for()
    page.goto(f"/lang/{lang}")
    account = {r: (u, p) for r, u, p, _ in demo}
    if role != "public":
        log_in(page, *account[role])
    failures: list[str] = []
    # The public pages are checked by axe in the public crawl; a logged-in role's crawl checks
    # its own pages (which carry the same logged-in header) and still loads every public one.
    public = set(paths_for(Role.PUBLIC)) if role != "public" else set()
    for path in paths_for(Role(role)):
        response = page.goto(path)
        try:
            assert_page(response, f"{role}/{lang} nav {path}")
        except AssertionError as exc:
            failures.append(str(exc))
            continue
        if path not in public:
            failures += [f"{role}/{lang} {path}: axe {p}" for p in axe_problems(page)]
        # Each GET form as its defaults send it (what pressing its button without typing
        # would ask; built from FormData so required fields or htmx need no special case).
        targets = page.locator("main form").evaluate_all(DEFAULT_SUBMISSIONS)
        for target in targets:
            try:
                assert_page(page.goto(target), f"{role}/{lang} form on {path}")
            except AssertionError as exc:
                failures.append(str(exc))
    assert not failures, "\n".join(failures)
