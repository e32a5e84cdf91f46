"""The failover drill (issue 15 item 5): a throw-away PostgreSQL primary with a synchronous
streaming standby; the primary is killed in the middle of a file import, the standby is
promoted (``pg_ctl promote``), the import is run again against it, and every row the primary
had acknowledged is there exactly once, and the file complete.

Its own pair of clusters, under a temporary directory, as the ``postgres`` OS user: the shared
test cluster is never touched. Synchronous replication (``synchronous_standby_names``) is what
makes "acknowledged" mean "on the standby too": with asynchronous streaming a crash may lose
the last commits the primary acknowledged, and the drill would rightly fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from bench.import_rate import write_penalty_csv
from sqlalchemy import func, select, text

from tests.conftest import FROZEN
from tests.factories.accounts import make_org
from tests.integration.ops.conftest import free_port
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM
from xinyong.db.migrate import upgrade
from xinyong.db.session import make_engine, make_session_factory
from xinyong.records.models import BatchStatus, DeliveryBatch, Record

ROWS = 6_000
CHUNK = 500
PGBIN = Path("/usr/lib/postgresql/15/bin")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("XINYONG_TEST_STANDBY_URL"), reason="no standby set-up (CI sets it)"
    ),
    pytest.mark.skipif(
        not (PGBIN / "initdb").exists() or os.geteuid() != 0 or not shutil.which("su"),
        reason="needs PostgreSQL 15's binaries and root (to run them as postgres)",
    ),
]


def as_postgres(command: str) -> None:
    subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", command], check=True,
                   capture_output=True, timeout=60)  # fmt: skip


class Cluster:
    def __init__(self, root: Path, name: str, port: int) -> None:
        self.root, self.data, self.port = root, root / name, port
        self.log = root / f"{name}.log"

    def start(self, *options: str) -> None:
        opts = " ".join(
            ["-c listen_addresses=127.0.0.1", f"-p {self.port}", f"-k {self.root}", *options]
        )
        as_postgres(f'{PGBIN}/pg_ctl -D {self.data} -l {self.log} -w -o "{opts}" start')

    def kill(self) -> None:
        """The machine dies: no shutdown checkpoint, connections cut."""
        as_postgres(f"{PGBIN}/pg_ctl -D {self.data} -m immediate stop")

    def stop(self) -> None:
        subprocess.run(
            ["su", "postgres", "-s", "/bin/sh", "-c",
             f"{PGBIN}/pg_ctl -D {self.data} -m immediate stop"],
            capture_output=True, check=False,
        )  # fmt: skip

    def url(self, db: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{db}"


@pytest.fixture
def pair() -> Iterator[tuple[Cluster, Cluster]]:
    # Not under pytest's temporary directory: the postgres user cannot enter root's.
    root = Path(tempfile.mkdtemp(prefix="xinyong-failover-"))
    shutil.chown(root, "postgres", "postgres")
    primary = Cluster(root, "primary", free_port())
    standby = Cluster(root, "standby", free_port())
    as_postgres(f"{PGBIN}/initdb -D {primary.data} -U postgres --auth=trust -E UTF8 "
                "--locale=C.UTF-8")  # fmt: skip
    primary.start("-c synchronous_standby_names=drill_standby", "-c synchronous_commit=on")
    as_postgres(
        f"{PGBIN}/pg_basebackup -D {standby.data} -R -X stream -c fast "
        f"-d 'host=127.0.0.1 port={primary.port} user=postgres application_name=drill_standby'"
    )
    standby.start("-c hot_standby=on")
    try:
        yield primary, standby
    finally:
        standby.stop()
        primary.stop()
        shutil.rmtree(root, ignore_errors=True)


def import_into(url: str, path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "XINYONG_DATABASE_URL": url, "XINYONG_NOW": FROZEN.isoformat()}
    return subprocess.Popen(
        [sys.executable, "-c", "from xinyong.cli.main import main; main()", "import", str(path),
         "--item", "admin_penalty", "--org", "GY-SJJ", "--chunk-size", str(CHUNK)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def test_failover_in_the_middle_of_an_import_loses_and_doubles_nothing(
    pair: tuple[Cluster, Cluster], tmp_path: Path
) -> None:
    started = time.monotonic()
    primary, standby = pair
    admin = make_engine(primary.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE xinyong"))
        mode = conn.execute(text("SELECT sync_state FROM pg_stat_replication")).scalar()
    admin.dispose()
    assert mode == "sync"
    url = primary.url("xinyong")
    upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        load_shipped_catalogues(s, actor=SYSTEM, at=FROZEN)
        s.commit()
        make_org(s, at=FROZEN, code="GY-SJJ", kind="provider", name="贵阳市市场监督管理局")
        s.commit()
    path = write_penalty_csv(tmp_path / "penalties.csv", ROWS)

    proc = import_into(url, path)
    acknowledged = 0
    deadline = time.monotonic() + 60
    with engine.connect() as conn:
        while acknowledged < 2 * CHUNK and proc.poll() is None:
            assert time.monotonic() < deadline, "the import made no progress"
            conn.rollback()
            acknowledged = conn.scalar(select(func.count()).select_from(Record)) or 0
            time.sleep(0.02)
    engine.dispose()
    primary.kill()  # in the middle of the import
    proc.wait(30)
    assert proc.returncode != 0, "the import finished before the primary could be killed"
    assert acknowledged < ROWS

    as_postgres(f"{PGBIN}/pg_ctl -D {standby.data} -w promote")
    new_url = standby.url("xinyong")
    engine = make_engine(new_url)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT pg_is_in_recovery()")) is False
        survived = conn.scalar(select(func.count()).select_from(Record)) or 0
    assert survived >= acknowledged  # nothing the primary acknowledged was lost

    again = import_into(new_url, path)
    _out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err.decode()
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Record)) == ROWS
        distinct = conn.scalar(select(func.count(func.distinct(Record.source_key))))
        assert distinct == ROWS  # every row once
        batches = conn.execute(select(DeliveryBatch.status, DeliveryBatch.accepted)).all()
    engine.dispose()
    assert [(BatchStatus(s), n) for s, n in batches] == [(BatchStatus.COMPLETE, ROWS)]
    assert time.monotonic() - started < 90
