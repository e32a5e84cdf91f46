"""One table of every DESIGN §5 figure from the JSON the benchmarks wrote: each figure with
the ceiling measured in the same run, their ratio, the target and whether it is met.

A benchmark may print a top-level ``figures`` list of rows itself (keys of ``Row``); otherwise
the reader below for its name picks the figures out of its JSON. A reader that does not
understand a result (a benchmark changed its output) gives one row saying so instead of
failing: the table never hides a benchmark.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Row:
    benchmark: str
    figure: str
    backend: str = ""
    value: str = ""
    ceiling: str = ""
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    note: str = field(default="")


def _rate(n: float, unit: str) -> str:
    if n >= 10_000:
        return f"{n / 1000:,.1f} k {unit}"
    return f"{n:,.0f} {unit}"


def _import_rate(d: dict[str, Any]) -> Iterator[Row]:
    target = float(d.get("target_ratio", 0.5))
    by_backend: dict[str, list[dict[str, Any]]] = {}
    for run in d["runs"]:
        backend = run.get("backend", "")
        by_backend.setdefault(backend, []).append(run)
        imp, raw = run["import"], run["raw_insert"]
        yield Row(
            "import_rate", f"bulk delivery, {run['rows']:,} rows", backend,
            _rate(imp["rows_per_s"], "rows/s"), _rate(raw["rows_per_s"], "rows/s raw insert"),
            run.get("ratio"), f"ratio ≥ {target}", (run.get("ratio") or 0) >= target,
            f"{imp.get('rejected', 0)} rejected" if imp.get("rejected") else "",
        )  # fmt: skip
        for key, other in run.items():  # further baselines (e.g. into the real tables)
            if key.startswith("raw_insert_") and isinstance(other, dict) and "rows_per_s" in other:
                yield Row(
                    "import_rate", f"bulk delivery vs {key[11:].replace('_', ' ')}", backend,
                    _rate(imp["rows_per_s"], "rows/s"), _rate(other["rows_per_s"], "rows/s"),
                    round(imp["rows_per_s"] / other["rows_per_s"], 3), f"ratio ≥ {target}",
                    imp["rows_per_s"] / other["rows_per_s"] >= target,
                )  # fmt: skip
    for backend, runs in by_backend.items():
        if len(runs) < 2:
            continue
        small, large = min(runs, key=lambda r: r["rows"]), max(runs, key=lambda r: r["rows"])
        a, b = small["import"]["peak_rss_mb"], large["import"]["peak_rss_mb"]
        yield Row(
            "import_rate", f"peak RSS, {small['rows']:,} → {large['rows']:,} rows", backend,
            f"{b:.0f} MB", f"{a:.0f} MB", round(b / a, 3), "ratio ≤ 1.10", b / a <= 1.10,
        )  # fmt: skip


def _audit_verify(d: dict[str, Any]) -> Iterator[Row]:
    backend = d.get("backend", "")
    target = 200_000
    for key, label in (("verify", "one core"), ("verify_every_core", "every core")):
        v = d.get(key)
        if not isinstance(v, dict):
            continue
        ceiling = d["verify"].get("scan_ceiling_rows_per_s")
        rate = v["entries_per_s"]
        yield Row(
            "audit_verify", f"verification, {label} ({d.get('entries', 0):,} entries)", backend,
            _rate(rate, "entries/s"), _rate(ceiling, "rows/s scan") if ceiling else "",
            v.get("ratio_to_scan_ceiling"), "≥ 200 k entries/s", rate >= target,
        )  # fmt: skip
    for key, v in d.items():  # e.g. record binding, reported as its own rate
        if key.startswith("record_binding") and isinstance(v, dict):
            unit = "rows" if "rows_per_s" in v else "entries"
            ceiling = v.get("scan_ceiling_rows_per_s")
            yield Row(
                "audit_verify", f"{key.replace('_', ' ')} ({v.get('rows', 0):,} rows)", backend,
                _rate(v[f"{unit}_per_s"], f"{unit}/s"),
                _rate(ceiling, "rows/s scan") if ceiling else "",
                v.get("ratio_to_scan_ceiling"), target="reported",
            )  # fmt: skip
    proofs = d.get("inclusion_proof_ms_median_by_size") or {}
    if proofs:
        sizes = sorted(proofs, key=int)
        first, last = proofs[sizes[0]], proofs[sizes[-1]]
        yield Row(
            "audit_verify", f"inclusion proof, tree of {int(sizes[-1]):,}", backend,
            f"{last} ms", f"{first} ms at {int(sizes[0]):,}",
            round(last / first, 1) if first else None, "O(log n)",
        )  # fmt: skip


def _report_pdf(d: dict[str, Any]) -> Iterator[Row]:
    target = float(d.get("target_s", 0.5))
    yield Row(
        "report_pdf", f"credit report PDF, {d['records']} records (median)", d.get("database", ""),
        f"{d['report_median_s']:.3f} s", f"{d['trivial_pdf_median_s']:.3f} s one-page PDF",
        d.get("ratio_to_trivial"), f"≤ {target} s", d["report_median_s"] <= target,
        f"CPU {d.get('report_cpu_median_s', 0):.3f} s, load {d.get('host_load_1min', '?')}",
    )  # fmt: skip


def _inquiry_latency(d: dict[str, Any]) -> Iterator[Row]:
    results = d["results"]
    ceiling = results.get("ceiling", {}).get("p99_ms")
    size = f"{d.get('subjects', 0):,} / {d.get('records', 0):,}"
    for name, r in results.items():
        if name == "ceiling" or "target_p99_ms" not in r:
            continue
        yield Row(
            "inquiry_latency", f"{name.replace('_', ' ')} p99 ({size})", d.get("backend", ""),
            f"{r['p99_ms']} ms", f"{ceiling} ms bare SELECT" if ceiling is not None else "",
            r.get("p99_ratio_to_ceiling"), f"p99 ≤ {r['target_p99_ms']} ms", r.get("meets_target"),
        )  # fmt: skip


def _http_throughput(d: dict[str, Any]) -> Iterator[Row]:
    results = d["results"]
    ceiling = results.get("ceiling", {}).get("ok_per_s")
    for name, r in results.items():
        if name == "ceiling" or "ratio_to_ceiling" not in r:
            continue
        bad = sum(n for s, n in (r.get("statuses") or {}).items() if not str(s).startswith("2"))
        yield Row(
            "http_throughput", f"{name.replace('_', ' ')} over HTTP", d.get("backend", ""),
            _rate(r["ok_per_s"], "req/s"), _rate(ceiling, "req/s /healthz") if ceiling else "",
            r["ratio_to_ceiling"], f"ratio ≥ {r.get('target_ratio', 0.7)}", r.get("meets_target"),
            f"{bad} non-2xx" if bad else "",
        )  # fmt: skip


def _public_reads(d: dict[str, Any]) -> Iterator[Row]:
    store = str(d.get("backend") or str(d.get("store", "")).split(":", 1)[0])
    for server, measures in d["servers"].items():
        ceiling = measures.get("ceiling", {}).get("rps")
        for name, r in measures.items():
            if name == "ceiling" or "ratio" not in r:
                continue
            bad = r.get("non_2xx") or 0
            yield Row(
                "public_reads", f"{name.replace('_', ' ')} [{server}]", store,
                _rate(r["rps"], "req/s"), _rate(ceiling, "req/s /healthz") if ceiling else "",
                r["ratio"], f"ratio ≥ {r['target']}" if "target" in r else "reported",
                bool(r.get("met")) and not bad if "target" in r else None,
                f"{bad} non-2xx" if bad else "",
            )  # fmt: skip
    yield from _scaling(d["servers"], store)


#: DESIGN §5: two server processes answer at least 1.7 times what one does, on two cores.
SCALING_TARGET = 1.7


def _scaling(servers: dict[str, dict[str, Any]], store: str) -> Iterator[Row]:
    """Each steady measure's rate with two server processes over its rate with one, per server
    (the load generator shares the same two cores); the ceiling column gives the same
    quotient for ``/healthz``. First passes have no target and no row here."""
    for server, two in servers.items():
        base = server.removesuffix(" ×2")
        one = servers.get(base) if base != server else None
        if one is None:
            continue
        healthz = [m.get("ceiling", {}).get("rps") for m in (one, two)]
        for name, r in two.items():
            if name == "ceiling" or "target" not in r or not one.get(name, {}).get("rps"):
                continue
            quotient = round(r["rps"] / one[name]["rps"], 2)
            yield Row(
                "public_reads", f"{name.replace('_', ' ')}, 2 processes ÷ 1 [{base}]", store,
                f"{quotient:.2f} ×",
                f"/healthz {healthz[1] / healthz[0]:.2f} ×" if all(healthz) else "",
                quotient, f"≥ {SCALING_TARGET} ×", quotient >= SCALING_TARGET,
            )  # fmt: skip


READERS: dict[str, Callable[[dict[str, Any]], Iterator[Row]]] = {
    "import_rate": _import_rate,
    "audit_verify": _audit_verify,
    "report_pdf": _report_pdf,
    "inquiry_latency": _inquiry_latency,
    "http_throughput": _http_throughput,
    "public_reads": _public_reads,
}


def rows_of(name: str, text: str) -> list[Row]:
    """The table rows of one benchmark's output (``name`` as in ``bench.<name>``, a suffix after
    ``-`` such as ``inquiry_latency-postgresql`` naming a variant)."""
    base = name.split("-", 1)[0]
    try:
        data = json.loads(text)
    except ValueError:
        return [Row(base, "no result (the benchmark failed, see its output)", met=False)]
    try:
        if isinstance(data.get("figures"), list):
            return [Row(**{"benchmark": base, **f}) for f in data["figures"]]
        rows = list(READERS[base](data))
    except (KeyError, TypeError, ValueError, ZeroDivisionError) as error:
        return [Row(base, f"result not understood ({type(error).__name__}: {error})")]
    return rows or [Row(base, "no figures in the result")]


def _cell(row: Row) -> list[str]:
    met = {True: "yes", False: "NO", None: "—"}[row.met]
    ratio = "" if row.ratio is None else f"{row.ratio:g}"
    return [row.benchmark, row.figure, row.backend, row.value, row.ceiling, ratio, row.target,
            met, row.note]  # fmt: skip


HEADER = ["benchmark", "figure", "db", "figure value", "ceiling (same run)", "ratio", "target",
          "met", "note"]  # fmt: skip


def table(rows: list[Row]) -> str:
    """A plain-text table, one line per figure."""
    cells = [HEADER, *(_cell(r) for r in rows)]
    widths = [max(len(c[i]) for c in cells) for i in range(len(HEADER))]
    lines = ["  ".join(c[i].ljust(widths[i]) for i in range(len(HEADER))).rstrip() for c in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def summarise(results: Path, names: list[str] | None = None) -> tuple[list[Row], str]:
    """The results ``names`` (default: every ``results/*.json`` but the summary) read into
    rows and a table."""
    if names is None:
        names = sorted(p.stem for p in results.glob("*.json") if p.stem != "summary")
    rows: list[Row] = []
    for name in names:
        rows += rows_of(name, (results / f"{name}.json").read_text(encoding="utf-8"))
    return rows, table(rows)


def write_summary(results: Path, rows: list[Row], meta: dict[str, Any]) -> Path:
    path = results / "summary.json"
    doc = {**meta, "figures": [asdict(r) for r in rows]}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
