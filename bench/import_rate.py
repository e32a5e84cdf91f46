"""``python -m bench.import_rate``: bulk delivery rate against the database's raw insert rate.

Generates N rows of a valid double-publicity penalty CSV (``admin_penalty``), imports it
through the real import path (validation, subjects, records + versions, provenance, chunk
audit entries, per-chunk commits) into a fresh database, then measures the database's own
bulk-insert rate for the same rows into a bare table of the same columns (SQLite: one
executemany in one transaction; PostgreSQL: COPY). Prints JSON: rows/s of both, their ratio
(DESIGN §5 target ≥ 0.5) and the peak RSS of the import at two file sizes (flat memory).

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


def run_import(url: str, path: Path) -> dict[str, Any]:
    """Schema, catalogue, a provider; then the import, timed."""
    from xinyong import bootstrap
    from xinyong.accounts import service as accounts
    from xinyong.catalogue.loader import load_shipped_catalogues
    from xinyong.core.actor import SYSTEM
    from xinyong.core.clock import Clock
    from xinyong.db.base import Base
    from xinyong.db.registry import load_all_models
    from xinyong.db.session import make_engine, make_session_factory
    from xinyong.records.importing.bulk import import_file

    load_all_models()
    bootstrap.wire()
    import xinyong.records.models  # noqa: F401

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
    actor = accounts.actor_for(user)
    started = time.perf_counter()
    with path.open("rb") as fh:
        result = import_file(
            session, actor=actor, item_code="admin_penalty", stream=fh, filename=path.name,
            at=clock.now(),
        )  # fmt: skip
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


def _child(mode: str, url: str, path: str) -> None:
    fn = run_import if mode == "import" else run_raw
    print(json.dumps(fn(url, Path(path))))


def _in_subprocess(mode: str, url: str, path: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.import_rate", "--child", mode, url, str(path)],
        check=False, capture_output=True, text=True,
    )  # fmt: skip
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"the {mode} run failed (exit {out.returncode}); its output is above")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def measure(backend: str, rows: int, tmp: Path, pg_url: str | None) -> dict[str, Any]:
    path = write_penalty_csv(tmp / f"penalty-{rows}.csv", rows)
    urls: list[tuple[str, str | None]] = []
    for _ in range(2):
        if backend == "postgresql":
            assert pg_url
            urls.append(_pg_database(pg_url))
        else:
            urls.append((f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:8]}.sqlite3'}", None))
    try:
        imported = _in_subprocess("import", urls[0][0], path)
        raw = _in_subprocess("raw", urls[1][0], path)
    finally:
        for _, name in urls:
            if name and pg_url:
                _drop_pg(pg_url, name)
    return {
        "backend": backend,
        "rows": rows,
        "import": imported,
        "raw_insert": raw,
        "ratio": round(imported["rows_per_s"] / raw["rows_per_s"], 3),
        "file_mb": round(path.stat().st_size / 1e6, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pg", default=os.environ.get("XINYONG_TEST_DATABASE_URL") or None)
    parser.add_argument("--child", nargs=3, metavar=("MODE", "URL", "PATH"))
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    backends = ["sqlite"] + (["postgresql"] if args.pg else [])
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            for rows in (args.rows // 4, args.rows):
                results.append(measure(backend, rows, Path(tmp), args.pg))
    report = {"benchmark": "bulk_delivery", "target_ratio": 0.5, "runs": results}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
