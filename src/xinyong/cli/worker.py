"""``xinyong worker``: runs every periodic job on the platform clock until SIGTERM."""

from __future__ import annotations

import signal
from types import FrameType

import typer

from xinyong.cli import periodic
from xinyong.cli.context import console, friendly_errors
from xinyong.core.config import Settings


def register(app: typer.Typer) -> None:
    @app.command("worker")
    @friendly_errors
    def worker(
        once: bool = typer.Option(False, "--once", help="One pass over the due jobs, then exit."),
        poll: float = typer.Option(
            periodic.PASS_SECONDS, "--poll", min=0.1, help="Seconds between passes."
        ),
    ) -> None:
        """Run the periodic work (publication, webhooks, escalations, checkpoints, list
        periods, partitions) until SIGTERM; several workers never run a job twice.
        定时任务进程。"""
        settings = Settings()
        if once:
            for o in periodic.run_once(settings):
                detail = o.summary if o.status == "ok" else o.error
                console.print(f"{o.name}: {o.status} ({o.duration_ms} ms) {detail}")
            return
        scheduler = periodic.build(settings)

        def finish(signum: int, _frame: FrameType | None) -> None:
            # The job under way finishes and records its outcome; no other job starts.
            console.print(f"signal {signum}: finishing the current job, then exiting")
            scheduler.stop.set()

        signal.signal(signal.SIGTERM, finish)
        signal.signal(signal.SIGINT, finish)
        console.print(f"worker {scheduler.owner}: {', '.join(j.name for j in scheduler.jobs)}")
        try:
            scheduler.loop(poll)
        finally:
            scheduler.engine.dispose()
        console.print("worker stopped")
