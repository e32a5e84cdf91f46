"""``xinyong webhooks deliver`` (send due webhook deliveries once) and ``xinyong export``
(the 双公示 CSV of an item's current records; COL-4)."""

from __future__ import annotations

from pathlib import Path

import typer

from xinyong.cli.context import clock, console, friendly_errors, open_session
from xinyong.core.actor import Actor, Role
from xinyong.feed.dispatcher import deliver_due, http_send
from xinyong.feed.export import export_records

#: The local operator: shell access to the server is trusted like the credit office's.
OPERATOR = Actor(
    role=Role.CREDIT_OFFICE, username="cli", display_name="本机操作员 local operator (cli)"
)

webhooks_app = typer.Typer(help="Webhook subscriptions. 数据推送订阅。", no_args_is_help=True)


@webhooks_app.command("deliver")
@friendly_errors
def deliver(
    limit: int = typer.Option(100, "--limit", min=1, max=10_000, help="Most deliveries to send."),
) -> None:
    """Queue new changes and send the due deliveries once (run it from cron). 推送一次。"""
    with open_session() as session:
        result = deliver_due(session, at=clock().now(), send=http_send, limit=limit)
    console.print(
        f"排队 queued {result.queued}, [green]送达 delivered {result.delivered}[/], "
        f"失败待重试 failed {result.failed}, [red]放弃 dead {result.dead}[/]"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(webhooks_app, name="webhooks")

    @app.command("export")
    @friendly_errors
    def export(
        item: str = typer.Option(..., "--item", help="Catalogue item code, e.g. admin_penalty."),
        org: str | None = typer.Option(None, "--org", help="Only this provider's records."),
        out: Path = typer.Option(..., "--out", dir_okay=False, help="CSV file to write."),
        zh: bool = typer.Option(False, "--zh", help="Chinese column names as headers."),
    ) -> None:
        """Export the current records of ITEM in the 双公示 layout. 按双公示格式导出。"""
        with open_session() as session:
            lines = export_records(
                session, actor=OPERATOR, item_code=item, at=clock().now(), org_code=org,
                headers="zh" if zh else "code",
            )  # fmt: skip
            rows = -1
            with out.open("w", encoding="utf-8", newline="") as fh:
                for chunk in lines:
                    fh.write(chunk)
                    rows += chunk.count("\n")
        console.print(f"已导出 exported {max(rows, 0)} 行 rows → {out}")
