"""Audit log benchmark (DESIGN §5: verification ≥ 200 k entries/s, inclusion proofs O(log n)).

Fills a fresh database (SQLite by default, or ``--url``) with N entries through the service's
bulk append — ``--bound`` of them inquiries, each with its inquiry-log row bound to its entry
(``audit.binding``) — integrates them into the tree batch by batch as the worker does, then
times ``verify_log`` (one core, every core, thorough), the record binding
(``verify_bindings``, its own rate over the bound rows), and inclusion / consistency proofs at
several sizes. Each rate comes with its ceiling, measured in the same run: the driver's own
cursor scanning the same rows, no hashing. Prints JSON.
``python -m bench.audit_verify --entries 200000``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from xinyong.audit import service as audit
from xinyong.audit.binding import digest_of, verify_bindings
from xinyong.audit.repository import scan_entries, stream_entry_chunks
from xinyong.audit.verify import verify_log
from xinyong.audit.verify_parallel import usable_workers
from xinyong.core.actor import Actor, Role
from xinyong.core.config import Settings
from xinyong.db.base import Base
from xinyong.db.registry import load_all_models
from xinyong.db.session import make_engine, make_session_factory
from xinyong.inquiry.models import Inquiry, InquiryChannel, Outcome

ACTOR = Actor(
    role=Role.PROVIDER, user_id=42, display_name="张三", org_id=7, org_name="省市场监管局"
)
AUDITOR = Actor(role=Role.AUDITOR, user_id=1, display_name="审计员")
INQUIRER = Actor(
    role=Role.INQUIRER, user_id=43, display_name="李四", org_id=8, org_name="省发展改革委"
)
T0 = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)


def _events(start: int, n: int) -> list[audit.AuditEvent]:
    return [
        audit.AuditEvent(
            tag="records:record:create",
            object_type="record",
            object_id=i,
            subject_id=i % 100_000,
            after={
                "item": "admin_penalty",
                "CF_WSH": f"黔市监罚〔2026〕{i}号",
                "severity": "general",
            },
        )
        for i in range(start, start + n)
    ]


def _inquiry(i: int, at: datetime) -> Inquiry:
    return Inquiry(
        at=at,
        user_id=INQUIRER.user_id,
        user_name=INQUIRER.display_name,
        org_id=INQUIRER.org_id,
        org_code="11520000MB1234567X",
        org_name=INQUIRER.org_name,
        subject_id=i % 100_000,
        subject_code=f"91520000MA{i:08d}",
        purpose="licensing",
        channel=InquiryChannel.GOVERNMENT,
        outcome=Outcome.ANSWERED,
        items=["admin_penalty", "admin_license"],
        record_ids=[i, i + 1],
        request_id=f"r{i}",
    )


def _inquiries(session: Session, start: int, n: int) -> list[audit.AuditEvent]:
    """``n`` inquiry-log rows, written, and the audit events that bind them (as an inquiry's)."""
    at = T0 + timedelta(seconds=start)
    rows = [_inquiry(i, at) for i in range(start, start + n)]
    session.add_all(rows)
    session.flush()
    return [
        audit.AuditEvent(
            tag="inquiry:inquiry:answer",
            object_type="inquiry",
            object_id=row.id,
            subject_id=row.subject_id,
            after={"purpose": row.purpose, "row_digest": digest_of("inquiry", row)},
        )
        for row in rows
    ]


def _scan_rate(session: Session, sql: str) -> float:
    """Rows per second of the driver's own cursor over ``sql``: a ceiling, no hashing."""
    raw = session.connection().connection.driver_connection
    t = time.perf_counter()
    scanned = sum(len(rows) for rows in scan_entries(raw, sql))
    return scanned / (time.perf_counter() - t)


def run(
    url: str, entries: int, settings: Settings, bound: int, batch: int = 10_000
) -> dict[str, Any]:
    load_all_models()
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    factory = make_session_factory(engine)
    bound = min(bound, entries)
    out: dict[str, Any] = {"backend": engine.dialect.name, "entries": entries, "bound": bound}

    started = time.perf_counter()
    fill = 0.0
    with factory() as session:
        for start in range(0, entries, batch):
            n = min(batch, entries - start)
            if start < bound:
                inquiries = _inquiries(session, start, min(n, bound - start))
                events = inquiries + _events(start + len(inquiries), n - len(inquiries))
            else:
                events = _events(start, n)
            t = time.perf_counter()
            audit.record_events(session, actor=ACTOR, at=T0 + timedelta(seconds=start),
                                events=events)  # fmt: skip
            session.commit()
            fill += time.perf_counter() - t
    out["fill_seconds"] = round(time.perf_counter() - started, 3)
    # Sequencing alone: what an append costs on the request path.
    out["append_per_s"] = round(entries / fill)

    # Integration, as the worker's job does it: committed batches until nothing waits.
    t = time.perf_counter()
    signed = 0
    with factory() as session:
        while True:
            done = audit.integrate(session, settings=settings)
            session.commit()
            signed += len(done.checkpoints)
            if not done.waiting:
                break
    integrate_s = time.perf_counter() - t
    out["integrate"] = {
        "entries_per_s": round(entries / integrate_s),
        "seconds": round(integrate_s, 3),
        "batch": audit.BATCH_MAX,
        "checkpoints_signed": signed,
    }

    with factory() as session:
        # Ceiling: the database driver alone scanning the same rows, no hashing (DESIGN §5
        # asks for ratios to a ceiling measured in the same run).
        t = time.perf_counter()
        scanned = sum(len(rows) for rows in stream_entry_chunks(session))
        ceiling = scanned / (time.perf_counter() - t)
        result = verify_log(session, settings=settings)
        assert result.ok, result.problem
        out["verify"] = {
            "ok": result.ok,
            "seconds": round(result.seconds, 3),
            "entries_per_s": round(result.rate),
            "checkpoints": result.checkpoints,
            "scan_ceiling_rows_per_s": round(ceiling),
            "ratio_to_scan_ceiling": round(result.rate / ceiling, 3),
        }
        # What `xinyong verify` does on a committed log: every core (DESIGN §5: ≥ 200 k/s).
        every_core = verify_log(session, settings=settings, workers=None)
        assert every_core.ok, every_core.problem
        out["verify_every_core"] = {
            "workers": usable_workers(None),
            "seconds": round(every_core.seconds, 3),
            "entries_per_s": round(every_core.rate),
            "ratio_to_scan_ceiling": round(every_core.rate / ceiling, 3),
            "target_entries_per_s": 200_000,
            "meets_target": every_core.rate >= 200_000,
        }
        thorough = verify_log(session, settings=settings, thorough=True)
        out["verify_thorough_entries_per_s"] = round(thorough.rate)

        # Record binding (every bound row against its entry), its own rate over the rows.
        t = time.perf_counter()
        binding = verify_bindings(session)
        binding_s = time.perf_counter() - t
        assert binding.ok, binding.problem
        assert binding.rows == bound, (binding.rows, bound)
        ceiling = _scan_rate(session, "SELECT * FROM inquiry ORDER BY id")
        out["record_binding"] = {
            "rows": binding.rows,
            "seconds": round(binding_s, 3),
            "rows_per_s": round(binding.rows / binding_s) if binding_s else None,
            "scan_ceiling_rows_per_s": round(ceiling),
            "ratio_to_scan_ceiling": round(binding.rows / binding_s / ceiling, 3),
        }

        proofs = {}
        size = 1
        while size <= entries:
            times = []
            for k in range(20):
                t = time.perf_counter()
                audit.inclusion_proof(session, actor=AUDITOR, seq=(k * 7919) % size, size=size)
                times.append(time.perf_counter() - t)
            proofs[str(size)] = round(statistics.median(times) * 1000, 3)
            size *= 10
        out["inclusion_proof_ms_median_by_size"] = proofs
        t = time.perf_counter()
        audit.consistency_proof(session, actor=AUDITOR, first=entries // 3, second=entries)
        out["consistency_proof_ms"] = round((time.perf_counter() - t) * 1000, 3)
    engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument(
        "--bound", type=int, help="inquiries among them, rows bound (default: a fifth)"
    )
    parser.add_argument("--url", default="", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(var_dir=Path(tmp), audit_key_path=Path(tmp) / "audit.pem")
        url = args.url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        bound = args.entries // 5 if args.bound is None else args.bound
        out = run(url, args.entries, settings, bound)
        print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
