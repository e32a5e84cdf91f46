"""``python -m bench --profile smoke``: every benchmark of DESIGN §5 runs at tiny sizes, writes its
result and takes its row in the one table (issue 16 item 6). Not timed: the figures at these
sizes mean nothing and a loaded machine must not fail the suite; what is checked is that each
benchmark still runs against the current code and reports the fields the table is built from.

PostgreSQL is measured too when ``XINYONG_TEST_DATABASE_URL`` names a server (the import, the
inquiry latency, the core server over HTTP and the public reads from a store in that server),
as ``make bench`` does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = [
    "import_rate", "audit_verify", "report_pdf", "inquiry_latency", "http_throughput",
    "public_reads",
]  # fmt: skip

pytestmark = pytest.mark.bench


def _result(results: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((results / f"{name}.json").read_text(encoding="utf-8"))
    return data


def test_every_benchmark_runs_at_smoke_size_and_reports_its_figures(tmp_path: Path) -> None:
    names = [n for n in BENCHMARKS if n != "public_reads" or shutil.which("wrk")]
    results = tmp_path / "results"
    env = {k: v for k, v in os.environ.items() if k != "XINYONG_VAR_DIR"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "src")])
    # The synthetic databases and server logs go under the test's own var/bench/. The time
    # allowed is for a stuck benchmark only: on a slow machine under the suite's other
    # workers the smoke run took 150 s for the import alone, alone about 75 s.
    run = subprocess.run(
        [sys.executable, "-m", "bench", "--profile", "smoke", "--results", str(results),
         "--only", ",".join(names)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]

    pg = bool(os.environ.get("XINYONG_TEST_DATABASE_URL"))
    imp = _result(results, "import_rate")
    assert {r["backend"] for r in imp["runs"]} == ({"sqlite", "postgresql"} if pg else {"sqlite"})
    for r in imp["runs"]:
        assert r["import"]["accepted"] == r["rows"] > 0
        assert r["import"]["rows_per_s"] > 0
        assert r["raw_insert"]["rows_per_s"] > 0
        assert r["ratio"] > 0
        assert r["import"]["peak_rss_mb"] > 0
        # Each figure is its median run's, among the runs listed.
        assert len(r["rates_per_run"]["import"]) == r["repeat"] == 2
        for kind in ("import", "raw_insert_real_tables", "raw_insert"):
            assert r[kind]["rows_per_s"] in r["rates_per_run"][kind]

    audit = _result(results, "audit_verify")
    assert audit["verify"]["ok"] is True
    assert audit["verify"]["entries_per_s"] > 0
    assert audit["verify_every_core"]["entries_per_s"] > 0
    assert audit["inclusion_proof_ms_median_by_size"]

    report = _result(results, "report_pdf")
    assert report["records"] == 5
    assert report["report_pdf_bytes"] > 0
    assert report["report_median_s"] > 0
    assert report["trivial_pdf_median_s"] > 0
    assert report["target_s"] == 0.5

    for name in ["inquiry_latency", *(["inquiry_latency-postgresql"] if pg else [])]:
        inquiry = _result(results, name)["results"]
        assert {"ceiling", "publicity_by_code", "inquire", "name_search"} <= set(inquiry)
        assert all(r["p99_ms"] > 0 for r in inquiry.values())

    # The core server over HTTP, on each database (PostgreSQL: the latency run's kept one).
    for name in ["http_throughput", *(["http_throughput-postgresql"] if pg else [])]:
        assert _result(results, name)["backend"] == (name.partition("-")[2] or "sqlite")
        http = _result(results, name)["results"]
        assert http["ceiling"]["ok_per_s"] > 0
        assert http["publicity_by_code"]["ratio_to_ceiling"] > 0
        assert http["inquire"]["ratio_to_ceiling"] > 0

    public = ["public_reads", *(["public_reads-postgresql"] if pg else [])]
    if "public_reads" not in names:
        public = []
    for name in public:
        assert _result(results, name)["backend"] == (name.partition("-")[2] or "sqlite")
        for measures in _result(results, name)["servers"].values():
            assert measures["ceiling"]["rps"] > 0
            assert {"publicity_by_code", "subject_page", "name_search"} <= set(measures)
            assert {"subject_page_first_pass", "name_search_first_pass"} <= set(measures)
            assert measures["publicity_by_code"]["ratio"] > 0
            # Measured in turn with the other process count: one rate per round.
            assert len(measures["publicity_by_code"]["rps_per_round"]) == 1

    # One table: a row per figure of every benchmark, each with its value and target.
    summary = _result(results, "summary")
    figures = summary["figures"]
    assert {f["benchmark"] for f in figures} == set(names)
    assert all(f["value"] and f["target"] for f in figures)
    assert "ceiling (same run)" in run.stdout
    for name in names:
        assert f"\n{name} " in run.stdout
    # DESIGN §5: two processes against one, per store, server and measure.
    pairs = 0
    for name in public:
        servers = _result(results, name)["servers"]
        assert {"uvloop+httptools", "uvloop+httptools ×2"} <= set(servers)
        pairs += sum(1 for s in servers if s.endswith(" ×2"))
    scaling = [f for f in figures if "2 processes ÷ 1" in f["figure"]]
    assert len(scaling) == 3 * pairs
    assert {f["backend"] for f in scaling} == {r.partition("-")[2] or "sqlite" for r in public}
    assert all(f["target"] == "≥ 1.7 ×" and f["ratio"] > 0 for f in scaling)
