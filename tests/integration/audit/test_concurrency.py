"""Concurrent appends from several connections keep seq dense and the tree consistent."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func, select

from tests.conftest import FROZEN
from xinyong.audit import service as audit
from xinyong.audit.models import AuditEntry
from xinyong.audit.verify import verify_log
from xinyong.core.actor import Actor, Role
from xinyong.core.config import Settings
from xinyong.db.base import Base
from xinyong.db.registry import load_all_models
from xinyong.db.session import make_engine, make_session_factory

THREADS, EACH = 4, 15


def test_parallel_appends_stay_dense(fresh_db_url: str, tmp_path: Path) -> None:
    load_all_models()
    engine = make_engine(fresh_db_url)
    Base.metadata.create_all(engine)
    factory = make_session_factory(engine)
    settings = Settings(var_dir=tmp_path, audit_key_path=tmp_path / "k.pem")

    def work(worker: int) -> None:
        actor = Actor(role=Role.PROVIDER, user_id=worker, display_name=f"worker {worker}")
        for i in range(EACH):
            with factory() as s:
                audit.record_event(
                    s, actor=actor, tag="records:record:create", at=FROZEN, object_id=i
                )
                s.commit()

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(work, range(THREADS)))
    with factory() as s:
        seqs = s.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)).all()
        assert seqs == list(range(THREADS * EACH))
        assert s.scalar(select(func.count(func.distinct(AuditEntry.actor_id)))) == THREADS
        result = verify_log(s, settings=settings, thorough=True)
        assert result.ok, result.problem
    engine.dispose()
