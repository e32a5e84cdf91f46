"""``xinyong serve --workers N`` (issue 16, thirteenth round): each worker process listens on a
socket of its own (``SO_REUSEPORT``), so the kernel spreads connections over the workers
instead of the first worker to accept taking every keep-alive connection; a port something
already listens on is refused before any worker starts."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from tests.conftest import FROZEN
from tests.integration.ops.conftest import XINYONG, free_port, serving

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads the sockets of processes from /proc"
)

LISTEN, ESTABLISHED = "0A", "01"


def _sockets(port: int, state: str) -> set[int]:
    """Inodes of the TCP sockets in ``state`` whose local port is ``port``."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == state:
                inodes.add(int(fields[9]))
    return inodes


def _owners(inodes: set[int]) -> dict[int, set[int]]:
    """For each socket inode, the processes holding it open."""
    owners: dict[int, set[int]] = {inode: set() for inode in inodes}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                inode = int(target[8:-1])
                if inode in owners:
                    owners[inode].add(int(pid))
    return owners


def _wait_listening(port: int, count: int) -> dict[int, set[int]]:
    """The listening sockets on ``port`` and their processes, once there are ``count`` (or a
    minute has passed): /healthz answers as soon as one worker is up, the others may still be
    building their apps."""
    deadline = time.monotonic() + 60
    while len(_sockets(port, LISTEN)) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return _owners(_sockets(port, LISTEN))


def _public_env(tmp_path: Path) -> dict[str, str]:
    return {
        "XINYONG_DATABASE_URL": "",
        "XINYONG_PUBLIC_DATABASE_URL": f"sqlite:///{tmp_path / 'store.sqlite3'}",
        "XINYONG_NOW": FROZEN.isoformat(),
        "XINYONG_VAR_DIR": str(tmp_path / "var"),
    }


def _connections(port: int, count: int) -> Iterator[socket.socket]:
    """``count`` keep-alive connections, each having had one answer (so a worker accepted it)."""
    for _ in range(count):
        conn = socket.create_connection(("127.0.0.1", port), timeout=10)
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert conn.recv(4096).startswith(b"HTTP/1.1 200")
        yield conn


def test_each_worker_listens_on_its_own_socket_and_connections_spread(tmp_path: Path) -> None:
    with serving(["--public", "--workers", "2"], _public_env(tmp_path)) as base:
        port = int(base.rsplit(":", 1)[1])
        listening = _wait_listening(port, 2)
        # Two listening sockets, each held by one process alone (uvicorn's own --workers: one
        # socket, held by the parent and every worker).
        assert len(listening) == 2, listening
        assert all(len(pids) == 1 for pids in listening.values()), listening
        workers = set().union(*listening.values())
        assert len(workers) == 2

        with ExitStack() as stack:
            for conn in _connections(port, 24):
                stack.enter_context(conn)
            served_by = _owners(_sockets(port, ESTABLISHED))
            # The server's end of each connection (the client's ends have other local ports).
            ends = {inode: pids & workers for inode, pids in served_by.items()}
            assert sum(1 for pids in ends.values() if pids) == 24
            # Both workers hold some (all 24 on one: a chance of 2 in 2**24 with a fair hash).
            assert {pid for pids in ends.values() for pid in pids} == workers


ASYNCIO_WORKERS = """
import sys, uvicorn
from xinyong.cli.workers import Workers
config = uvicorn.Config("xinyong.web.app:create_served_public_app", factory=True,
                        host="127.0.0.1", port=int(sys.argv[1]), loop="asyncio", http="h11")
sys.exit(Workers(config, 2).run())
"""


def test_answers_are_not_held_back_on_the_asyncio_loop(tmp_path: Path) -> None:
    """Where uvloop is not installed the workers run asyncio's loop, which turns Nagle's
    algorithm off only on sockets that say they are TCP: an answer written in two parts then
    waited about 40 ms for the client's delayed acknowledgement."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", ASYNCIO_WORKERS, str(port)],
        env={**os.environ, **_public_env(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_listening(port, 2)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            times = []
            for _ in range(30):  # one keep-alive connection
                began = time.perf_counter()
                assert client.get("/healthz").status_code == 200
                times.append(time.perf_counter() - began)
        assert sorted(times)[len(times) // 2] < 0.02, times
    finally:
        proc.terminate()
        proc.wait(30)


def test_a_worker_that_dies_is_replaced(tmp_path: Path) -> None:
    with serving(["--public", "--workers", "2"], _public_env(tmp_path)) as base:
        port = int(base.rsplit(":", 1)[1])
        listeners = _wait_listening(port, 2)
        victim = min(set().union(*listeners.values()))
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            pids = set().union(*_owners(_sockets(port, LISTEN)).values())
            if len(pids) == 2 and victim not in pids:
                break
            time.sleep(0.1)
        else:
            raise AssertionError(f"no worker replaced {victim}: {pids}")
        assert httpx.get(f"{base}/healthz").status_code == 200


def test_workers_that_cannot_start_stop_the_server_with_a_clear_message(tmp_path: Path) -> None:
    env = {**_public_env(tmp_path), "XINYONG_PUBLIC_DATABASE_URL": "sqlite:////proc/no/store.db"}
    result = subprocess.run(
        [*XINYONG, "serve", "--public", "--workers", "2", "--port", str(free_port())],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 3, output
    assert "worker could not start: [Errno 2] No such file or directory: '/proc/no'" in output
    assert "Traceback" not in output


def test_a_port_already_listened_on_is_refused_before_any_worker_starts(tmp_path: Path) -> None:
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        result = subprocess.run(
            [*XINYONG, "serve", "--public", "--workers", "2", "--port", str(port)],
            env={**os.environ, **_public_env(tmp_path)},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 3, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in output
    assert "Started worker process" not in output
    assert "Traceback" not in output
