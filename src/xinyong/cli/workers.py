"""Server processes that each listen on a socket of their own (``xinyong serve --workers N``).

uvicorn's own ``--workers`` binds one socket in its parent process and hands that socket to
every worker; a new connection goes to whichever worker's event loop accepts it first. A
keep-alive connection then stays with that worker, so the first accepts decide the whole load:
on two cores, the 8 connections of a ``wrk`` run all went to one of the two workers in 3 of 6
three-second runs while the other sat idle (issue 16, thirteenth round), and the pair served
what one process serves. Here each worker binds a socket of its own to the same address with
``SO_REUSEPORT``, and the kernel spreads new connections over the workers' sockets by a hash
of each connection's addresses, whatever each worker happens to be doing when they arrive.

``SO_REUSEPORT`` lets every process of the same user bind that address, so before the workers
start the parent makes sure that nothing listens there yet (a second ``xinyong serve`` on the
same port would otherwise quietly share its connections). A worker that dies is replaced; one
that cannot start (its app fails to build, its socket cannot be bound) stops them all.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import sys
import threading
from multiprocessing.context import SpawnProcess
from types import FrameType

import uvicorn
from uvicorn.config import STARTUP_FAILURE, Config

log = logging.getLogger("uvicorn.error")

#: Seconds between the parent's looks at its workers.
WATCH_EVERY_S = 0.5
#: Seconds a worker is given to finish its requests once asked to stop, before it is killed.
STOP_GRACE_S = 15.0


def reuse_port_available() -> bool:
    """Whether this platform lets several sockets listen on one address (Linux, the BSDs,
    macOS; not Windows)."""
    return hasattr(socket, "SO_REUSEPORT")


def _family(host: str) -> socket.AddressFamily:
    # As uvicorn chooses for a host/port pair.
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def _bound(host: str, port: int, *, reuse_port: bool) -> socket.socket:
    """A TCP socket bound to ``host``/``port`` (``SO_REUSEADDR``: past connections still
    closing), sharing the address with other ``SO_REUSEPORT`` sockets if ``reuse_port``.

    The protocol is named, not left 0: asyncio turns Nagle's algorithm off (TCP_NODELAY) only
    on connections whose socket says TCP, and an accepted socket inherits what its listening
    socket object says. Without it, on the asyncio loop an answer written in two parts
    waited for the client's delayed acknowledgement: about 40 ms a request."""
    sock = socket.socket(_family(host), socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host.strip("[]"), port))
    except OSError:
        sock.close()
        raise
    return sock


def claim_port(host: str, port: int) -> int:
    """The port the workers will share, checked free: a socket without ``SO_REUSEPORT`` binds
    only where nothing listens. Port 0 becomes the free port the system picks. Raises
    ``OSError`` if something listens."""
    with _bound(host, port, reuse_port=False) as probe:
        return int(probe.getsockname()[1])


def _worker(config: Config) -> None:
    """One worker process: its own socket, then uvicorn's server on it (the app is built from
    ``config.app``, an import string, in this process)."""
    config.configure_logging()
    try:
        sock = _bound(config.host, config.port, reuse_port=True)
    except OSError as exc:
        log.error("worker could not listen on %s:%s: %s", config.host, config.port, exc)
        sys.exit(STARTUP_FAILURE)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except SystemExit:  # uvicorn logged why (an app that failed to build, …)
        if not server.started:
            sys.exit(STARTUP_FAILURE)
        raise
    except Exception as exc:
        if server.started:
            raise
        log.error("worker could not start: %s", exc)
        sys.exit(STARTUP_FAILURE)
    if not server.started:
        sys.exit(STARTUP_FAILURE)


class Workers:
    """``count`` worker processes serving ``config`` until SIGINT or SIGTERM."""

    def __init__(self, config: Config, count: int) -> None:
        self.config = config
        self.count = count
        self._stop = threading.Event()
        self._context = multiprocessing.get_context("spawn")

    def _start(self) -> SpawnProcess:
        process = self._context.Process(target=_worker, args=(self.config,), daemon=False)
        process.start()
        log.info("Started worker process [%s]", process.pid)
        return process

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self._stop.set()

    def run(self) -> int:
        """Serve; the exit status: 0 when stopped, ``STARTUP_FAILURE`` when a worker could not
        start."""
        try:
            self.config.port = claim_port(self.config.host, self.config.port)
        except OSError as exc:
            log.error("cannot listen on %s:%s: %s", self.config.host, self.config.port, exc)
            return STARTUP_FAILURE
        previous = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        status = 0
        workers: list[SpawnProcess] = []
        try:
            for _ in range(self.count):
                workers.append(self._start())
            log.info(
                "Serving on http://%s:%s with %d worker processes, each on a socket of its own "
                "(Press CTRL+C to quit)",
                self.config.host, self.config.port, self.count,
            )  # fmt: skip
            while not self._stop.wait(WATCH_EVERY_S):
                for i, process in enumerate(workers):
                    if process.exitcode is None:
                        continue
                    if process.exitcode == STARTUP_FAILURE:
                        log.error("worker process [%s] could not start; stopping", process.pid)
                        status = STARTUP_FAILURE
                        self._stop.set()
                        break
                    log.warning(
                        "worker process [%s] ended (exit %s); starting another",
                        process.pid, process.exitcode,
                    )  # fmt: skip
                    workers[i] = self._start()
        finally:
            _stop_all(workers)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return status


def _stop_all(workers: list[SpawnProcess]) -> None:
    """SIGTERM (uvicorn finishes the requests under way), then SIGKILL after the grace."""
    for process in workers:
        if process.exitcode is None:
            process.terminate()
    for process in workers:
        process.join(STOP_GRACE_S)
        if process.exitcode is None:
            log.warning("worker process [%s] did not stop in time; killing it", process.pid)
            process.kill()
            process.join()
