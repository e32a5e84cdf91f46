"""Synthetic provincial-size data for the read benchmarks (DESIGN §5: 1 M subjects, 10 M records).

``build(url, subjects=N, records=M)`` migrates a fresh database, loads the shipped catalogue
through its use case (so records bind to real published item versions), adds one provider
organisation and one inquirer account through the accounts use cases, then writes the subjects,
records, their head versions and their stored disclosure windows **directly with bulk SQL**
(SQLite: ``executemany`` in large transactions with ``synchronous=OFF``; PostgreSQL: ``COPY
FROM STDIN``), bypassing the delivery services.

Why bypass: delivering 10 M rows through validation, provenance and audit runs at the import
rate (``bench.import_rate``) and would take hours; the benchmarks built on this data measure
*reads*, so what matters is that the rows are the ones the services would have written: valid
identifiers (USCC / resident check characters), ``name_key`` from ``normalize_name``, every NOT
NULL column, records at version 1 with the matching ``record_version`` row, and the window the
disclosure service would store (``windows.disclosure_window``, cached per (item, severity,
decision date)). Secondary indexes are dropped during the load and re-created afterwards, as a
bulk loader does; unique constraints stay.

Deterministic for a given seed. Not a use case: nothing here is audited.
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from xinyong.core.identifiers import resident_check_char, uscc_check_char
from xinyong.subjects.rules import normalize_name

AT = datetime(2026, 9, 30, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
PROVIDER_ORG = "520100-scjgj"
INQUIRER_ORG = "520100-fgw"
INQUIRER_USER = "bench-inquirer"
INQUIRER_PASSWORD = "Bench-inquirer-2026!"
TABLES = ("subject", "record", "record_version", "record_window")

CITIES = ("贵阳", "遵义", "安顺", "六盘水", "毕节", "铜仁", "凯里", "都匀", "兴义", "仁怀")
MARKS = ("示例", "黔", "云", "山", "筑", "乌江", "红枫", "花溪", "苗岭", "夜郎", "金", "盛")
TRADES = ("科技", "商贸", "建材", "物流", "餐饮", "农业", "医药", "建筑", "酒业", "电子")
FORMS = ("有限公司", "有限责任公司", "股份有限公司", "合作社")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"

_SQLITE_DT = "%Y-%m-%d %H:%M:%S.%f"


def uscc(n: int, prefix: str) -> str:
    body = f"{prefix}{n:09d}"
    return body + uscc_check_char(body)


def resident_id(n: int) -> str:
    born = (date(1960, 1, 1) + timedelta(days=n // 1000)).strftime("%Y%m%d")
    body = f"520102{born}{n % 1000:03d}"
    return body + resident_check_char(body)


def subject_row(n: int, rng: random.Random) -> tuple[str, str, str, str]:
    """(type, code, id_kind, name) of subject n.

    85 % companies, 5 % unincorporated organisations, 10 % persons."""
    r = rng.random()
    if r < 0.10:
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
        return "natural_person", resident_id(n), "resident_id", name
    city, mark, trade = rng.choice(CITIES), rng.choice(MARKS), rng.choice(TRADES)
    if r < 0.15:
        return (
            "unincorporated_org",
            uscc(n, "93520100"),
            "uscc",
            f"{city}{mark}{trade}专业合作社{n}",
        )
    return "legal_person", uscc(n, "91520100"), "uscc", f"{city}{mark}{trade}{rng.choice(FORMS)}{n}"


# --- setup through the use cases --------------------------------------------------------


def _setup(url: str) -> dict[str, Any]:
    """Migrate, load the catalogue, add the provider and the inquirer (through the services)."""
    from sqlalchemy import select

    from xinyong.accounts import service as accounts
    from xinyong.catalogue.loader import load_shipped_catalogues
    from xinyong.catalogue.models import CatalogueItem, CatalogueItemVersion
    from xinyong.core.actor import SYSTEM
    from xinyong.db.migrate import upgrade
    from xinyong.db.registry import load_all_models
    from xinyong.db.session import make_engine, make_session_factory

    load_all_models()
    upgrade(url)
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            load_shipped_catalogues(session, actor=SYSTEM, at=AT)
            session.commit()
            op = accounts.OPERATOR
            provider = accounts.add_organisation(
                session,
                actor=op,
                code=PROVIDER_ORG,
                name="贵阳市市场监督管理局",
                kind="provider",
                at=AT,
            )
            accounts.add_organisation(
                session,
                actor=op,
                code=INQUIRER_ORG,
                name="贵阳市发展和改革委员会",
                kind="organ",
                at=AT,
            )
            accounts.add_user(
                session,
                actor=op,
                username=INQUIRER_USER,
                password=INQUIRER_PASSWORD,
                org_code=INQUIRER_ORG,
                role="inquirer",
                display_name="基准测试查询员",
                purposes=["licensing", "inspection"],
                at=AT,
            )
            rows = session.execute(
                select(CatalogueItem.code, CatalogueItemVersion)
                .join(CatalogueItem, CatalogueItem.id == CatalogueItemVersion.item_id)
                .where(CatalogueItem.code.in_(["admin_penalty", "admin_licensing"]))
                .order_by(CatalogueItemVersion.version)
            ).all()
            items = {code: v for code, v in rows}
            # The services only flush (unit of work): the organisations and the inquirer are
            # kept by this commit, the set-up's one transaction.
            session.commit()
            return {
                "provider_id": provider.id,
                "items": {
                    code: {
                        "version_id": v.id,
                        "polarity": str(getattr(v.polarity, "value", v.polarity)),
                        "publicity": str(getattr(v.publicity, "value", v.publicity)),
                        "rule": v.disclosure_rule,
                    }
                    for code, v in items.items()
                },
            }
    finally:
        engine.dispose()


def _check_columns(columns: dict[str, tuple[str, ...]]) -> None:
    """Every NOT NULL column of the tables written is supplied (the models are the truth)."""
    from xinyong.db.base import Base
    from xinyong.db.registry import load_all_models

    load_all_models()
    for table, cols in columns.items():
        t = Base.metadata.tables[table]
        required = {c.name for c in t.columns if not c.nullable}
        missing = required - set(cols)
        unknown = set(cols) - {c.name for c in t.columns}
        if missing or unknown:
            raise RuntimeError(f"{table}: missing {sorted(missing)}, unknown {sorted(unknown)}")


# --- row generation ---------------------------------------------------------------------

SUBJECT_COLS = ("id", "type", "code", "id_kind", "id_verified", "name", "name_key", "created_at")
RECORD_COLS = (
    "id",
    "provider_org_id",
    "item_code",
    "item_version_id",
    "subject_id",
    "source_key",
    "status",
    "current_version",
    "polarity",
    "severity",
    "decided_on",
    "document_no",
    "publicity",
    "channel",
    "self_declared",
    "received_at",
    "received_by_name",
    "content_hash",
)
VERSION_COLS = (
    "id",
    "record_id",
    "subject_id",
    "version",
    "fields",
    "severity",
    "decided_on",
    "document_no",
    "status",
    "actor_name",
    "at",
    "content_hash",
)
WINDOW_COLS = (
    "record_id",
    "subject_id",
    "window_ends_on",
    "publishable",
    "rule_set",
    "basis",
    "version",
    "computed_at",
)
COLUMNS = {
    "subject": SUBJECT_COLS,
    "record": RECORD_COLS,
    "record_version": VERSION_COLS,
    "record_window": WINDOW_COLS,
}
AUTHORITY_CODE = uscc(1, "11520100")
FIRST_DAY = date(2021, 1, 1)
DAYS = (date(2026, 9, 29) - FIRST_DAY).days


class _Rows:
    """Generates the rows; ``dt``/``d``/``b`` adapt datetimes, dates, booleans per backend."""

    def __init__(self, meta: dict[str, Any], sqlite: bool, seed: int) -> None:
        from xinyong.catalogue.reference import publicity_rules
        from xinyong.disclosure import windows

        self.meta = meta
        self.rng = random.Random(seed)
        self._rules = publicity_rules()
        self._windows = windows
        self._wcache: dict[tuple[str, str | None, date], Any] = {}
        now = AT.astimezone(UTC)
        if sqlite:
            self.now: Any = now.replace(tzinfo=None).strftime(_SQLITE_DT)
            self.d: Callable[[date | None], Any] = lambda v: None if v is None else v.isoformat()
            self.b: Callable[[bool], Any] = int
        else:
            self.now = now
            self.d = lambda v: v
            self.b = bool
        self.names: list[str] = [""]
        self.codes: list[str] = [""]
        self.persons: bytearray = bytearray(1)

    def subjects(self, n: int) -> Iterator[tuple[Any, ...]]:
        rng = random.Random(self.rng.random())
        for i in range(1, n + 1):
            type_, code, kind, name = subject_row(i, rng)
            self.names.append(name)
            self.codes.append(code)
            self.persons.append(type_ == "natural_person")
            yield (i, type_, code, kind, self.b(True), name, normalize_name(name), self.now)

    def _window(self, item: str, severity: str | None, decided: date) -> Any:
        key = (item, severity, decided)
        w = self._wcache.get(key)
        if w is None:
            info = self.meta["items"][item]
            w = self._windows.disclosure_window(
                rule_code=info["rule"],
                polarity=info["polarity"],
                severity=severity,
                decided_on=decided,
                fields={},
                sector=None,
                rules=self._rules,
            )
            self._wcache[key] = w
        return w

    def records(self, n_subjects: int, m: int) -> Iterator[tuple[tuple[Any, ...], ...]]:
        """(record, version, window) rows of record 1..m, each on a random subject."""
        rng = random.Random(self.rng.random())
        provider = self.meta["provider_id"]
        items = self.meta["items"]
        for i in range(1, m + 1):
            s = rng.randint(1, n_subjects)
            name, code, person = self.names[s], self.codes[s], self.persons[s]
            decided = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
            day = decided.isoformat()
            subject_fields: dict[str, Any] = {
                "XDR_MC": name,
                "XDR_LB": "自然人" if person else "法人及非法人组织",
            }
            if person:
                subject_fields.update(XDR_ZJLX="身份证", XDR_ZJHM=code)
            else:
                subject_fields["XDR_SHXYM"] = code
            if rng.random() < 0.4:
                item = "admin_penalty"
                r = rng.random()
                severity: str | None = "minor" if r < 0.2 else "serious" if r > 0.95 else "general"
                doc = f"黔市监罚〔{decided.year}〕{i}号"
                fields = {
                    **subject_fields,
                    "CF_WSH": doc,
                    "CF_WFXW": "未按规定公示年度报告",
                    "CF_SY": "经查，当事人未按规定期限公示年度报告。",
                    "CF_YJ": "《企业信息公示暂行条例》第十八条",
                    "CF_CFLB": "罚款",
                    "CF_NR": "罚款人民币壹万元整",
                    "CF_NR_FK": f"{1 + i % 50}.{i % 100:02d}",
                    "CF_JDRQ": day,
                    "CF_CFJG": "贵阳市市场监督管理局",
                    "CF_CFJGDM": AUTHORITY_CODE,
                    "CF_SJLY": "贵阳市市场监督管理局",
                    "CF_SJLYDM": AUTHORITY_CODE,
                    "severity": severity,
                }
            else:
                item, severity = "admin_licensing", None
                doc = f"黔市监许〔{decided.year}〕{i}号"
                ends = (decided + timedelta(days=365 * 5)).isoformat()
                fields = {
                    **subject_fields,
                    "XK_XKWS": "食品经营许可证",
                    "XK_WSH": doc,
                    "XK_XKLB": "普通",
                    "XK_NR": "食品销售经营者（预包装食品销售）",
                    "XK_JDRQ": day,
                    "XK_YXQZ": day,
                    "XK_YXQZI": ends,
                    "XK_XKJG": "贵阳市市场监督管理局",
                    "XK_XKJGDM": AUTHORITY_CODE,
                    "XK_ZT": "有效",
                    "XK_LYDW": "贵阳市市场监督管理局",
                    "XK_LYDWDM": AUTHORITY_CODE,
                }
            info = items[item]
            chash = f"{i:064x}"
            w = self._window(item, severity, decided)
            yield (
                (
                    i,
                    provider,
                    item,
                    info["version_id"],
                    s,
                    f"bench-{i:010d}",
                    "active",
                    1,
                    info["polarity"],
                    severity,
                    self.d(decided),
                    doc,
                    info["publicity"],
                    "file",
                    self.b(False),
                    self.now,
                    "基准数据生成器",
                    chash,
                ),
                (
                    i,
                    i,
                    s,
                    1,
                    json.dumps(fields, ensure_ascii=False),
                    severity,
                    self.d(decided),
                    doc,
                    "active",
                    "基准数据生成器",
                    self.now,
                    chash,
                ),
                (
                    i,
                    s,
                    self.d(w.ends_on),
                    self.b(w.publishable),
                    w.rule_set,
                    w.basis[:200],
                    1,
                    self.now,
                ),
            )


# --- writers ----------------------------------------------------------------------------


def _sqlite_path(url: str) -> str:
    return url.split("///", 1)[-1]


def _insert_sql(table: str) -> str:
    cols = COLUMNS[table]
    return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"


def _load_sqlite(url: str, rows: _Rows, n: int, m: int, chunk: int) -> None:
    conn = sqlite3.connect(_sqlite_path(url), isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-1000000")
    conn.execute("PRAGMA temp_store=MEMORY")
    placeholders = ",".join(f"'{t}'" for t in TABLES)
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({placeholders})"
    ).fetchall()
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    conn.execute("BEGIN")
    conn.executemany(_insert_sql("subject"), rows.subjects(n))
    conn.execute("COMMIT")
    sql = [_insert_sql(t) for t in TABLES[1:]]
    batch: list[list[tuple[Any, ...]]] = [[], [], []]
    for triple in rows.records(n, m):
        for b, row in zip(batch, triple, strict=True):
            b.append(row)
        if len(batch[0]) >= chunk:
            _flush_sqlite(conn, sql, batch)
    _flush_sqlite(conn, sql, batch)
    for _, ddl in indexes:
        conn.execute(ddl)
    conn.execute("ANALYZE")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()


def _flush_sqlite(conn: sqlite3.Connection, sql: list[str], batch: list[list[Any]]) -> None:
    conn.execute("BEGIN")
    for statement, b in zip(sql, batch, strict=True):
        conn.executemany(statement, b)
        b.clear()
    conn.execute("COMMIT")


def _load_pg(url: str, rows: _Rows, n: int, m: int) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        indexes = conn.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            (list(TABLES),),
        ).fetchall()
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        with conn.transaction():
            # Skip the per-row FK triggers: rows are written parent first and consistent.
            conn.execute("SET LOCAL session_replication_role = replica")
            cur = conn.cursor()
            with cur.copy(f"COPY subject ({', '.join(SUBJECT_COLS)}) FROM STDIN") as cp:
                for row in rows.subjects(n):
                    cp.write_row(row)
            # One pass writes three tables: stage versions and windows in temp files.
            import tempfile

            with tempfile.TemporaryFile("w+b") as vfile, tempfile.TemporaryFile("w+b") as wfile:
                with cur.copy(f"COPY record ({', '.join(RECORD_COLS)}) FROM STDIN") as cp:
                    vt, wt = _PgText(vfile), _PgText(wfile)
                    for rec, ver, win in rows.records(n, m):
                        cp.write_row(rec)
                        vt.write(ver)
                        wt.write(win)
                    vt.flush()
                    wt.flush()
                for table, fh in (("record_version", vfile), ("record_window", wfile)):
                    fh.seek(0)
                    with cur.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as cp:
                        while data := fh.read(1 << 20):
                            cp.write(data)
        for _, ddl in indexes:
            conn.execute(ddl)
        # VACUUM as well as ANALYZE: as autovacuum would have left a running server's tables
        # (visibility map and hint bits set), so that neither the first reads after the build
        # write the pages they touch nor autovacuum starts on the new rows mid-measure.
        conn.execute("VACUUM (ANALYZE)")


class _PgText:
    """COPY text-format encoder for the staged tables."""

    _ESC = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})

    def __init__(self, fh: Any) -> None:
        self.fh = fh
        self.buf: list[str] = []

    def write(self, row: tuple[Any, ...]) -> None:
        self.buf.append(
            "\t".join(_pg_text(v).translate(self._ESC) if v is not None else "\\N" for v in row)
        )
        if len(self.buf) >= 50_000:
            self.flush()

    def flush(self) -> None:
        if self.buf:
            self.fh.write(("\n".join(self.buf) + "\n").encode())
            self.buf.clear()


def _pg_text(v: Any) -> str:
    if isinstance(v, bool):
        return "t" if v else "f"
    if isinstance(v, datetime | date):
        return v.isoformat()
    return str(v)


def _index_names(url: str) -> None:
    """Fill the organisation name index as registration would (``subjects.name_index``)."""
    from sqlalchemy import select

    from xinyong.db.session import make_engine
    from xinyong.subjects import name_index
    from xinyong.subjects.models import Subject

    engine = make_engine(url)
    last = 0
    while True:
        with engine.begin() as conn:
            rows = conn.execute(
                select(Subject.id, Subject.type, Subject.name_key)
                .where(Subject.id > last)
                .order_by(Subject.id)
                .limit(100_000)
            ).all()
            if not rows:
                break
            name_index.index_new_subjects(conn, [(r[0], r[1], r[2]) for r in rows])
            last = rows[-1][0]
    if url.startswith("postgresql"):
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE subject_name_gram")
    engine.dispose()


def build(url: str, *, subjects: int, records: int, seed: int = 20260930) -> dict[str, Any]:
    """Fill the fresh database at ``url``; returns timings (seconds) and the meta data."""
    _check_columns(COLUMNS)
    started = time.perf_counter()
    meta = _setup(url)
    setup_s = time.perf_counter() - started
    sqlite = url.startswith("sqlite")
    rows = _Rows(meta, sqlite, seed)
    t = time.perf_counter()
    if sqlite:
        _load_sqlite(url, rows, subjects, records, chunk=200_000)
    else:
        _load_pg(url.replace("postgresql+psycopg://", "postgresql://"), rows, subjects, records)
    _index_names(url)
    load_s = time.perf_counter() - t
    return {
        "setup_s": round(setup_s, 2),
        "load_s": round(load_s, 2),
        "rows_per_s": round((subjects + 3 * records) / load_s),
        **meta,
    }
