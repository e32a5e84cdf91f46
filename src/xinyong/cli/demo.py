"""``xinyong demo load`` and ``xinyong demo accounts``."""

from __future__ import annotations

import typer
from rich.table import Table

from xinyong.audit import service as audit
from xinyong.cli.context import clock, console, friendly_errors, open_session, settings
from xinyong.demo.load import demo_accounts, load_demo

app = typer.Typer(help="Demo data. 演示数据。", no_args_is_help=True)


@app.command("load")
@friendly_errors
def load() -> None:
    """Load the shipped catalogues and the demo organisations, users and subjects."""
    s = settings()
    with open_session(s) as session:
        result = load_demo(session, at=clock(s).now())
        # The demo's history is witnessed from the start (PLT-2): `audit verify` passes.
        audit.make_checkpoint(session, at=clock(s).now(), settings=s)
    console.print(
        f"演示数据已载入 demo data loaded: {result.catalogue_items} catalogue items, "
        f"{result.organisations} organisations, {result.users} users, "
        f"{result.subjects} subjects, {result.records} records"
    )


@app.command("accounts")
def accounts() -> None:
    """Print the demo accounts, one per role, with their passwords."""
    table = Table(title="演示账号 demo accounts (http://127.0.0.1:8000/login)")
    for col in ("role 角色", "username 用户名", "password 密码", "name 名称"):
        table.add_column(col)
    for row in demo_accounts():
        table.add_row(*row)
    console.print(table)
