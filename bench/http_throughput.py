"""``python -m bench.http_throughput --subjects N --records M``: reads by code over HTTP.

DESIGN §5: a credit check or inquiry by code, over HTTP, sustains a throughput ≥ 70 % of the
same server answering a constant JSON document. Measured as that ratio, in one run, against a
ceiling measured by the same client on the same server — a benchmark, not a test: nothing here
fails on a slow machine.

Set-up. The SQLite database of ``bench.inquiry_latency`` is reused (or built) under
``var/bench/`` keyed by N/M; with ``--pg URL``, its PostgreSQL database ``bench_inquiry_N_M`` in
that server (kept, as ``bench.inquiry_latency --pg --keep`` leaves it), and the publication
store the database ``bench_public_pg_N_M`` beside it. The server is ``xinyong serve`` (uvicorn
on ``create_app()``, one worker, as ``make run`` starts it) in a subprocess on a free local
port, with ``XINYONG_DATABASE_URL`` on that database, ``XINYONG_NOW`` frozen at
``bench.synthetic.AT`` (the disclosure windows of the synthetic data are computed for that
instant), ``XINYONG_VAR_DIR`` the project's ``var/`` (the audit key the data was built with
signs the audit checkpoints the inquiries cause) and ``XINYONG_RATE_LIMIT_PER_MINUTE`` lifted
to 10 000 000: the inquiry guard's token buckets (per account, and per address — every client
here is 127.0.0.1) are an operational control, not what is measured. The publicity endpoints
have no rate limit.

Measures, each a closed loop of ``--connections`` keep-alive connections:

- ``ceiling``: ``GET /healthz``, the constant document (no database);
- ``publicity_by_code``: ``GET /api/v1/public/subjects/{code}`` on random legal persons (a
  legal person is always public; a natural person without public records answers 404);
- ``inquire``: ``POST /api/v1/inquiries`` ``{"subject": code, "purpose": "licensing"}`` with a
  bearer token — the government inquiry by code: screening, read, inquiry log row and audit
  entry, commit.

Harvesting detection refuses an account that asks about more than 60 distinct subjects within
10 minutes, and the clock is frozen: every inquiry of the run happens at the same instant, in
the same window. So each run adds ``--accounts`` fresh inquirer accounts (through the accounts
use case; they stay in the reused database) and gives each its own fixed set of 50 legal
persons; the requests cycle over (account, subject) pairs, i.e. ``50 × accounts`` distinct
subjects. Fresh accounts also keep one run's inquiry log rows out of the next run's screening
(the accounts of earlier runs, and ``bench-inquirer``, have asked about hundreds of subjects
"at" that instant already). The output reports how many inquiries each account made: the
screening query grows with it (up to ~1 200 per window at the default 120 per minute).

Client: one load-generating process (``--procs``) by default, separate from this one, driving
all connections from a ``selectors`` loop over raw sockets with pre-encoded requests and a
minimal response parser (status, Content-Length). The machine has two cores and the server,
one Python process, uses at most about one (the GIL); ``http.client`` threads in Python would
need several times the CPU per request and compete with the server for the other core. The
output gives, per phase, the CPU share of the server and of the client (1.0 = one core): a
server near 1.0 and a client well below it means the server, not the client, is the limit.

Rounds are interleaved (ceiling, publicity, inquiry, ceiling, …) to spread drift from other
load on the machine over all measures; throughput counts responses completed within each
phase's window, after which in-flight requests are drained before the next phase. Latencies
are client-side, from send to the last byte, under the closed loop (so they include queueing
behind the other connections). Every status code is counted; the ratio uses 2xx responses only.

Prints JSON: requests/s and p50/p99 per measure, each ratio to the ceiling (overall and per
round), the 0.70 target and the verdict, status counts, CPU shares, the load average.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import multiprocessing as mp
import os
import random
import secrets
import selectors
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from bench.inquiry_latency import VAR, _pg_db, _sqlite_db
from bench.public_reads import _publish, pg_store_for, store_for
from bench.synthetic import AT, INQUIRER_ORG, INQUIRER_PASSWORD

TARGET_RATIO = 0.70
HOST = "127.0.0.1"
PURPOSE = "licensing"
#: Distinct subjects per inquirer account: under the harvesting threshold (60 per window).
SUBJECTS_PER_ACCOUNT = 50
RATE_LIMIT = 10_000_000
MEASURES = {
    "ceiling": "GET /healthz",
    "publicity_by_code": "GET /api/v1/public/subjects/{code}",
    "inquire": "POST /api/v1/inquiries",
}
#: Seconds to wait for the requests in flight at the end of a phase.
DRAIN_S = 120.0
SERVER_LOG = VAR / "http_throughput.server.log"


# --- data -----------------------------------------------------------------------------


def _legal_person_codes(url: str, want: int, seed: int) -> list[str]:
    """``want`` distinct legal-person codes drawn at random from the register (shuffled)."""
    from sqlalchemy import text

    from xinyong.db.session import make_engine

    rng = random.Random(seed)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            n = conn.execute(text("SELECT max(id) FROM subject")).scalar() or 0
            ids = rng.sample(range(1, n + 1), min(n, int(want * 1.3) + 100))
            codes: list[str] = []
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                marks = ", ".join(f":i{j}" for j in range(len(chunk)))
                rows = conn.execute(
                    text(
                        f"SELECT code FROM subject WHERE type = 'legal_person' AND id IN ({marks})"
                    ),
                    {f"i{j}": v for j, v in enumerate(chunk)},
                )
                codes += [r[0] for r in rows]
    finally:
        engine.dispose()
    rng.shuffle(codes)
    return codes[:want]


def _add_inquirers(url: str, count: int, run_id: str) -> list[str]:
    """``count`` fresh inquirer accounts of the synthetic organ, through the use case."""
    from xinyong.accounts import service as accounts
    from xinyong.core.actor import Actor, Role
    from xinyong.db.registry import load_all_models
    from xinyong.db.session import make_engine, make_session_factory
    from xinyong.inquiry import purposes

    load_all_models()
    engine = make_engine(url)
    names = [f"bench-http-{run_id}-{i:03d}" for i in range(count)]
    try:
        with make_session_factory(engine)() as session:
            for i, name in enumerate(names):
                accounts.add_user(
                    session,
                    actor=accounts.OPERATOR,
                    username=name,
                    password=INQUIRER_PASSWORD,
                    org_code=INQUIRER_ORG,
                    role="inquirer",
                    display_name=f"HTTP 基准查询员 {i}",
                    purposes=[PURPOSE],
                    at=AT,
                )
            session.commit()
            # The daily cap (Art. 18) would refuse a benchmark's load: the office lifts it.
            office = Actor(role=Role.CREDIT_OFFICE, username="bench", display_name="bench")
            purposes.set_cap(session, actor=office, per_day=RATE_LIMIT, at=AT, default=RATE_LIMIT)
    finally:
        engine.dispose()
    return names


def _inquiry_log(url: str, run_id: str) -> dict[str, int]:
    """Answered / refused inquiry log rows of this run's accounts."""
    from sqlalchemy import text

    from xinyong.db.session import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT i.outcome, count(*) FROM inquiry i JOIN user_account u "
                    "ON u.id = i.user_id WHERE u.username LIKE :p GROUP BY i.outcome"
                ),
                {"p": f"bench-http-{run_id}-%"},
            )
            return {str(o): int(c) for o, c in rows}
    finally:
        engine.dispose()


# --- server ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def _server_command(port: int) -> list[str]:
    script = Path(sys.executable).with_name("xinyong")
    base = (
        [str(script)]
        if script.exists()
        else [sys.executable, "-c", "from xinyong.cli.main import main; main()"]
    )
    return [*base, "serve", "--host", HOST, "--port", str(port)]


def _pythonpath() -> str:
    return os.pathsep.join(filter(None, [str(Path("src").resolve()), os.environ.get("PYTHONPATH")]))


def _start_server(url: str, store_url: str, port: int) -> subprocess.Popen[bytes]:
    # The public routes read the publication store: the one published from this core
    # database (not whatever store var/ holds from another run), brought up to date first so
    # the server's catch-up on read has nothing left to do.
    env = {
        **os.environ,
        "XINYONG_DATABASE_URL": url,
        "XINYONG_PUBLIC_DATABASE_URL": store_url,
        "XINYONG_NOW": AT.isoformat(),
        "XINYONG_VAR_DIR": str(Path("var").resolve()),
        "XINYONG_RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT),
        "XINYONG_PUBLIC_RATE_PER_MINUTE": str(RATE_LIMIT),
    }
    _publish(url, store_url, {**env, "PYTHONPATH": _pythonpath()})
    SERVER_LOG.parent.mkdir(parents=True, exist_ok=True)
    with SERVER_LOG.open("wb") as log:
        return subprocess.Popen(
            _server_command(port), env=env, stdout=log, stderr=subprocess.STDOUT
        )


def _wait_ready(proc: subprocess.Popen[bytes], port: int, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}; see {SERVER_LOG}")
        try:
            status, _ = _request(port, "GET", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server not ready after {timeout:.0f} s; see {SERVER_LOG}")


def _stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _login(port: int, username: str) -> str:
    form = urllib.parse.urlencode({"username": username, "password": INQUIRER_PASSWORD})
    status, body = _request(
        port,
        "POST",
        "/api/v1/auth/token",
        form.encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    if status != 200:
        raise RuntimeError(f"login of {username}: {status} {body[:300]!r}")
    token: str = json.loads(body)["access_token"]
    return token


def _log_errors() -> int:
    """Unhandled errors the server logged (uvicorn's ``ERROR:`` lines)."""
    try:
        text = SERVER_LOG.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0
    return sum(line.startswith("ERROR:") for line in text.splitlines())


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a process (Linux ``/proc``; 0.0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- requests -------------------------------------------------------------------------


def _get(port: int, path: str) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: application/json\r\n"
        "User-Agent: xinyong-bench\r\n\r\n"
    ).encode()


def _post(port: int, path: str, token: str, payload: dict[str, str]) -> bytes:
    body = json.dumps(payload).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: application/json\r\n"
        f"User-Agent: xinyong-bench\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def _plans(
    port: int, public_codes: list[str], tokens: list[str], inquiry_codes: list[list[str]]
) -> dict[str, list[bytes]]:
    quote = urllib.parse.quote
    return {
        "ceiling": [_get(port, "/healthz")],
        "publicity_by_code": [
            _get(port, f"/api/v1/public/subjects/{quote(c)}") for c in public_codes
        ],
        # Interleaved so that consecutive requests go to different accounts.
        "inquire": [
            _post(port, "/api/v1/inquiries", tokens[k], {"subject": codes[j], "purpose": PURPOSE})
            for j in range(SUBJECTS_PER_ACCOUNT)
            for k, codes in enumerate(inquiry_codes)
        ],
    }


# --- load generator (runs in the client processes) ------------------------------------


def _parse(buf: bytearray) -> tuple[int, int, bool] | None:
    """(status, length, connection close) of the complete response at the start of ``buf``."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return None
    lines = bytes(buf[:end]).decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, chunked, close = 0, False, False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding":
            chunked = "chunked" in value
        elif name == "connection":
            close = value == "close"
    if chunked:
        tail = buf.find(b"\r\n0\r\n\r\n", end + 2)
        return None if tail < 0 else (status, tail + 7, close)
    total = end + 4 + length
    return (status, total, close) if len(buf) >= total else None


@dataclass
class _Conn:
    sock: socket.socket
    pos: int
    buf: bytearray = field(default_factory=bytearray)
    sent_at: float = 0.0


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection((HOST, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.setblocking(False)
    return sock


def _drive(port: int, plan: list[bytes], offsets: list[int], duration: float) -> dict[str, Any]:
    """Keep one request in flight on each connection for ``duration`` s, then drain."""
    sel = selectors.DefaultSelector()
    statuses: Counter[int] = Counter()
    latencies: list[float] = []
    samples: list[str] = []
    closed = in_window = ok_in_window = 0

    def send(c: _Conn) -> None:
        request = plan[c.pos % len(plan)]
        c.pos += 1
        c.sent_at = time.perf_counter()
        c.sock.sendall(request)

    conns = [_Conn(_connect(port), pos) for pos in offsets]
    cpu0 = time.process_time()
    start = time.perf_counter()
    deadline = start + duration
    for conn in conns:
        send(conn)
        sel.register(conn.sock, selectors.EVENT_READ, conn)
    live = len(conns)
    while live:
        events = sel.select(timeout=max(0.0, deadline + DRAIN_S - time.perf_counter()))
        if not events:
            statuses[-1] += live  # no answer within the drain time
            break
        for key, _ in events:
            c = key.data
            try:
                data = c.sock.recv(1 << 16)
            except ConnectionError:
                data = b""
            now = time.perf_counter()
            if data:
                c.buf += data
                parsed = _parse(c.buf)
                if parsed is None:
                    continue
                status, length, close = parsed
                if status >= 300 and len(samples) < 5:
                    samples.append(bytes(c.buf[:length])[-400:].decode("utf-8", "replace"))
                del c.buf[:length]
                statuses[status] += 1
                latencies.append(now - c.sent_at)
                if now <= deadline:
                    in_window += 1
                    ok_in_window += 200 <= status < 300
            else:
                closed += 1  # the request in flight is lost: counted, not retried
                close = True
            if close:
                sel.unregister(c.sock)
                c.sock.close()
                c.buf.clear()
                if now < deadline:
                    c.sock = _connect(port)
                    sel.register(c.sock, selectors.EVENT_READ, c)
            if now < deadline:
                send(c)
            elif not close:
                sel.unregister(c.sock)
                c.sock.close()
                live -= 1
            else:
                live -= 1
    wall = time.perf_counter() - start
    for conn in conns:
        conn.sock.close()
    return {
        "in_window": in_window,
        "ok_in_window": ok_in_window,
        "duration": duration,
        "wall": wall,
        "cpu": time.process_time() - cpu0,
        "statuses": dict(statuses),
        "closed": closed,
        "latencies": latencies,
        "samples": samples,
    }


def _client(
    pipe: Connection, port: int, plans: dict[str, list[bytes]], mine: list[int], total: int
) -> None:
    """A client process: runs the phases the parent asks for until told to stop. Connection
    ``i`` of ``total`` starts its cycle through a plan at ``i / total`` of it."""
    while (msg := pipe.recv()) is not None:
        name, duration = msg
        plan = plans[name]
        pipe.send(_drive(port, plan, [i * len(plan) // total for i in mine], duration))


# --- measurement ----------------------------------------------------------------------


@dataclass
class _Phase:
    per_s: float
    ok_per_s: float
    server_cpu: float
    client_cpu: float
    statuses: Counter[int]
    closed: int
    latencies: list[float]
    samples: list[str]


def _run_phase(pipes: list[Connection], server_pid: int, name: str, duration: float) -> _Phase:
    cpu0, t0 = _cpu_seconds(server_pid), time.perf_counter()
    for p in pipes:
        p.send((name, duration))
    parts = [p.recv() for p in pipes]
    wall = time.perf_counter() - t0
    server_cpu = (_cpu_seconds(server_pid) - cpu0) / wall
    statuses: Counter[int] = Counter()
    for part in parts:
        statuses.update({int(k): v for k, v in part["statuses"].items()})
    return _Phase(
        per_s=sum(p["in_window"] / p["duration"] for p in parts),
        ok_per_s=sum(p["ok_in_window"] / p["duration"] for p in parts),
        server_cpu=server_cpu,
        client_cpu=sum(p["cpu"] / p["wall"] for p in parts),
        statuses=statuses,
        closed=sum(p["closed"] for p in parts),
        latencies=[x for p in parts for x in p["latencies"]],
        samples=[s for p in parts for s in p["samples"]],
    )


def _summary(phases: list[_Phase]) -> dict[str, Any]:
    lat = sorted(x * 1000 for p in phases for x in p.latencies)
    statuses: Counter[int] = Counter()
    for p in phases:
        statuses.update(p.statuses)
    non_2xx = {str(k): v for k, v in sorted(statuses.items()) if not 200 <= k < 300}
    out: dict[str, Any] = {
        "requests_per_s": round(statistics.fmean(p.per_s for p in phases), 1),
        "ok_per_s": round(statistics.fmean(p.ok_per_s for p in phases), 1),
        "per_round_ok_per_s": [round(p.ok_per_s, 1) for p in phases],
        "p50_ms": round(statistics.median(lat), 2) if lat else None,
        "p99_ms": round(lat[min(len(lat) - 1, int(len(lat) * 0.99))], 2) if lat else None,
        "max_ms": round(lat[-1], 2) if lat else None,
        "responses": len(lat),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "non_2xx": non_2xx,
        "connections_closed_by_server": sum(p.closed for p in phases),
        "server_cpu_per_round": [round(p.server_cpu, 2) for p in phases],
        "client_cpu_per_round": [round(p.client_cpu, 2) for p in phases],
    }
    samples = [s for p in phases for s in p.samples]
    if samples:
        out["non_2xx_samples"] = samples[:3]
    return out


def measure(
    url: str,
    *,
    store_url: str,
    duration: float,
    rounds: int,
    warmup: float,
    connections: int,
    procs: int,
    accounts: int,
    public_codes: int,
    seed: int,
) -> dict[str, Any]:
    run_id = f"{time.strftime('%m%d%H%M%S')}{secrets.token_hex(2)}"
    codes = _legal_person_codes(url, max(public_codes, accounts * SUBJECTS_PER_ACCOUNT), seed)
    if len(codes) < accounts * SUBJECTS_PER_ACCOUNT:
        raise SystemExit(f"only {len(codes)} legal persons sampled; lower --accounts")
    inquiry_codes = [
        codes[k * SUBJECTS_PER_ACCOUNT : (k + 1) * SUBJECTS_PER_ACCOUNT] for k in range(accounts)
    ]
    names = _add_inquirers(url, accounts, run_id)
    port = _free_port()
    load_before = os.getloadavg()
    server = _start_server(url, store_url, port)
    workers: list[mp.process.BaseProcess] = []
    pipes: list[Connection] = []
    try:
        _wait_ready(server, port)
        tokens = [_login(port, n) for n in names]
        status, body = _request(port, "GET", f"/api/v1/public/subjects/{codes[0]}")
        public_sample = {"status": status, "records": len(json.loads(body).get("records", []))}
        plans = _plans(port, codes[:public_codes], tokens, inquiry_codes)
        ctx = mp.get_context("spawn")
        for i in range(procs):
            mine = list(range(i, connections, procs))
            here, there = ctx.Pipe()
            proc = ctx.Process(
                target=_client, args=(there, port, plans, mine, connections), daemon=True
            )
            proc.start()
            workers.append(proc)
            pipes.append(here)
        warm: dict[str, Counter[int]] = {name: Counter() for name in MEASURES}
        if warmup > 0:
            for name in MEASURES:
                warm[name] = _run_phase(pipes, server.pid, name, warmup).statuses
        phases: dict[str, list[_Phase]] = {name: [] for name in MEASURES}
        for _ in range(rounds):
            for name in MEASURES:
                phases[name].append(_run_phase(pipes, server.pid, name, duration))
        load_after = os.getloadavg()
    finally:
        for p in pipes:
            with contextlib.suppress(OSError):
                p.send(None)
        for w in workers:
            w.join(timeout=10)
            if w.is_alive():
                w.terminate()
        _stop_server(server)

    results = {
        name: {
            "request": MEASURES[name],
            **_summary(ph),
            "warmup_statuses": {str(k): v for k, v in sorted(warm[name].items())},
        }
        for name, ph in phases.items()
    }
    ceiling = results["ceiling"]["ok_per_s"]
    ceilings = [p.ok_per_s for p in phases["ceiling"]]
    for name in ("publicity_by_code", "inquire"):
        r = results[name]
        r["ratio_to_ceiling"] = round(r["ok_per_s"] / ceiling, 3) if ceiling else None
        r["per_round_ratio"] = [
            round(p.ok_per_s / c, 3) if c else None
            for p, c in zip(phases[name], ceilings, strict=True)
        ]
        r["target_ratio"] = TARGET_RATIO
        r["meets_target"] = bool(
            r["ratio_to_ceiling"] is not None
            and r["ratio_to_ceiling"] >= TARGET_RATIO
            and not r["non_2xx"]
        )
    log = _inquiry_log(url, run_id)
    return {
        "server": {
            "command": " ".join(_server_command(port)),
            "workers": 1,
            "log": str(SERVER_LOG),
            "log_errors": _log_errors(),
            "env": {
                "XINYONG_NOW": AT.isoformat(),
                "XINYONG_RATE_LIMIT_PER_MINUTE": RATE_LIMIT,
                "XINYONG_PUBLIC_RATE_PER_MINUTE": RATE_LIMIT,
            },
        },
        "client": {
            "processes": procs,
            "connections": connections,
            "duration_s": duration,
            "rounds": rounds,
            "warmup_s": warmup,
            "kind": "raw keep-alive sockets, selectors loop, one request in flight each",
        },
        "load_average": {
            "before": [round(x, 2) for x in load_before],
            "after": [round(x, 2) for x in load_after],
            "cores": os.cpu_count(),
        },
        "publicity": {"distinct_codes": len(plans["publicity_by_code"]), "sample": public_sample},
        "inquiry_accounts": {
            "run": run_id,
            "accounts": accounts,
            "subjects_per_account": SUBJECTS_PER_ACCOUNT,
            "distinct_subjects": accounts * SUBJECTS_PER_ACCOUNT,
            "inquiries_per_account": round(sum(log.values()) / accounts, 1),
            "log_rows": log,
            "note": (
                "clock frozen: all inquiries in one harvesting window, so fresh accounts each "
                f"cycle over {SUBJECTS_PER_ACCOUNT} fixed subjects"
            ),
        },
        "results": results,
        "target": f"each ratio_to_ceiling >= {TARGET_RATIO} with no non-2xx response",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per phase")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds per measure, untimed")
    parser.add_argument("--connections", type=int, default=8, help="keep-alive connections")
    parser.add_argument("--procs", type=int, default=1, help="load-generating processes")
    parser.add_argument("--accounts", type=int, default=20, help="fresh inquirer accounts")
    parser.add_argument("--codes", type=int, default=10_000, help="legal persons for publicity")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the database")
    parser.add_argument(
        "--pg",
        help="PostgreSQL server URL: the core is its database bench_inquiry_N_M (as "
        "bench.inquiry_latency --pg --keep builds it), the store bench_public_pg_N_M; both kept",
    )
    args = parser.parse_args()
    if args.procs < 1 or args.connections < args.procs:
        parser.error("need 1 <= --procs <= --connections")
    if args.pg:
        url, _, info = _pg_db(args.pg, args.subjects, args.records, args.rebuild)
        store_url = pg_store_for(args.pg, url)
    else:
        url, info = _sqlite_db(args.subjects, args.records, args.rebuild)
        store_url = store_for(url)
    out = {
        "benchmark": "http_throughput",
        "backend": "postgresql" if args.pg else "sqlite",
        "subjects": args.subjects,
        "records": args.records,
        "instant": AT.isoformat(),
        "generation": {k: info[k] for k in ("setup_s", "load_s", "rows_per_s", "reused")},
        **measure(
            url,
            store_url=store_url,
            duration=args.duration,
            rounds=args.rounds,
            warmup=args.warmup,
            connections=args.connections,
            procs=args.procs,
            accounts=args.accounts,
            public_codes=args.codes,
            seed=args.seed,
        ),
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
