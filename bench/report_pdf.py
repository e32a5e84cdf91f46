"""``python -m bench.report_pdf``: time to issue a credit report (RGT-1) for a subject with
100 records (DESIGN §5 target: ≤ 0.5 s).

Fills a fresh database (SQLite by default, or ``--url`` for an empty PostgreSQL database) with
one company and N administrative penalties delivered through the records service, a tenth of
them amended (so the report prints changes), then times ``reports.service.issue_report``
end to end — self view, content, digest, HTML, QR code, PDF, register row, audit entry,
commit — as the median of several runs. The ceiling, measured in the same run, is the same
PDF renderer on a trivial one-page document. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from xinyong import bootstrap
from xinyong.accounts import service as accounts
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Actor
from xinyong.core.config import Settings
from xinyong.core.identifiers import uscc_check_char
from xinyong.db.base import Base
from xinyong.db.registry import load_all_models
from xinyong.db.session import make_engine, make_session_factory
from xinyong.disclosure.service import compute_and_store_windows
from xinyong.documents.pdf import render_pdf
from xinyong.records import service as records
from xinyong.records.schemas import AmendmentCreate, RecordCreate
from xinyong.reports import service as reports

AT = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)
AUTHORITY = "贵阳市市场监督管理局"
COMPANY = "贵州基准测试有限公司"
PASSWORD = "Qianlan-2026-guizhou!"
TARGET_S = 0.5


def _code(body: str) -> str:
    return body + uscc_check_char(body)


def _penalty(i: int, code: str) -> RecordCreate:
    decided = date(2026, 9, 1) - timedelta(days=i)
    return RecordCreate.model_validate(
        {
            "item": "admin_penalty",
            "source_id": f"BENCH-{i}",
            "severity": "general",
            "fields": {
                "XDR_MC": COMPANY,
                "XDR_LB": "法人及非法人组织",
                "XDR_SHXYM": code,
                "CF_WSH": f"黔市监罚〔2026〕{i}号",
                "CF_WFXW": "未按规定履行义务",
                "CF_SY": f"经查，当事人{COMPANY}未按规定履行第 {i} 项义务。",
                "CF_YJ": "《中华人民共和国行政处罚法》",
                "CF_CFLB": "罚款",
                "CF_NR": "罚款人民币伍仟元整",
                "CF_NR_FK": "0.5",
                "CF_JDRQ": decided.isoformat(),
                "CF_CFJG": AUTHORITY,
                "CF_CFJGDM": _code("11520000000000000"),
                "CF_SJLY": AUTHORITY,
                "CF_SJLYDM": _code("11520000000000000"),
            },
        }
    )


def _fill(session: Session, n: int) -> Actor:
    """The shipped catalogue, a provider, a company with ``n`` penalties; its subject account."""
    load_all_models()
    load_shipped_catalogues(session, actor=SYSTEM, at=AT)
    op = accounts.OPERATOR
    accounts.add_organisation(
        session, actor=op, code="GY-SJJ", name=AUTHORITY, kind="provider", region="520100",
        parent_code=None, at=AT,
    )  # fmt: skip
    provider = accounts.actor_for(
        accounts.add_user(
            session, actor=op, username="sjj", password=PASSWORD, org_code="GY-SJJ",
            role="provider", subject_code=None, purposes=(), items=(), at=AT,
        )
    )  # fmt: skip
    code = _code("91520100000000042")
    ids = [records.deliver_record(session, actor=provider, data=_penalty(i, code), at=AT)[0].id
           for i in range(n)]  # fmt: skip
    for rid in ids[::10]:
        records.amend_record(
            session, actor=provider, record_id=rid, at=AT,
            data=AmendmentCreate(fields={"CF_NR_FK": "0.3"}, reason="罚款金额录入有误"),
        )  # fmt: skip
    compute_and_store_windows(session, ids, at=AT)
    session.commit()
    return accounts.actor_for(
        accounts.add_user(
            session, actor=op, username="self1", password=PASSWORD, org_code=None,
            role="subject", subject_code=code, purposes=(), items=(), at=AT,
        )
    )  # fmt: skip


def _median(fn: Any, runs: int) -> tuple[float, float, list[float]]:
    """Median wall time, median CPU time of this process, and every wall time. On a busy host
    the CPU time is what the run would take alone (rendering is single-threaded)."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu), wall


def run(url: str, n: int, runs: int) -> dict[str, Any]:
    engine = make_engine(url)
    load_all_models()
    # Until the disclosure and reports contexts are listed in xinyong.db.registry.
    import xinyong.disclosure.models
    import xinyong.reports.models  # noqa: F401

    Base.metadata.create_all(engine)
    session = make_session_factory(engine)()
    subject = _fill(session, n)
    last: dict[str, Any] = {}

    def issue() -> None:
        report, pdf = reports.issue_report(
            session, actor=subject, at=AT, base_url="https://xinyong.example"
        )
        last.update(number=report.number, records=report.records_count, bytes=len(pdf))

    issue()  # warm-up: fonts, templates
    trivial = "<!doctype html><html><body><h1>信用报告</h1><p>一页 One page.</p></body></html>"
    render_pdf(trivial)
    report_s, report_cpu, report_all = _median(issue, runs)
    ceiling_s, ceiling_cpu, _ = _median(lambda: render_pdf(trivial), runs)
    session.close()
    engine.dispose()
    return {
        "benchmark": "report_pdf",
        "database": url.split(":", 1)[0],
        "records": last["records"],
        "runs": runs,
        "report_median_s": round(report_s, 4),
        "report_max_s": round(max(report_all), 4),
        "report_cpu_median_s": round(report_cpu, 4),
        "report_pdf_bytes": last["bytes"],
        "trivial_pdf_median_s": round(ceiling_s, 4),
        "trivial_pdf_cpu_median_s": round(ceiling_cpu, 4),
        "ratio_to_trivial": round(report_s / ceiling_s, 1),
        "target_s": TARGET_S,
        "meets_target": report_s <= TARGET_S,
        "meets_target_cpu": report_cpu <= TARGET_S,
        "host_load_1min": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    bootstrap.wire()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--url", default="", help="an EMPTY database (default: temp SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or Settings(var_dir=Path(tmp)).resolved_database_url()
        print(json.dumps(run(url, args.records, args.runs), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
