"""What every command needs: settings, clock, a session factory; errors as clear messages."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from xinyong.core.clock import Clock
from xinyong.core.config import Settings
from xinyong.core.errors import XinyongError
from xinyong.db.session import make_engine, make_session_factory
from xinyong.db.uow import use_case

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


def print_table(
    columns: Sequence[str], rows: Iterable[Sequence[str]], *, title: str | None = None
) -> None:
    """Print ``rows`` under bilingual ``columns`` as one table."""
    table = Table(*columns, title=title)
    for row in rows:
        table.add_row(*row)
    console.print(table)


def print_list(
    columns: Sequence[str],
    read: Callable[[Session], Sequence[T]],
    row: Callable[[T], Sequence[str]],
) -> None:
    """Print what ``read`` finds in a read-only session, one ``row`` an entry, under
    ``columns`` (the ``list`` commands)."""
    with open_session(writes=False) as session:
        found = read(session)
    print_table(columns, (row(x) for x in found))


def settings() -> Settings:
    return Settings()


def clock(s: Settings | None = None) -> Clock:
    return Clock((s or settings()).now)


@contextmanager
def open_session(s: Settings | None = None, *, writes: bool = True) -> Iterator[Session]:
    """The session of one command's unit of work (``db/uow.py``): committed once when the
    command's block ends, rolled back on any error. ``writes=False`` for commands that only
    read (on SQLite they then never hold the write lock a running server needs)."""
    s = s or settings()
    engine = make_engine(s.resolved_database_url())
    try:
        with use_case(make_session_factory(engine, writes=writes)) as uow:
            yield uow.session
    finally:
        engine.dispose()


def friendly_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Domain errors end the command with a message and exit code 2, never a traceback."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except XinyongError as exc:
            err_console.print(f"[bold red]错误 error[/] ({exc.code}): {exc.message}")
            for d in exc.details:
                err_console.print(f"  - {d}")
            raise typer.Exit(2) from None
        except OperationalError as exc:
            err_console.print(
                "[bold red]数据库错误 database error[/]: 数据库不可用或未迁移，请先运行"
                " `xinyong db upgrade` / the database is unreachable or not migrated: run"
                f" `xinyong db upgrade` first ({exc.orig})"
            )
            raise typer.Exit(2) from None

    return wrapper
