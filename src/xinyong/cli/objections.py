"""``xinyong objections escalate``: escalate overdue objections, corrections and repair
applications (RGT-2…4, GOV-1). What pages and the API show never waits for it — "overdue" is
computed when asked, and no listing writes — so this job (from cron, and each pass of the
periodic thread of ``xinyong serve``) makes the escalation notices and the violation register
entries arrive. One unit of work: all of a pass, or nothing."""

from __future__ import annotations

from datetime import datetime

import typer
from sqlalchemy.orm import Session

from xinyong.cli.context import clock, console, friendly_errors, open_session
from xinyong.objections.corrections import escalate_overdue_corrections
from xinyong.objections.decisions import escalate_overdue
from xinyong.repair.decisions import escalate_overdue as escalate_overdue_repairs

app = typer.Typer(help="Objections (Art. 32). 异议处理。", no_args_is_help=True)


def escalate_all(session: Session, *, at: datetime) -> dict[str, int]:
    """Every overdue case escalated once; how many of each kind."""
    return {
        "objections": escalate_overdue(session, at=at),
        "corrections": escalate_overdue_corrections(session, at=at),
        "repairs": escalate_overdue_repairs(session, at=at),
    }


@app.command("escalate")
@friendly_errors
def escalate() -> None:
    """Escalate overdue objections, corrections and repairs to the credit office. 超期督办。"""
    with open_session() as session:
        done = escalate_all(session, at=clock().now())
    console.print(f"超期异议 overdue objections escalated: {done['objections']}")
    console.print(f"超期更正 overdue corrections escalated: {done['corrections']}")
    console.print(f"超期修复 overdue repair applications escalated: {done['repairs']}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="objections")
