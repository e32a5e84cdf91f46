"""Sessions of the hot public reads (``writes=False, snapshot=False``): beside the writer on
SQLite, in autocommit on PostgreSQL — each statement sees what is committed when it runs."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from xinyong.db.session import make_engine, make_session_factory


def test_each_statement_of_a_public_read_sees_what_is_committed(
    backend: str, fresh_db_url: str
) -> None:
    engine = make_engine(fresh_db_url)
    writes = make_session_factory(engine)
    reads = make_session_factory(engine, writes=False, snapshot=False)
    with writes() as w:
        if backend == "postgresql":
            assert w.connection().connection.dbapi_connection.autocommit is False
        w.execute(text("CREATE TABLE tally (n INTEGER)"))
        w.execute(text("INSERT INTO tally VALUES (1)"))
        w.commit()
    with reads() as r:
        assert r.execute(text("SELECT count(*) FROM tally")).scalar() == 1
        with writes() as w:  # a writer commits between the reader's two statements
            w.execute(text("INSERT INTO tally VALUES (2)"))
            w.commit()
        seen = r.execute(text("SELECT count(*) FROM tally")).scalar()
        if backend == "postgresql":
            # Autocommit: no BEGIN/ROLLBACK round trips (READ COMMITTED would see 2 as well).
            assert r.connection().connection.dbapi_connection.autocommit is True
            assert seen == 2
        else:
            assert seen == 1  # SQLite's DEFERRED read keeps its snapshot (and costs nothing)
    engine.dispose()


def test_a_session_that_may_write_keeps_its_transaction(fresh_db_url: str) -> None:
    engine = make_engine(fresh_db_url)
    with pytest.raises(ValueError, match="needs its transaction"):
        make_session_factory(engine, writes=True, snapshot=False)
    engine.dispose()
