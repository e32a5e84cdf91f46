"""``xinyong objections escalate``: escalate overdue objections and corrections (RGT-2…4,
GOV-1). What pages and the API show never waits for it — "overdue" is computed when asked, and
listing objections escalates too — so running it from cron only makes the escalation notices
and register entries arrive without anyone looking."""

from __future__ import annotations

import typer

from xinyong.cli.context import clock, console, friendly_errors, open_session
from xinyong.objections.corrections import escalate_overdue_corrections
from xinyong.objections.decisions import escalate_overdue

app = typer.Typer(help="Objections (Art. 32). 异议处理。", no_args_is_help=True)


@app.command("escalate")
@friendly_errors
def escalate() -> None:
    """Escalate overdue objections and corrections to the credit office. 超期督办。"""
    with open_session() as session:
        at = clock().now()
        objections = escalate_overdue(session, at=at)
        corrections = escalate_overdue_corrections(session, at=at)
    console.print(f"超期异议 overdue objections escalated: {objections}")
    console.print(f"超期更正 overdue corrections escalated: {corrections}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="objections")
