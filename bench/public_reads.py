"""``python -m bench.public_reads``: public reads from the publication store over HTTP (issue 16
item 1), as ratios to ``/healthz`` on the same server, measured with ``wrk``.

Set-up: the synthetic core database of ``bench.inquiry_latency`` (reused under ``var/bench/``),
published with ``xinyong publish`` into a store (``--store-url``; ``--pg URL``: the database
``bench_public_N_M`` in that PostgreSQL server; default a SQLite file beside the core database;
a store already published is only brought up to date). The server is ``xinyong serve
--public``'s app (the store only, no core URL in its environment), one uvicorn process per
``--servers`` variant, e.g. ``uvloop+httptools`` against ``asyncio+h11``, so the event loop and
HTTP parser are chosen by measurement. The public rate limit is lifted (every client here is
127.0.0.1: an operational control, not what is measured).

Each variant measures, with ``wrk -t2 -c{connections} -d{duration}``, interleaved over
``--rounds``: ``/healthz`` (the ceiling: a constant document, no database), the publicity answer
by code (``/api/v1/public/subjects/{code}`` cycling over random legal persons: one primary-key
lookup of a stored JSON document), the HTML subject page (``/public/subjects/{code}``: the same
document rendered; measured after one pass over its pages, as a server that has been up keeps
what it rendered — that pass's own rate is reported as ``subject_page_first_pass``) and the
name search (``/api/v1/public/subjects?q=`` over fragments of real names; also after one pass,
since a process keeps its answers until the next publication: ``name_search_first_pass``).
A variant's servers (one per ``--workers`` count) are up together and measured in turn: every
round runs each phase on each of them, their order alternating from round to round, so the
two-processes-over-one quotient compares runs seconds apart. ``wrk`` is installed with apt
when missing. Prints JSON with requests/s (each round's too), p50/p99 latencies, each ratio to
the ceiling and its target (0.7 JSON, 0.5 HTML, 0.5 search).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench.inquiry_latency import _pg_admin, _sqlite_db
from bench.synthetic import AT

TARGETS = {"publicity_by_code": 0.7, "subject_page": 0.5, "name_search": 0.5}
SERVERS = {
    "uvloop+httptools": {"loop": "uvloop", "http": "httptools"},
    "asyncio+h11": {"loop": "asyncio", "http": "h11"},
}
SERVER_CODE = """
import sys, uvicorn
from xinyong.core.config import Settings
from xinyong.web.app import create_app, settle_heap
loop, http, port, workers = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
if workers > 1:  # as `xinyong serve --public --workers N` runs them
    from xinyong.cli.workers import Workers
    config = uvicorn.Config("xinyong.web.app:create_served_public_app", factory=True,
                            host="127.0.0.1", port=port, loop=loop, http=http,
                            log_level="warning", access_log=False)
    sys.exit(Workers(config, workers).run())
else:
    app = create_app(Settings(), public_only=True)
    settle_heap()
    uvicorn.run(app, host="127.0.0.1", port=port, loop=loop, http=http, log_level="warning",
                access_log=False)
"""


def _wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False, capture_output=True)
        found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is not installed and apt-get could not install it")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _samples(url: str, want: int, seed: int) -> tuple[list[str], list[str]]:
    """Random legal-person codes, and 4-character fragments of their names."""
    from sqlalchemy import text

    from xinyong.db.session import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT code, name FROM subject WHERE type = 'legal_person' LIMIT :n"),
                {"n": want * 5},
            ).all()
    finally:
        engine.dispose()
    rng = random.Random(seed)
    rng.shuffle(rows)
    rows = rows[:want]
    frags = []
    for _, name in rows:
        start = rng.randrange(0, max(1, len(name) - 4))
        frags.append(name[start : start + 4])
    return [r[0] for r in rows], frags


def _lua(paths: list[str]) -> str:
    body = ",\n".join(json.dumps(p) for p in paths)
    return (
        f"paths = {{\n{body}\n}}\ni = 0\n"
        "request = function()\n  i = i + 1\n"
        '  return wrk.format("GET", paths[(i % #paths) + 1])\nend\n'
    )


def _run_wrk(wrk: str, base: str, paths: list[str], conns: int, duration: int) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(_lua(paths))
        script = fh.name
    try:
        out = subprocess.run(
            [wrk, "-t2", f"-c{conns}", f"-d{duration}s", "--latency", "-s", script, base],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    return {"rps": rps, "p50": lat.get("50"), "p99": lat.get("99"),
            "non_2xx": int(errors.group(1)) if errors else 0}  # fmt: skip


def pg_store_for(admin_url: str, core_url: str) -> str:
    """The publication store of a synthetic core database on a PostgreSQL server, kept for the
    next run (which only brings it up to date) and made again when the core database was
    rebuilt since: the core's build (its marker file's time, or the comment a core database on
    PostgreSQL carries its generation figures in) is the store database's comment. A SQLite
    core ``inquiry_N_M`` publishes into ``bench_public_N_M``, the PostgreSQL core
    ``bench_inquiry_N_M`` into ``bench_public_pg_N_M``."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    comment = text(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :n"
    )
    admin = _pg_admin(admin_url)
    with admin.connect() as conn:
        if core_url.startswith("sqlite"):
            core = Path(core_url.removeprefix("sqlite:///"))
            marker = core.with_suffix(".json")
            built = str(marker.stat().st_mtime_ns) if marker.exists() else "unknown"
            name = core.stem.replace("inquiry_", "bench_public_", 1)
        else:
            core_name = str(make_url(core_url).database)
            generation = conn.execute(comment, {"n": core_name}).scalar() or "unknown"
            built = hashlib.sha256(str(generation).encode()).hexdigest()[:16]
            name = core_name.replace("bench_inquiry_", "bench_public_pg_", 1)
        url: str = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        found = conn.execute(comment, {"n": name}).first()
        if found is None or found[0] != built:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
            conn.execute(text(f"COMMENT ON DATABASE \"{name}\" IS '{built}'"))
    admin.dispose()
    return url


def _backend(url: str) -> str:
    """``sqlite`` or ``postgresql``, from a database URL."""
    return url.split(":", 1)[0].split("+", 1)[0]


def store_for(core_url: str) -> str:
    """The publication store of a synthetic core database (``var/bench/inquiry_N_M.sqlite`` →
    ``public_N_M.sqlite`` beside it), shared by the HTTP benchmarks. A store older than the
    core database's build (``--rebuild``) is removed: its rows belong to other records."""
    core = Path(core_url.removeprefix("sqlite:///"))
    store = core.with_name(core.name.replace("inquiry_", "public_", 1))
    marker = core.with_suffix(".json")
    if store.exists() and marker.exists() and store.stat().st_mtime < marker.stat().st_mtime:
        for p in (store, Path(f"{store}-wal"), Path(f"{store}-shm")):
            p.unlink(missing_ok=True)
    return f"sqlite:///{store}"


def _publish(core_url: str, store_url: str, env: dict[str, str]) -> dict[str, Any]:
    env = {**env, "XINYONG_DATABASE_URL": core_url, "XINYONG_PUBLIC_DATABASE_URL": store_url}
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-c", "from xinyong.cli.main import app; app()", "publish"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    summary = json.loads(run.stdout.strip().splitlines()[-1])
    return {**summary, "wall_seconds": round(time.perf_counter() - started, 2)}


class _Server:
    """One ``xinyong serve --public``-like server (a variant, 1 or more processes) on its port."""

    def __init__(self, variant: str, workers: int, store_url: str, env: dict[str, str]) -> None:
        opts = SERVERS[variant]
        self.name = variant + ("" if workers == 1 else f" ×{workers}")
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        server_env = {k: v for k, v in env.items() if k != "XINYONG_DATABASE_URL"}
        server_env["XINYONG_PUBLIC_DATABASE_URL"] = store_url
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SERVER_CODE, opts["loop"], opts["http"], str(self.port),
             str(workers)],
            env=server_env,
        )  # fmt: skip

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise SystemExit(f"server {self.name} did not start") from None
                time.sleep(0.2)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=30)


def measure(variant: str, store_url: str, env: dict[str, str], phases: dict[str, list[str]],
            args: argparse.Namespace, workers: list[int]) -> dict[str, dict[str, Any]]:  # fmt: skip
    """``variant`` with each process count in ``workers``, all servers up together and measured
    in turn: each round runs every phase on every server, the servers' order alternating from
    round to round, so the two-processes-over-one quotient compares runs seconds apart rather
    than one server's whole measurement with the next one's (this machine's rates drift by
    ±20–60 % between runs of the same build). A server not being measured is idle."""
    wrk = _wrk()
    servers = [_Server(variant, n, store_url, env) for n in workers]
    try:
        firsts: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        for server in servers:
            server.wait_ready()
            _run_wrk(wrk, server.base, ["/healthz"], args.connections, 1)  # warm-up
            # A server that has been up keeps the pages it has rendered (``web.kept``): one
            # pass of the page phase first (twice its duration, so that with two processes
            # each has rendered most pages), then the rounds measure the steady state.
            # That pass's own rate is reported too: most of its pages were rendered on the spot.
            page = _run_wrk(
                wrk, server.base, phases["subject_page"], args.connections, 2 * args.duration
            )
            # The same for the name search: a process keeps its answers until the next
            # publication (``web.api.public``), so a server that has been up answers most
            # questions it was asked before from memory; the pass's own rate is reported too.
            search = _run_wrk(
                wrk, server.base, phases["name_search"], args.connections, 2 * args.duration
            )
            firsts[server.name] = (page, search)
        rounds: dict[str, dict[str, list[dict[str, Any]]]] = {
            server.name: {name: [] for name in phases} for server in servers
        }
        for i in range(args.rounds):
            for name, paths in phases.items():
                for server in servers if i % 2 == 0 else reversed(servers):
                    run = _run_wrk(wrk, server.base, paths, args.connections, args.duration)
                    rounds[server.name][name].append(run)
    finally:
        for server in servers:
            server.stop()
    return {name: _result(rounds[name], *firsts[name]) for name in rounds}


def _result(
    rounds: dict[str, list[dict[str, Any]]], first: dict[str, Any], first_search: dict[str, Any]
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, runs in rounds.items():
        result[name] = {"rps": round(sum(r["rps"] for r in runs) / len(runs), 1),
                        "rps_per_round": [r["rps"] for r in runs],
                        "p50": runs[-1]["p50"], "p99": runs[-1]["p99"],
                        "non_2xx": sum(r["non_2xx"] for r in runs)}  # fmt: skip
    ceiling = result["ceiling"]["rps"]
    for name, target in TARGETS.items():
        ratio = result[name]["rps"] / ceiling if ceiling else 0.0
        result[name].update(ratio=round(ratio, 3), target=target, met=ratio >= target)
    for name, run in (("subject_page_first_pass", first), ("name_search_first_pass", first_search)):
        result[name] = {
            "rps": run["rps"], "p50": run["p50"], "p99": run["p99"], "non_2xx": run["non_2xx"],
            "ratio": round(run["rps"] / ceiling, 3) if ceiling else 0.0,
        }  # fmt: skip
    return result


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--subjects", type=int, default=10_000)
    p.add_argument("--records", type=int, default=100_000)
    p.add_argument("--store-url", default="")
    p.add_argument(
        "--pg", help="PostgreSQL server URL: the store is a database in it, kept for the next run"
    )
    p.add_argument("--connections", type=int, default=8)
    p.add_argument("--duration", type=int, default=5)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--codes", type=int, default=2000)
    p.add_argument("--servers", default=",".join(SERVERS))
    p.add_argument("--workers", default="1,2", help="server processes to measure, e.g. 1,2")
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args()

    core_url, info = _sqlite_db(args.subjects, args.records, rebuild=False)
    store_url = args.store_url or (
        pg_store_for(args.pg, core_url) if args.pg else store_for(core_url)
    )
    path = os.pathsep.join(filter(None, [str(Path("src").resolve()), os.environ.get("PYTHONPATH")]))
    env = {
        **os.environ,
        "XINYONG_NOW": AT.isoformat(),
        "XINYONG_VAR_DIR": str(Path("var").resolve()),
        "XINYONG_PUBLIC_RATE_PER_MINUTE": "100000000",
        "PYTHONPATH": path,
    }
    published = _publish(core_url, store_url, env)
    codes, frags = _samples(core_url, args.codes, args.seed)
    phases = {
        "ceiling": ["/healthz"],
        "publicity_by_code": [f"/api/v1/public/subjects/{c}" for c in codes],
        "subject_page": [f"/public/subjects/{c}" for c in codes],
        "name_search": [f"/api/v1/public/subjects?q={quote(f)}" for f in frags],
    }
    # One entry per server and process count ("uvloop+httptools", "uvloop+httptools ×2").
    workers = [int(w) for w in args.workers.split(",")]
    results: dict[str, dict[str, Any]] = {}
    for variant in args.servers.split(","):
        results.update(measure(variant, store_url, env, phases, args, workers))
    print(json.dumps({
        "benchmark": "public_reads", "subjects": args.subjects, "records": args.records,
        "connections": args.connections, "duration_s": args.duration, "rounds": args.rounds,
        "store": store_url.split("@")[-1], "backend": _backend(store_url), "core": info,
        "publish": published,
        "servers": results, "load_average": os.getloadavg(),
    }, indent=2, default=str))  # fmt: skip


if __name__ == "__main__":
    main()
