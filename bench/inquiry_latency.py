"""``python -m bench.inquiry_latency --subjects N --records M [--pg URL]``: read latencies.

DESIGN §5: a credit check or inquiry by code p99 ≤ 5 ms in-process; publicity search by name
fragment p99 ≤ 50 ms — on 1 M subjects / 10 M records. Builds the database with
``bench.synthetic`` (SQLite: reused under ``var/bench/`` keyed by N/M; PostgreSQL: a fresh
``bench_inquiry_<n>`` database in the given server, dropped afterwards unless ``--keep``), then
times, in-process and each call in a fresh session as a request would have it (the public
reads and the ceiling in the web's read-only sessions — autocommit on PostgreSQL — the rest in
sessions that may write):

- ``publicity_by_code``: ``disclosure.service.public_subject``;
- ``government_read``: ``disclosure.service.visible_records`` on the government channel (the
  read part of an inquiry by code);
- ``inquire``: ``inquiry.service.inquire``, the full inquiry (screening, read, log row and
  audit entry, commit) — the honest figure;
- ``name_search``: ``disclosure.service.public_search`` with a 2–4 character name fragment;
- ``ceiling``: a bare ``SELECT id FROM subject WHERE code = :c`` on the same engine;
- ``cold_publicity_by_code``: the first pass of ``publicity_by_code``, before the steady-state
  measures (cold only when the operating system's cache does not hold the database yet, e.g.
  the first run after building it; the same seed picks the same subjects every run).

Each measure runs after one read of every target subject and one search per fragment, so the
figures are those of a server whose working set is in memory and do not depend on the order
of the measures. As on a running platform, the worker's audit integration
(``audit.service.integrate``) runs beside them every ``INTEGRATE_EVERY``: an inquiry only
sequences its audit entry, and pays for the tree only in contention with that batch. On
PostgreSQL the engine does not pre-ping connections, so each call's figure is its own
statements, not a ``SELECT 1`` per checkout.

Prints JSON with p50/p99 in ms, each measure's ratio to the ceiling, and the verdict against
the target. A benchmark, not a test: nothing here fails on a slow machine.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.synthetic import AT, INQUIRER_USER, build

TARGETS_MS = {
    "publicity_by_code": 5.0,
    "government_read": 5.0,
    "inquire": 5.0,
    "name_search": 50.0,
    "cold_publicity_by_code": 5.0,
}
VAR = Path("var/bench")


def _sqlite_db(n: int, m: int, rebuild: bool) -> tuple[str, dict[str, Any]]:
    VAR.mkdir(parents=True, exist_ok=True)
    path = (VAR / f"inquiry_{n}_{m}.sqlite").resolve()
    marker = path.with_suffix(".json")
    if marker.exists() and path.exists() and not rebuild:
        _upgrade(f"sqlite:///{path}")
        return f"sqlite:///{path}", {**json.loads(marker.read_text()), "reused": True}
    for p in (path, marker, Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    info = build(url, subjects=n, records=m)
    marker.write_text(json.dumps(info))
    return url, {**info, "reused": False}


def _pg_admin(admin_url: str) -> Any:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    url = make_url(admin_url).set(drivername="postgresql+psycopg")
    return create_engine(url, isolation_level="AUTOCOMMIT")


def _upgrade(url: str) -> None:
    """A reused database follows the schema: new migrations (e.g. indexes) apply to it."""
    from xinyong.db.migrate import upgrade

    upgrade(url)


def _pg_db(admin_url: str, n: int, m: int, rebuild: bool) -> tuple[str, str, dict[str, Any]]:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    name = f"bench_inquiry_{n}_{m}"
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    admin = _pg_admin(admin_url)
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if exists.first() is not None and not rebuild:
            # A kept database carries the generation figures in its comment.
            comment = conn.execute(
                text(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                    "WHERE datname = :n"
                ),
                {"n": name},
            ).scalar()
            if comment:
                admin.dispose()
                _upgrade(url)
                return url, name, {**json.loads(comment), "reused": True}
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    info = build(url, subjects=n, records=m)
    with admin.connect() as conn:
        literal = json.dumps(info).replace("'", "''")
        conn.execute(text(f"COMMENT ON DATABASE \"{name}\" IS '{literal}'"))
    admin.dispose()
    return url, name, {**info, "reused": False}


def _drop_pg(admin_url: str, name: str) -> None:
    from sqlalchemy import text

    admin = _pg_admin(admin_url)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _time(calls: list[Callable[[], Any]], warmup: int) -> dict[str, float]:
    for call in calls[:warmup]:
        call()
    samples = []
    for call in calls:
        t = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 3),
        "p99_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.99))], 3),
        "max_ms": round(samples[-1], 3),
        "calls": len(samples),
    }


def measure(
    url: str, calls: int, search_calls: int, seed: int = 7, cold_pass: bool = True
) -> dict[str, Any]:
    from sqlalchemy import func, select, text

    from xinyong.accounts.models import UserAccount
    from xinyong.accounts.sessions import actor_for
    from xinyong.core.actor import Actor, Role
    from xinyong.core.errors import NotFound
    from xinyong.db.registry import load_all_models
    from xinyong.db.session import make_engine, make_session_factory, start_checkpointer
    from xinyong.disclosure import service as disclosure
    from xinyong.disclosure.rules import Channel
    from xinyong.inquiry import purposes
    from xinyong.inquiry import service as inquiry
    from xinyong.inquiry.models import Inquiry
    from xinyong.inquiry.ratelimit import harvesting_policy
    from xinyong.subjects.models import Subject
    from xinyong.violations.models import Violation
    from xinyong.web.app import SWITCH_INTERVAL_S, settle_heap

    load_all_models()
    engine = make_engine(url, **({"pool_pre_ping": False} if url.startswith("postgresql") else {}))
    start_checkpointer(engine)  # as the server does (SQLite: the WAL copied off the request path)
    # As the server process does (``web.app.create_app``): the integrator's thread below, like
    # the server's in-process scheduler, lets go of the interpreter lock after 0.5 ms, not 5.
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    factory = make_session_factory(engine)
    rng = random.Random(seed)
    with factory() as s:
        n = s.scalar(select(func.max(Subject.id))) or 0
        user = s.scalars(select(UserAccount).where(UserAccount.username == INQUIRER_USER)).one()
        actor = actor_for(user)
        ids = [rng.randint(1, n) for _ in range(calls)]
        by_id = {}
        for row in s.execute(
            select(Subject.id, Subject.code, Subject.type, Subject.name).where(
                Subject.id.in_(set(ids))
            )
        ):
            by_id[row.id] = row
        orgs = [
            r.name
            for r in s.execute(
                select(Subject.name).where(Subject.type != "natural_person").limit(20_000)
            )
        ]
    targets = [by_id[i] for i in ids]
    fragments = []
    for _ in range(search_calls):
        name = rng.choice(orgs)
        k = rng.randint(2, 4)
        start = rng.randrange(0, max(1, len(name) - k))
        fragments.append(name[start : start + k])

    # Public reads run in the web's read-only sessions (``@read_only``), the rest in sessions
    # that may write, as the server does.
    reads = make_session_factory(engine, writes=False, snapshot=False)

    def in_session(
        fn: Callable[[Any], Any], make: Any = factory, commit: bool = False
    ) -> Callable[[], Any]:
        def call() -> Any:
            with make() as s:
                try:
                    out = fn(s)
                except NotFound:
                    return None
                if commit:  # the request's unit of work commits what the use case wrote
                    s.commit()
                return out

        return call

    ceiling = text("SELECT id FROM subject WHERE code = :c")
    # Harvesting detection blocks > 60 distinct subjects per 10 minutes per account: space the
    # inquiries 12 s apart on the (frozen) clock, i.e. 50 per window; all on the same day.
    policy = harvesting_policy()
    spacing = policy.window / (policy.distinct_subjects - 10)
    # A reused database holds the inquiries (and harvesting alerts) of earlier runs: start a
    # day after the latest of them, as the clock of a running platform would.
    with factory() as s:
        latest = [
            s.scalar(select(func.max(Inquiry.at))),
            s.scalar(select(func.max(Violation.at))),
        ]
    start = max([AT, *(t + policy.cooldown + timedelta(days=1) for t in latest if t)])
    inquire_at = [start + spacing * i for i in range(calls + calls // 10)]
    # The daily cap (Art. 18) would refuse most of one account's day of calls: the credit
    # office lifts it for the benchmark, as it may for a heavy user.
    office = Actor(role=Role.CREDIT_OFFICE, username="bench", display_name="bench")
    with factory() as s:
        purposes.set_cap(
            s, actor=office, per_day=len(inquire_at) + 1, at=AT,
            default=policy.daily_cap,
        )  # fmt: skip
        s.commit()
    counter = iter(range(len(inquire_at)))
    with factory() as s:
        sample = len(
            disclosure.visible_records(
                s, channel=Channel.GOVERNMENT, subject_id=targets[0].id, actor=actor, at=AT
            )
        )
    measures = {
        "ceiling": [
            in_session(lambda s, t=t: s.execute(ceiling, {"c": t.code}).scalar(), reads)
            for t in targets
        ],
        "publicity_by_code": [
            in_session(lambda s, t=t: disclosure.public_subject(s, code=t.code, at=AT), reads)
            for t in targets
        ],
        # Ended as the web ends a request that succeeded (``web.transactions``: commit). A
        # read ended by ROLLBACK would also empty psycopg's prepared-statement cache (it clears
        # it on every rollback), so on PostgreSQL each read would re-plan its statement.
        "government_read": [
            in_session(
                lambda s, t=t: disclosure.visible_records(
                    s, channel=Channel.GOVERNMENT, subject_id=t.id, actor=actor, at=AT
                ),
                commit=True,
            )
            for t in targets
        ],
        "inquire": [
            in_session(
                lambda s, t=t: inquiry.inquire(
                    s,
                    actor=actor,
                    subject_code=t.code,
                    purpose="licensing",
                    at=inquire_at[next(counter)],
                ),
                commit=True,
            )
            for t in targets
        ],
        "name_search": [
            in_session(lambda s, q=q: disclosure.public_search(s, q=q, at=AT), reads)
            for q in fragments
        ],
    }
    # Steady state: a server that has been up holds its working set in memory. One read of
    # every target subject (and one search per fragment) first, so that the measures do not
    # depend on their order; ``cold_publicity_by_code`` keeps the first, cold pass's figure.
    integrator = _Integrator(factory)
    settle_heap()  # as `xinyong serve` does once its app is built (``web.app.settle_heap``)
    integrator.start()
    try:
        cold = _time(measures["publicity_by_code"], warmup=0) if cold_pass else None
        for call in measures["government_read"] + measures["name_search"]:
            call()
        results = {name: _time(fns, warmup=max(1, calls // 10)) for name, fns in measures.items()}
    finally:
        integrator.stop()
    if cold is not None:
        results["cold_publicity_by_code"] = cold
    ceiling_p99 = results["ceiling"]["p99_ms"]
    for name, r in results.items():
        if name == "ceiling":
            continue
        r["p99_ratio_to_ceiling"] = round(r["p99_ms"] / ceiling_p99, 1)
        r["target_p99_ms"] = TARGETS_MS[name]
        r["meets_target"] = r["p99_ms"] <= TARGETS_MS[name]
    engine.dispose()
    return {
        "records_of_first_subject": sample,
        "audit_integration": integrator.summary(),
        "results": results,
    }


class _Integrator(threading.Thread):
    """The worker's ``audit_integrate`` job, on a thread, every ``INTEGRATE_EVERY``."""

    def __init__(self, factory: Any) -> None:
        from xinyong.audit import service as audit

        super().__init__(name="bench-integrator", daemon=True)
        self.factory, self.audit = factory, audit
        self.every = audit.INTEGRATE_EVERY.total_seconds()
        self.halt = threading.Event()
        self.runs: list[tuple[int, float]] = []  # (entries folded, milliseconds)

    def run(self) -> None:
        while not self.halt.wait(self.every):
            t = time.perf_counter()
            with self.factory() as s:
                done = self.audit.integrate(s)
                s.commit()
            self.runs.append((done.entries, (time.perf_counter() - t) * 1000))

    def stop(self) -> None:
        self.halt.set()
        self.join()
        with self.factory() as s:  # what the last interval left, as the next run would
            self.audit.integrate(s)
            s.commit()

    def summary(self) -> dict[str, Any]:
        return {
            "every_s": self.every,
            "runs": len(self.runs),
            "entries": sum(n for n, _ in self.runs),
            "max_ms": round(max((ms for _, ms in self.runs), default=0.0), 3),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=2_000)
    parser.add_argument("--search-calls", type=int, help="name searches to time (default: --calls)")
    parser.add_argument("--pg", help="PostgreSQL server URL (a fresh database is created in it)")
    parser.add_argument(
        "--keep", action="store_true", help="keep the PostgreSQL database for the next run"
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the database")
    parser.add_argument("--build-only", action="store_true", help="build (or reuse), don't time")
    args = parser.parse_args()
    pg_name = None
    if args.pg:
        url, pg_name, info = _pg_db(args.pg, args.subjects, args.records, args.rebuild)
    else:
        url, info = _sqlite_db(args.subjects, args.records, args.rebuild)
    if args.build_only:
        print(json.dumps({"built": url.rsplit("@", 1)[-1], **info}, ensure_ascii=False))
        return
    try:
        out = {
            "benchmark": "inquiry_latency",
            "backend": "postgresql" if args.pg else "sqlite",
            "subjects": args.subjects,
            "records": args.records,
            "instant": AT.isoformat(),
            "generation": {k: info[k] for k in ("setup_s", "load_s", "rows_per_s", "reused")},
            **measure(url, args.calls, args.search_calls or args.calls),
        }
    finally:
        if pg_name and not args.keep:
            _drop_pg(args.pg, pg_name)
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
