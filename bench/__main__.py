"""``make bench``: every benchmark of DESIGN §5, each as a ratio to a ceiling measured in the
same run, results written to ``bench/results/<name>.json``.

Sizes default to what a laptop runs in minutes; pass ``BENCH_ARGS`` per benchmark through the
environment for provincial scale, e.g. ``XINYONG_BENCH_INQUIRY="--subjects 1000000 --records
10000000"``. PostgreSQL runs too when ``XINYONG_TEST_DATABASE_URL`` names a server.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

RESULTS = Path(__file__).parent / "results"

BENCHMARKS = {
    "import_rate": ("XINYONG_BENCH_IMPORT", "--rows 20000"),
    "audit_verify": ("XINYONG_BENCH_AUDIT", "--entries 100000"),
    "report_pdf": ("XINYONG_BENCH_REPORT", "--records 100 --runs 5"),
    "inquiry_latency": ("XINYONG_BENCH_INQUIRY", "--subjects 10000 --records 100000 --calls 1000"),
    "http_throughput": ("XINYONG_BENCH_HTTP", "--subjects 10000 --records 100000 --duration 5"),
    "public_reads": ("XINYONG_BENCH_PUBLIC", "--subjects 10000 --records 100000 --duration 5"),
}


def main() -> int:
    RESULTS.mkdir(exist_ok=True)
    pg = os.environ.get("XINYONG_TEST_DATABASE_URL", "")
    failed = []
    for name, (env, default) in BENCHMARKS.items():
        args = shlex.split(os.environ.get(env, default))
        if pg and name == "inquiry_latency":
            args += ["--pg", pg]
        print(f"== {name} {' '.join(args)}", flush=True)
        run = subprocess.run(
            [sys.executable, "-m", f"bench.{name}", *args], capture_output=True, text=True
        )
        (RESULTS / f"{name}.json").write_text(run.stdout)
        print(run.stdout[-2000:], flush=True)
        if run.returncode != 0:
            failed.append(name)
            print(run.stderr[-2000:], file=sys.stderr)
    if failed:
        print(f"benchmarks failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
