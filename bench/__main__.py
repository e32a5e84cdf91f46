"""``make bench``: every benchmark of DESIGN §5, each figure as a ratio to a ceiling measured in
the same run; results in ``bench/results/<name>.json`` and one table (also
``bench/results/summary.json``).

``python -m bench [--profile laptop|province|smoke] [--results DIR] [--only NAME,...]``

- ``laptop`` (default, ``make bench``): 10 k subjects / 100 k records, a 20 k-row import; a few
  minutes on two cores (under 10).
- ``province`` (``make bench-province``): the sizes DESIGN §5 states — 1 M subjects / 10 M
  records, a 1 M-row import. The synthetic databases are built once and reused (SQLite under
  ``var/bench/``, PostgreSQL kept with ``--keep``, as at every size); the first build takes
  tens of minutes (the inquiry databases: 10 min on SQLite, 17 on PostgreSQL, on two cores).
- ``smoke``: tiny sizes, seconds each, for the test suite (``tests/bench``); figures at these
  sizes mean nothing, only that every benchmark runs and reports.

One benchmark's arguments can be replaced through its environment variable, e.g.
``XINYONG_BENCH_INQUIRY="--subjects 100000 --records 1000000"``. PostgreSQL is measured as well
when ``XINYONG_TEST_DATABASE_URL`` names a server: the import benchmark reads it itself, the
inquiry latency runs a second time (``inquiry_latency-postgresql.json``, its database
``bench_inquiry_N_M`` kept), then the core server over HTTP on that database
(``http_throughput-postgresql.json``, its store ``bench_public_pg_N_M``), and the public reads
with their store in that server (``public_reads-postgresql.json``, database
``bench_public_N_M``); each kept and brought up to date by the next run.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

from bench.summary import summarise, write_summary

RESULTS = Path(__file__).parent / "results"

#: name → environment variable overriding its arguments.
ENV = {
    "import_rate": "XINYONG_BENCH_IMPORT",
    "audit_verify": "XINYONG_BENCH_AUDIT",
    "report_pdf": "XINYONG_BENCH_REPORT",
    "inquiry_latency": "XINYONG_BENCH_INQUIRY",
    "http_throughput": "XINYONG_BENCH_HTTP",
    "public_reads": "XINYONG_BENCH_PUBLIC",
}

_CORE_LAPTOP = "--subjects 10000 --records 100000"
_CORE_PROVINCE = "--subjects 1000000 --records 10000000"
_CORE_SMOKE = "--subjects 300 --records 1500"

PROFILES: dict[str, dict[str, str]] = {
    "laptop": {
        "import_rate": "--rows 20000 --repeat 3",
        "audit_verify": "--entries 100000",
        "report_pdf": "--records 100 --runs 5",
        "inquiry_latency": f"{_CORE_LAPTOP} --calls 1000",
        "http_throughput": f"{_CORE_LAPTOP} --duration 3 --rounds 2 --warmup 0.5",
        "public_reads": f"{_CORE_LAPTOP} --duration 3 --rounds 2",
    },
    "province": {
        "import_rate": "--rows 1000000",
        "audit_verify": "--entries 1000000",
        "report_pdf": "--records 100 --runs 7",
        "inquiry_latency": f"{_CORE_PROVINCE} --calls 2000",
        "http_throughput": f"{_CORE_PROVINCE} --duration 10 --rounds 3",
        "public_reads": f"{_CORE_PROVINCE} --duration 10 --rounds 3",
    },
    "smoke": {
        "import_rate": "--rows 400 --repeat 2",
        "audit_verify": "--entries 2000",
        "report_pdf": "--records 5 --runs 1",
        "inquiry_latency": f"{_CORE_SMOKE} --calls 20",
        "http_throughput": (
            f"{_CORE_SMOKE} --duration 0.3 --rounds 1 --warmup 0.1 --accounts 2 --codes 100"
        ),
        "public_reads": f"{_CORE_SMOKE} --duration 1 --rounds 1 --codes 100 "
        "--servers uvloop+httptools --workers 1,2",
    },
}


def _runs(profile: str, pg: str) -> list[tuple[str, str, list[str]]]:
    """(result name, module, arguments) of every run of ``profile``."""
    runs = []
    for name, default in PROFILES[profile].items():
        args = shlex.split(os.environ.get(ENV[name], default))
        runs.append((name, name, args))
        if pg and name == "inquiry_latency":
            # Kept at every size: the core server over HTTP measures the same database next.
            runs.append((f"{name}-postgresql", name, [*args, "--pg", pg, "--keep"]))
        if pg and name == "http_throughput":
            runs.append((f"{name}-postgresql", name, [*args, "--pg", pg]))
        if pg and name == "public_reads":
            # The store on PostgreSQL, with the server chosen on SQLite's runs (its event loop and
            # HTTP parser); the store's database is what differs.
            uvloop = ["--servers", "uvloop+httptools"]
            runs.append((f"{name}-postgresql", name, [*args, *uvloop, "--pg", pg]))
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=sorted(PROFILES), default="laptop")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--only", default="", help="comma-separated benchmark names")
    args = parser.parse_args(argv)
    results: Path = args.results
    results.mkdir(parents=True, exist_ok=True)
    only = {n for n in args.only.split(",") if n}
    pg = os.environ.get("XINYONG_TEST_DATABASE_URL", "")
    failed, started = [], time.perf_counter()
    timings: dict[str, float] = {}
    done: list[str] = []
    for result, module, bench_args in _runs(args.profile, pg):
        if only and module not in only:
            continue
        print(f"== {result} {' '.join(bench_args)}", flush=True)
        t = time.perf_counter()
        run = subprocess.run(
            [sys.executable, "-m", f"bench.{module}", *bench_args],
            capture_output=True,
            text=True,
        )
        timings[result] = round(time.perf_counter() - t, 1)
        (results / f"{result}.json").write_text(run.stdout, encoding="utf-8")
        done.append(result)
        print(f"   {timings[result]} s, exit {run.returncode}", flush=True)
        if run.returncode != 0:
            failed.append(result)
            print(run.stderr[-2000:], file=sys.stderr, flush=True)
    rows, text = summarise(results, done)
    meta = {
        "profile": args.profile,
        "seconds": round(time.perf_counter() - started, 1),
        "seconds_by_benchmark": timings,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cores": os.cpu_count(),
        "failed": failed,
    }
    write_summary(results, rows, meta)
    print()
    print(text)
    print(
        f"\nprofile {args.profile}: {meta['seconds']} s on {meta['cores']} cores, "
        f"load average {meta['load_average']}; results in {results}/",
        flush=True,
    )
    if failed:
        print(f"benchmarks failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
