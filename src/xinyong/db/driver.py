"""Reads on a pooled driver connection, without a session (issue 16 item 1).

For the public server's hottest reads — a stored answer by its key, the name index walk — a
session's set-up, its transaction, the statement's cache key and ORM rows cost several times
the statement itself. :class:`DriverReads` runs statements built once (bound parameters, no
literal values) on a pooled driver connection, each compiled once for the database.

On PostgreSQL it keeps a pool of its own in autocommit, without the pool's pre-ping and the
rollback on return: one round trip a statement. A connection found broken (the server
restarted, a failover) is discarded and the statement run once more on a new one
(SQLAlchemy's optimistic disconnect handling). The values come back as the driver gives them:
only for columns that need no conversion (text, integers).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Engine, Select

from xinyong.db.session import make_engine

#: A statement the driver runs: any ``select``.
Statement = Select[*tuple[Any, ...]]
#: A statement's SQL for the driver, the values of the parameters it fixed itself (e.g. an
#: ``OFFSET``), and the names of its positional parameters (``None``: taken by name).
_Compiled = tuple[str, dict[str, Any], tuple[str, ...] | None]


class DriverReads:
    """Run prepared statements on ``engine``'s database through the driver."""

    def __init__(self, engine: Engine) -> None:
        if engine.dialect.name == "postgresql":
            engine = make_engine(
                engine.url.render_as_string(hide_password=False),
                pool_pre_ping=False,
                isolation_level="AUTOCOMMIT",
                pool_reset_on_return=None,
            )
        self.engine = engine
        self._compiled: dict[Statement, _Compiled] = {}

    def rows(self, statement: Statement, params: Mapping[str, Any]) -> list[Sequence[Any]]:
        """Every row of ``statement`` (built once by the caller) with ``params``."""
        sql, fixed, order = self._compiled.get(statement) or self._compile(statement)
        values = {**fixed, **params} if fixed else params
        args: Any = values if order is None else tuple(values[name] for name in order)
        return self._run(sql, args, again=True)

    def _compile(self, statement: Statement) -> _Compiled:
        compiled = statement.compile(dialect=self.engine.dialect)
        order = (
            tuple(compiled.positiontup) if compiled.positional and compiled.positiontup else None
        )
        fixed = {k: v for k, v in compiled.params.items() if v is not None}
        found = self._compiled[statement] = (str(compiled), fixed, order)
        return found

    def _run(self, sql: str, args: Any, *, again: bool) -> list[Sequence[Any]]:
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(sql, args)
                return list(cursor.fetchall())
            finally:
                cursor.close()
        except self.engine.dialect.loaded_dbapi.Error as exc:
            if not self.engine.dialect.is_disconnect(exc, connection.dbapi_connection, None):
                raise
            connection.invalidate(exc)  # discarded, never handed out again
            if not again:
                raise
        finally:
            connection.close()  # back to the pool
        return self._run(sql, args, again=False)
