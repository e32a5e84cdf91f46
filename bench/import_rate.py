"""``python -m bench.import_rate``: bulk delivery rate against the database's raw insert rate.

Generates N rows of a valid double-publicity penalty CSV (``admin_penalty``), imports it
through the real import path (validation, subjects, records + versions, provenance, disclosure
windows, change feed, chunk audit entries, per-chunk commits) into a fresh database, then
measures two raw-insert baselines of the same rows (DESIGN §5 target: import ≥ 0.5 of raw):

- ``raw_insert_real_tables`` (``ratio_real_tables``): every row the import wrote (subjects
  and their name index, records, versions, windows, changes, audit entries), copied into the
  same real tables of a database prepared the same way, at the database's own bulk speed
  (SQLite: executemany; PostgreSQL: COPY), one transaction — what the database itself costs;
- ``raw_insert`` (``ratio``): the file's cells into a bare table of the same columns, no index
  (SQLite: one executemany in one transaction; PostgreSQL: COPY).

Also the peak RSS of the import at two file sizes (flat memory).

Each measurement runs in its own subprocess so that peak RSS is that run's alone.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from xinyong.core.identifiers import resident_check_char, uscc_check_char

HEADER = [
    "行政相对人名称",
    "行政相对人类别",
    "统一社会信用代码",
    "证件类型",
    "证件号码",
    "行政处罚决定书文号",
    "违法行为类型",
    "违法事实",
    "处罚依据",
    "处罚类别",
    "处罚内容",
    "罚款金额（万元）",
    "处罚决定日期",
    "处罚机关",
    "处罚机关统一社会信用代码",
    "数据来源单位",
    "数据来源单位统一社会信用代码",
    "失信程度",
]
AUTHORITY = "115200000000000000"


def uscc(n: int, prefix: str = "91520100") -> str:
    body = f"{prefix}{n:09d}"
    return body + uscc_check_char(body)


def resident_id(n: int) -> str:
    """A valid, distinct resident number for each n (birth day n // 1000, sequence n % 1000)."""
    born = (date(1960, 1, 1) + timedelta(days=n // 1000)).strftime("%Y%m%d")
    body = f"520102{born}{n % 1000:03d}"
    return body + resident_check_char(body)


AUTH_USCC = uscc(1, "11520000")


def penalty_row(n: int) -> list[str]:
    person = n % 5 == 0
    return [
        f"贵州测试{n}号商贸有限公司" if not person else f"张{n}",
        "自然人" if person else "法人及非法人组织",
        "" if person else uscc(n),
        "身份证" if person else "",
        resident_id(n) if person else "",
        f"黔市监罚〔2026〕{n}号",
        "未按规定公示年度报告",
        "经查，当事人未按规定期限公示年度报告。",
        "《企业信息公示暂行条例》第十八条",
        "罚款",
        "罚款人民币壹万元整",
        f"{1 + n % 50}.{n % 100:02d}",
        f"2026-{1 + n % 8:02d}-{1 + n % 28:02d}",
        "贵阳市市场监督管理局",
        AUTH_USCC,
        "贵阳市市场监督管理局",
        AUTH_USCC,
        "一般",
    ]


def write_penalty_csv(path: Path, rows: int, *, start: int = 1) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for n in range(start, start + rows):
            writer.writerow(penalty_row(n))
    return path


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pg_database(admin_url: str) -> tuple[str, str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"xinyong_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(
        make_url(admin_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), name


def _drop_pg(admin_url: str, name: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(
        make_url(admin_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _prepared(url: str) -> tuple[Any, Any, Any, Any]:
    """A fresh schema with the catalogue and a provider: (engine, session, actor, clock)."""
    from xinyong import bootstrap
    from xinyong.accounts import service as accounts
    from xinyong.catalogue.loader import load_shipped_catalogues
    from xinyong.core.actor import SYSTEM
    from xinyong.core.clock import Clock
    from xinyong.db.base import Base
    from xinyong.db.registry import load_all_models
    from xinyong.db.session import make_engine, make_session_factory

    load_all_models()
    bootstrap.wire()
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    clock = Clock()
    session = make_session_factory(engine)()
    at = clock.now()
    load_shipped_catalogues(session, actor=SYSTEM, at=at)
    session.commit()
    accounts.add_organisation(
        session, actor=accounts.OPERATOR, code="GY-SJJ", name="贵阳市市场监督管理局",
        kind="provider", region="520100", at=at,
    )  # fmt: skip
    user = accounts.add_user(
        session, actor=accounts.OPERATOR, username="bench_provider",
        password="Qianlan-2026-guizhou!", org_code="GY-SJJ", role="provider", at=at,
    )  # fmt: skip
    session.commit()
    return engine, session, accounts.actor_for(user), clock


def run_import(url: str, path: Path) -> dict[str, Any]:
    """Schema, catalogue, a provider; then the import, timed."""
    from xinyong.records.importing.bulk import import_file

    engine, session, actor, clock = _prepared(url)
    started = time.perf_counter()
    with path.open("rb") as fh:
        result = import_file(
            session, actor=actor, item_code="admin_penalty", stream=fh, filename=path.name,
            at=clock.now(),
        )  # fmt: skip
    session.commit()
    elapsed = time.perf_counter() - started
    session.close()
    engine.dispose()
    return {
        "rows": result.rows,
        "accepted": result.accepted,
        "rejected": len(result.rejected),
        "seconds": round(elapsed, 3),
        "rows_per_s": round(result.rows / elapsed),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }


#: Rows read from the imported database per write of the real-tables baseline.
_RAW_SLICE = 50_000


def _new_rows_sqlite(source: Any, table: Any, after: int | None) -> Iterator[list[Any]]:
    """Slices of the rows of ``table`` the import wrote, as SQLite stores them."""
    where = "" if after is None else f" WHERE {table.primary_key.columns[0].name} > {after}"
    cursor = source.execute(f'SELECT * FROM "{table.name}"{where}')
    while rows := cursor.fetchmany(_RAW_SLICE):
        yield rows


def run_raw_real(source_url: str, url: str, path: Path) -> dict[str, Any]:
    """Every row the import wrote, into the same real tables (indexes, keys and constraints)
    of a database prepared the same way, as fast as the database goes: one executemany per
    slice on SQLite, ``COPY`` on PostgreSQL, one transaction. Only the writes are timed; the
    rows are read from the imported database between them."""
    from sqlalchemy import func, select

    from xinyong.db.base import Base

    engine, session, _, _ = _prepared(url)
    session.close()
    rows_in_file = sum(1 for _ in path.open(encoding="utf-8")) - 1
    source_engine = _engine(source_url)
    tables = Base.metadata.sorted_tables
    with engine.connect() as conn:
        # What the preparation wrote stays; a table it wrote to gains the rows after it.
        after = {}
        for table in tables:
            if conn.execute(select(func.count()).select_from(table)).scalar_one():
                after[table.name] = conn.execute(
                    select(func.max(table.primary_key.columns[0]))
                ).scalar_one()
    written, elapsed = 0, 0.0
    with engine.begin() as conn, source_engine.connect() as src:
        raw = conn.connection.driver_connection
        source = src.connection.driver_connection
        assert raw is not None
        assert source is not None
        for table in tables:
            if engine.dialect.name == "postgresql":
                n, seconds = _copy_pg(source, raw, table, after.get(table.name))
            else:
                n, seconds = 0, 0.0
                marks = ", ".join("?" for _ in table.columns)
                sql = f'INSERT INTO "{table.name}" VALUES ({marks})'
                for rows in _new_rows_sqlite(source, table, after.get(table.name)):
                    started = time.perf_counter()
                    raw.executemany(sql, rows)
                    seconds += time.perf_counter() - started
                    n += len(rows)
            written += n
            elapsed += seconds
        started = time.perf_counter()
    elapsed += time.perf_counter() - started  # the commit
    source_engine.dispose()
    engine.dispose()
    return {
        "rows": rows_in_file,
        "table_rows": written,
        "seconds": round(elapsed, 3),
        "rows_per_s": round(rows_in_file / elapsed),
    }


def _copy_pg(source: Any, target: Any, table: Any, after: int | None) -> tuple[int, float]:
    """``COPY`` the rows of ``table`` the import wrote: out of the imported database into a
    temporary file (not timed), then into ``target`` (timed)."""
    where = "" if after is None else f" WHERE {table.primary_key.columns[0].name} > {after}"
    with tempfile.TemporaryFile() as fh:
        n = 0
        with source.cursor() as cur:
            query = f'COPY (SELECT * FROM "{table.name}"{where}) TO STDOUT'
            with cur.copy(query) as out:
                for block in out:
                    fh.write(block)
            n = cur.rowcount
        fh.seek(0)
        started = time.perf_counter()
        with target.cursor() as cur, cur.copy(f'COPY "{table.name}" FROM STDIN') as copy:
            while block := fh.read(1 << 20):
                copy.write(block)
        return max(n, 0), time.perf_counter() - started


def _engine(url: str) -> Any:
    from xinyong.db.session import make_engine

    return make_engine(url)


def run_raw(url: str, path: Path) -> dict[str, Any]:
    """The same rows into a bare table of the same columns, as fast as the database goes."""
    from sqlalchemy import text

    from xinyong.db.session import make_engine

    engine = make_engine(url)
    cols = ", ".join(f"c{i} TEXT" for i in range(len(HEADER)))
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        rows = list(reader)
    started = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE raw_penalty (id INTEGER PRIMARY KEY, {cols})"))
        if engine.dialect.name == "postgresql":
            raw = conn.connection.driver_connection
            assert raw is not None
            names = ", ".join(f"c{i}" for i in range(len(HEADER)))
            with raw.cursor().copy(f"COPY raw_penalty (id, {names}) FROM STDIN") as copy:
                for i, row in enumerate(rows, 1):
                    copy.write_row([i, *row])
        else:
            marks = ", ".join("?" for _ in range(len(HEADER) + 1))
            conn.exec_driver_sql(
                f"INSERT INTO raw_penalty VALUES ({marks})",
                [(i, *row) for i, row in enumerate(rows, 1)],
            )
    elapsed = time.perf_counter() - started
    engine.dispose()
    rate = round(len(rows) / elapsed)
    return {"rows": len(rows), "seconds": round(elapsed, 3), "rows_per_s": rate}


def _child(mode: str, url: str, path: str, source: str | None = None) -> None:
    if mode == "real":
        assert source
        print(json.dumps(run_raw_real(source, url, Path(path))))
        return
    fn = run_import if mode == "import" else run_raw
    print(json.dumps(fn(url, Path(path))))


def _in_subprocess(mode: str, url: str, path: Path, source: str | None = None) -> dict[str, Any]:
    extra = ["--source", source] if source else []
    out = subprocess.run(
        [sys.executable, "-m", "bench.import_rate", "--child", mode, url, str(path), *extra],
        check=False, capture_output=True, text=True,
    )  # fmt: skip
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"the {mode} run failed (exit {out.returncode}); its output is above")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _once(backend: str, path: Path, pg_url: str | None, tmp: Path) -> dict[str, dict[str, Any]]:
    """One import and its two baselines, each into a fresh database of its own."""
    urls: list[tuple[str, str | None]] = []
    for _ in range(3):
        if backend == "postgresql":
            assert pg_url
            urls.append(_pg_database(pg_url))
        else:
            urls.append((f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:8]}.sqlite3'}", None))
    try:
        imported = _in_subprocess("import", urls[0][0], path)
        real = _in_subprocess("real", urls[1][0], path, source=urls[0][0])
        raw = _in_subprocess("raw", urls[2][0], path)
    finally:
        for _, name in urls:
            if name and pg_url:
                _drop_pg(pg_url, name)
    return {"import": imported, "raw_insert": raw, "raw_insert_real_tables": real}


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run whose rate is the median of the runs' (the lower middle one of an even
    count), with the peak RSS the largest of any run's."""
    ordered = sorted(runs, key=lambda r: r["rows_per_s"])
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    if "peak_rss_mb" in chosen:
        chosen["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    return chosen


def measure(
    backend: str, rows: int, tmp: Path, pg_url: str | None, repeat: int = 1
) -> dict[str, Any]:
    """The import and its baselines ``repeat`` times in turn; each figure is its median run's
    (on a shared machine one run of either can be off by a fifth), every run's rate listed."""
    path = write_penalty_csv(tmp / f"penalty-{rows}.csv", rows)
    runs = [_once(backend, path, pg_url, tmp) for _ in range(repeat)]
    kinds = ("import", "raw_insert_real_tables", "raw_insert")
    imported, real, raw = (_median_run([r[k] for r in runs]) for k in kinds)
    return {
        "backend": backend,
        "rows": rows,
        "repeat": repeat,
        "import": imported,
        "raw_insert": raw,
        "raw_insert_real_tables": real,
        "ratio": round(imported["rows_per_s"] / raw["rows_per_s"], 3),
        "ratio_real_tables": round(imported["rows_per_s"] / real["rows_per_s"], 3),
        "rates_per_run": {k: [r[k]["rows_per_s"] for r in runs] for k in kinds},
        "file_mb": round(path.stat().st_size / 1e6, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pg", default=os.environ.get("XINYONG_TEST_DATABASE_URL") or None)
    parser.add_argument("--child", nargs=3, metavar=("MODE", "URL", "PATH"))
    parser.add_argument("--source", help="the imported database (child of mode real)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of the import and its baselines (medians)"
    )
    args = parser.parse_args()
    if args.child:
        _child(*args.child, source=args.source)
        return
    backends = ["sqlite"] + (["postgresql"] if args.pg else [])
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            for rows in (args.rows // 4, args.rows):
                results.append(measure(backend, rows, Path(tmp), args.pg, args.repeat))
    report = {"benchmark": "bulk_delivery", "target_ratio": 0.5, "runs": results}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
