"""``xinyong serve`` writes no identity number to its logs (issue 12 item 8; Art. 18): a real
server process is asked for paths and queries holding numbers in each written form, and its
access log shows them masked."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

SRC = Path(__file__).parents[3] / "src"
ID18 = "11010519491231002X"
PATHS = (
    f"/healthz?subject={ID18}",
    "/healthz?subject=110105%2019491231%20002X",
    "/healthz?old=110105491231002",
    f"/no-such-page/{ID18}",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> None:
    with contextlib.suppress(urllib.error.HTTPError):  # a 404 is logged too
        urllib.request.urlopen(url, timeout=5).read()


def test_the_access_log_masks_identity_numbers(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "XINYONG_VAR_DIR": str(tmp_path / "var"),
        "XINYONG_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
    }
    code = "from xinyong.cli.main import app; app()"
    server = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(base + "/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("the server did not start")
                time.sleep(0.1)
        for path in PATHS:
            _get(base + path)
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    access = [line for line in output.splitlines() if "GET /" in line]
    assert len(access) >= len(PATHS) + 1, output
    assert "1949" not in output
    assert "491231" not in output
    assert output.count("110105***********X") >= 3
    assert "110105********2" in output
