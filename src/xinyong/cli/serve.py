"""``xinyong serve``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: str = typer.Option("127.0.0.1", help="Address to listen on."),
        port: int = typer.Option(8000, help="Port to listen on."),
    ) -> None:
        """Serve the API and the web pages (and run the periodic work beside them)."""
        import threading

        import uvicorn

        from xinyong.cli import periodic
        from xinyong.cli.context import settings
        from xinyong.web.app import create_app

        stop = threading.Event()
        periodic.start(settings(), stop)
        try:
            uvicorn.run(create_app(), host=host, port=port, log_level="info")
        finally:
            stop.set()
