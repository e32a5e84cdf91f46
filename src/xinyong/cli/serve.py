"""``xinyong serve``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: str = typer.Option("127.0.0.1", help="Address to listen on."),
        port: int = typer.Option(8000, help="Port to listen on."),
    ) -> None:
        """Serve the API and the web pages."""
        import uvicorn

        from xinyong.web.app import create_app

        uvicorn.run(create_app(), host=host, port=port, log_level="info")
