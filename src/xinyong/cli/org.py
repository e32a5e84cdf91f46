"""``xinyong org``: organisations (the local operator acts; see accounts.service.OPERATOR)."""

from __future__ import annotations

import typer
from rich.table import Table

from xinyong.accounts import service as accounts
from xinyong.cli.context import clock, console, friendly_errors, open_session, settings

app = typer.Typer(help="Organisations. 机构。", no_args_is_help=True)


@app.command("add")
@friendly_errors
def add(
    code: str = typer.Option(..., "--code", help="Unique organisation code. 机构代码。"),
    name: str = typer.Option(..., "--name", help="Name. 名称。"),
    kind: str = typer.Option(..., "--kind", help="provider | organ | office | institution"),
    region: str | None = typer.Option(None, "--region", help="GB/T 2260 code, e.g. 520000."),
    parent: str | None = typer.Option(None, "--parent", help="Parent organisation code."),
) -> None:
    """Add an organisation. 添加机构。"""
    s = settings()
    with open_session(s) as session:
        org = accounts.add_organisation(
            session,
            actor=accounts.OPERATOR,
            code=code,
            name=name,
            kind=kind,
            region=region,
            parent_code=parent,
            at=clock(s).now(),
        )
        console.print(f"已添加机构 organisation added: {org.code} {org.name} ({org.kind.value})")


@app.command("list")
@friendly_errors
def list_() -> None:
    """List organisations. 机构列表。"""
    with open_session(writes=False) as session:
        rows = accounts.list_organisations(session, actor=accounts.OPERATOR)
    table = Table("code 代码", "name 名称", "kind 类型", "region 区划", "parent 上级")
    for org in rows:
        table.add_row(org.code, org.name, org.kind, org.region or "", org.parent_code or "")
    console.print(table)
