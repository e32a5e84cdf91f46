"""Screenshots of every role's desk in both languages into docs/screenshots/ (make screenshots).

A fresh SQLite database with the demo data, the platform served on a free local port with the
clock frozen at the tests' instant, Chromium (Playwright) at 1280 px: for each demo role, its
first navigation entry (its desk), in Chinese and in English. Files: ``<role>-<lang>.png``.
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import uvicorn
from playwright.sync_api import sync_playwright

from xinyong import bootstrap
from xinyong.core.actor import Role
from xinyong.core.config import Settings
from xinyong.db.base import Base
from xinyong.db.registry import load_all_models
from xinyong.db.session import make_engine, make_session_factory
from xinyong.demo.load import demo_accounts, load_demo
from xinyong.web.app import create_app
from xinyong.web.ui.components.nav import paths_for

FROZEN = datetime(2026, 9, 30, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
CHROMIUM = os.environ.get("XINYONG_CHROMIUM", "/usr/bin/chromium")


#: The page that is a role's desk where it is not its first menu entry.
DESKS = {Role.CREDIT_OFFICE: "/office", Role.AUDITOR: "/audit/inquiries"}


def desk_of(role: Role) -> str:
    """A role's desk: its first entry outside the public information (the home page for none)."""
    if role in DESKS:
        return DESKS[role]
    public = set(paths_for(Role.PUBLIC))
    own = [p for p in paths_for(role) if p not in public]
    return own[0] if own else "/"


def main() -> int:
    bootstrap.wire()  # what happens when records change, as the app and the CLI wire it
    tmp = Path(tempfile.mkdtemp(prefix="xinyong-shots-"))
    url = f"sqlite:///{tmp / 'demo.sqlite3'}"
    engine = make_engine(url)
    load_all_models()
    Base.metadata.create_all(engine)
    session = make_session_factory(engine)()
    load_demo(session, at=FROZEN)
    session.commit()
    session.close()
    settings = Settings(
        database_url=url, var_dir=tmp / "var", now=FROZEN, audit_key_path=tmp / "audit.pem",
        secret_key="screenshots-only-secret-key-not-for-production",
        public_rate_per_minute=1_000_000,
    )  # fmt: skip
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 - our own http server
            break
        except OSError:
            time.sleep(0.05)
    OUT.mkdir(parents=True, exist_ok=True)
    accounts = [("public", "", "", ""), *demo_accounts()]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for role, username, password, _ in accounts:
            for lang in ("zh", "en"):
                context = browser.new_context(
                    base_url=base, viewport={"width": 1280, "height": 900}
                )
                page = context.new_page()
                page.goto(f"/lang/{lang}")
                if username:
                    page.goto("/login")
                    form = page.locator("form[action='/login']")
                    form.locator("input[name=username]").fill(username)
                    form.locator("input[name=password]").fill(password)
                    with page.expect_navigation():
                        form.locator("button[type=submit]").click()
                page.goto(desk_of(Role(role)))
                target = OUT / f"{role}-{lang}.png"
                page.screenshot(path=str(target), full_page=False)
                print(target.relative_to(OUT.parent.parent))
                context.close()
        browser.close()
    server.should_exit = True
    return 0


if __name__ == "__main__":
    sys.exit(main())
