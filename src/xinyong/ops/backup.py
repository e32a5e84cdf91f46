"""``xinyong backup`` / ``xinyong restore`` (issue 15 item 6).

- SQLite: the online backup API (``sqlite3.Connection.backup``): a consistent copy page by page
  while the server keeps writing; restore copies the backup back the same way, over the live
  file, under SQLite's lock (stop the server first: its cached pages would be stale).
- PostgreSQL: ``pg_dump -Fc`` (one snapshot of the whole database, compressed, any server
  state); restore empties the ``public`` schema, then ``pg_restore --single-transaction`` (the
  restore itself happens whole or not at all; if it fails the database is left empty — restore
  again). ``pg_restore --clean`` is not used: it cannot drop a partitioned table's partitions.
  The binaries are looked up on ``PATH``, then in
  ``/usr/lib/postgresql/<version>/bin`` (newest first); their major version must be at least
  the server's.

The witness directory (``XINYONG_AUDIT_WITNESS_DIR``) is not in the database and so not in the
backup, on purpose: after a restore, ``xinyong audit verify --checkpoint …`` checks the
restored log against the checkpoints witnessed outside it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from xinyong.core.errors import InvalidInput

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(InvalidInput, code="backup_failed"): ...


@dataclass(frozen=True, slots=True)
class Done:
    backend: str
    path: Path
    bytes: int


def backend_of(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(database)


def pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    root = Path("/usr/lib/postgresql")
    versions = sorted(
        (p for p in root.glob("*/bin") if (p / name).exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    if versions:
        return str(versions[0] / name)
    raise BackupError(f"{name} not found on PATH or in /usr/lib/postgresql/*/bin")


def pg_env(url: str) -> tuple[dict[str, str], str]:
    """libpq's environment for ``url`` (the password never on a command line) and the name
    of the database."""
    u = make_url(url)
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", u.host),
        ("PGPORT", str(u.port) if u.port else None),
        ("PGUSER", u.username),
        ("PGPASSWORD", u.password),
    ):
        if value:
            env[key] = value
    if not u.database:
        raise BackupError("the database URL names no database")
    return env, u.database


def _run(cmd: list[str], env: dict[str, str]) -> None:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        raise BackupError(f"{Path(cmd[0]).name} failed: " + " | ".join(tail))


def backup(url: str, out: Path) -> Done:
    """Write a consistent backup of the database at ``url`` to ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".partial")
    tmp.unlink(missing_ok=True)
    if backend_of(url) == "sqlite":
        source = sqlite_path(url)
        if not source.exists():
            raise BackupError(f"no database at {source}")
        _sqlite_copy(source, tmp)
    else:
        env, name = pg_env(url)
        _run([pg_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(tmp), "-d", name], env)
    tmp.replace(out)
    return Done(backend_of(url), out, out.stat().st_size)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy the SQLite database ``source`` (opened read-only) into ``target``, page by page."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()


def _empty_schema(url: str) -> None:
    """Drop everything in the ``public`` schema (``pg_restore --clean`` cannot drop the
    partitions of a partitioned table one by one: their keys are inherited)."""
    from sqlalchemy import text

    from xinyong.db.session import make_engine

    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def restore(url: str, file: Path) -> Done:
    """Replace the database at ``url`` with the backup ``file``."""
    if not file.is_file():
        raise BackupError(f"no backup file at {file}")
    with file.open("rb") as fh:
        head = fh.read(16)
    backend = backend_of(url)
    if backend == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{file} is not a SQLite backup (the database is SQLite)")
        target = sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(file, target)
    else:
        if not head.startswith(PG_MAGIC):
            raise BackupError(f"{file} is not a pg_dump -Fc backup (the database is PostgreSQL)")
        env, name = pg_env(url)
        _empty_schema(url)
        _run(
            [
                pg_tool("pg_restore"), "--no-owner", "--single-transaction", "--exit-on-error",
                "-d", name, str(file),
            ],
            env,
        )  # fmt: skip
    return Done(backend, file, file.stat().st_size)
