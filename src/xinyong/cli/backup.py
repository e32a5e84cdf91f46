"""``xinyong backup --out FILE`` and ``xinyong restore FILE``."""

from __future__ import annotations

from pathlib import Path

import typer

from xinyong.cli.context import console, friendly_errors, settings
from xinyong.ops import backup as ops


def register(app: typer.Typer) -> None:
    @app.command("backup")
    @friendly_errors
    def backup(
        out: Path = typer.Option(..., "--out", dir_okay=False, help="Backup file to write."),
    ) -> None:
        """A consistent backup of the core database (SQLite online backup; pg_dump -Fc).
        备份核心数据库。"""
        done = ops.backup(settings().resolved_database_url(), out)
        console.print(f"已备份 backed up ({done.backend}, {done.bytes} bytes) → {done.path}")

    @app.command("restore")
    @friendly_errors
    def restore(
        file: Path = typer.Argument(..., dir_okay=False, help="A file `xinyong backup` wrote."),
    ) -> None:
        """Replace the core database with a backup (stop the servers and workers first), then
        check it: `xinyong audit verify --checkpoint …`. 从备份恢复核心数据库。"""
        done = ops.restore(settings().resolved_database_url(), file)
        console.print(
            f"已恢复 restored ({done.backend}) from {done.path}; now run "
            "`xinyong audit verify` to check the log against the witness"
        )
