"""``xinyong publish``: bring the publication store up to date from the core (issue 15)."""

from __future__ import annotations

import json

import typer

from xinyong.cli.context import clock, console, friendly_errors, settings
from xinyong.db.session import make_engine, make_session_factory
from xinyong.publication import store
from xinyong.publication.publish import PublishSummary, publish


def run_publish(*, rebuild: bool = False) -> PublishSummary:
    """One publication from ``XINYONG_DATABASE_URL`` into ``XINYONG_PUBLIC_DATABASE_URL``:
    the core is only read (on SQLite without taking its write lock); the store's schema is
    created if missing."""
    s = settings()
    core = make_engine(s.resolved_database_url())
    public = store.store_engine(s)
    try:
        store.ensure_schema(public)
        return publish(
            make_session_factory(core, writes=False),
            store.write_factory(public),
            clock(s),
            rebuild=rebuild,
            settings=s,
        )
    finally:
        core.dispose()
        public.dispose()


def register(app: typer.Typer) -> None:
    @app.command("publish")
    @friendly_errors
    def publish_command(
        rebuild: bool = typer.Option(False, help="Recompute every subject, not only changes."),
    ) -> None:
        """Bring the publication store up to date from the core (one way, idempotent,
        resumable). 更新公示库。"""
        summary = run_publish(rebuild=rebuild)
        console.print(
            f"公示库已更新 publication store up to date: {summary.subjects_changed} subject(s) "
            f"changed of {summary.subjects_examined} examined, {summary.files_written} "
            f"open-data file(s) written, at audit seq {summary.audit_seq}"
        )
        typer.echo(json.dumps(summary.as_dict(), ensure_ascii=False))
