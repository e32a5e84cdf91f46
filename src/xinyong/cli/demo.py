"""``xinyong demo load`` and ``xinyong demo accounts``."""

from __future__ import annotations

import typer
from sqlalchemy.exc import SQLAlchemyError

from xinyong.audit import service as audit
from xinyong.cli.context import clock, console, friendly_errors, open_session, print_table, settings
from xinyong.demo.load import demo_accounts, load_demo
from xinyong.demo.scenarios import example_subjects

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
        f"{result.subjects + result.province.subjects} subjects, "
        f"{result.records + result.province.records} records"
    )
    for problem in result.province.rejected:
        console.print(f"[yellow]未载入 not loaded[/yellow] {problem}")


@app.command("accounts")
def accounts(
    host: str = typer.Option("127.0.0.1", help="Address `xinyong serve` listens on."),
    port: int = typer.Option(8000, help="Port `xinyong serve` listens on."),
) -> None:
    """Print the demo accounts, one per role, with their passwords, and the demo province's
    subjects worth opening (after ``demo load``)."""
    base = f"http://{host}:{port}"
    print_table(
        ("role 角色", "username 用户名", "password 密码", "name 名称"),
        demo_accounts(),
        title=f"演示账号 demo accounts ({base}/login)",
    )
    try:
        with open_session(settings()) as session:
            examples = example_subjects(session)
    except SQLAlchemyError:
        examples = []  # no database yet: `demo load` has not run
    if not examples:
        return
    # Plain lines, not a table: a terminal must not cut the addresses short.
    console.print("\n值得打开的示例主体 example subjects worth opening (log in as the username):")
    for username, code, shows in examples:
        console.print(f"  {username:<16} {base}/public/subjects/{code}  {shows}", soft_wrap=True)
