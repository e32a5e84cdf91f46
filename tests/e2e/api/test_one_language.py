"""One language at a time (issue 14 item 3): each role's main pages, rendered in Chinese and in
English with a small demo province loaded, show no raw code of the label registry (item codes,
statuses, severities, scopes, error codes) in visible text; in Chinese, no English words
outside an allow-list. Codes an operator needs sit in ``<small class="code">`` or in
attributes, which are not visible text."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from xinyong.core import labels
from xinyong.core.clock import Clock
from xinyong.demo.data import DEMO_PASSWORD
from xinyong.demo.load import load_demo
from xinyong.demo.scenarios import load_province

HTML = {"Accept": "text/html"}

#: Each role's main pages (issue 14 item 3: "the main pages of each role").
PAGES: dict[str | None, tuple[str, ...]] = {
    None: (
        "/",
        "/catalogue",
        "/catalogue/admin_penalty",
        "/public/standard",
        "/red-list",
        "/public/lists",
        "/tools/identifier-check",
    ),
    "subject": (
        "/me/credit",
        "/me/objections",
        "/me/repairs",
        "/me/lists",
        "/me/inbox",
        "/me/inquiries",
    ),
    "provider": ("/provider", "/provider/records", "/provider/deliver"),
    "inquirer": ("/inquiry", "/checks"),
    "office": (
        "/office",
        "/office/catalogue",
        "/objections",
        "/lists",
        "/office/supervision",
        "/office/dashboard",
        "/office/grades",
        "/office/calendar",
        "/office/spot-checks",
    ),
    "auditor": ("/audit/inquiries",),
}

#: Words a Chinese page may show in Latin letters: names of the platform and of standards,
#: units and formats a reader expects in Latin letters.
ZH_ALLOWED = frozenset(
    {"xinyong", "csv", "xlsx", "pdf", "api", "id", "qr", "sha", "url", "totp", "json", "http",
     "https", "utc", "gb", "xy", "gz", "cn", "ok", "csi", "io", "www",
     "english",  # the language switch names the other language in itself
     "cli", "local", "operator"}  # the stored name of the command-line operator (provenance)
)  # fmt: skip


class _Visible(HTMLParser):
    """The text a person sees: no tags, attributes, scripts, styles or ``<small class=code>``."""

    HIDDEN = frozenset({"script", "style", "template", "title"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._stack: list[tuple[str, bool]] = []

    def _hidden(self) -> bool:
        return any(hidden for _, hidden in self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"br", "img", "input", "meta", "link", "hr", "wbr", "source"}:
            return
        classes = (dict(attrs).get("class") or "").split()
        hidden = tag in self.HIDDEN or (tag == "small" and "code" in classes)
        hidden = hidden or dict(attrs).get("hidden") is not None or "sr-only" in classes
        self._stack.append((tag, hidden))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not self._hidden():
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


CODES = labels.known_codes()
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
WORD = re.compile(r"[A-Za-z]{2,}")


def raw_codes(text: str) -> set[str]:
    return {m for m in SNAKE.findall(text) if m in CODES}


#: Identifiers (USCC, identity numbers, document numbers) are letters and digits, not words.
#: Field codes (``CF_WSH``) are the column headers a provider types in a file, not words.
IDENTIFIER = re.compile(r"\b[0-9A-Z]*[0-9][0-9A-Z]*\b|\b[A-Z]+(?:_[A-Z0-9]+)+\b")


#: Paths of the API named for connected systems (``GET /api/v1/public/subjects/{code}``).
API_PATH = re.compile(r"(?:\b(?:GET|POST|PUT|DELETE)\s+)?/[\w/{}?=.-]+")


def english_words(text: str) -> set[str]:
    text = IDENTIFIER.sub(" ", API_PATH.sub(" ", text))
    return {w for w in WORD.findall(text) if w.lower() not in ZH_ALLOWED}


@pytest.fixture
def province(db: Session, clock: Clock) -> None:
    load_demo(db, at=clock.now(), province=False)
    db.commit()  # the province's scenes roll back refused steps; the demo set stays
    load_province(db, at=clock.now(), records=150)
    db.commit()


def _log_in(client: TestClient, username: str) -> None:
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    r = client.post(
        "/login",
        data={"username": username, "password": DEMO_PASSWORD,
              "csrf_token": token.group(1), "next": "/"},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303, r.text


def test_the_visible_text_parser_hides_operator_codes() -> None:
    html = (
        '<p>行政处罚 <small class="code">admin_penalty</small>'
        '<span data-x="published">已发布</span></p>'
    )
    assert visible_text(html) == "行政处罚 已发布"
    assert raw_codes("状态 admin_penalty published subject_not_found") == {
        "admin_penalty",
        "subject_not_found",
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_role_s_main_pages_speak_one_language(
    client: TestClient, province: None, lang: str
) -> None:
    client.headers.update(HTML)
    problems: dict[str, object] = {}
    for role, paths in PAGES.items():
        client.cookies.clear()
        if role is not None:
            _log_in(client, role)
        client.cookies.set("lang", lang)
        for path in paths:
            r = client.get(path)
            if r.status_code != 200:
                problems[f"{role} {path} status"] = r.status_code
            text = visible_text(r.text)
            found = raw_codes(text)
            if found:
                problems[f"{role} {path} raw codes"] = sorted(found)
            if lang == "zh" and (words := english_words(text)):
                problems[f"{role} {path} English words"] = sorted(words)[:30]
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
