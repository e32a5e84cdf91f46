"""``xinyong db upgrade``."""

from __future__ import annotations

import typer

from xinyong.cli.context import console, settings
from xinyong.db.migrate import upgrade as run_upgrade

app = typer.Typer(help="Database schema. 数据库。", no_args_is_help=True)


@app.command("upgrade")
def upgrade() -> None:
    """Create or migrate the database named by XINYONG_DATABASE_URL."""
    url = settings().resolved_database_url()
    run_upgrade(url)
    console.print(f"数据库已是最新 database is up to date: {url.split('@')[-1]}")
