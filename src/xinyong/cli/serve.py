"""``xinyong serve``."""

from __future__ import annotations

import copy
import ipaddress
from typing import Any

import typer

from xinyong.core.config import Settings

LOOPBACK_NAMES = frozenset({"localhost", "ip6-localhost", "ip6-loopback"})


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine (``127.0.0.0/8``, ``::1``, localhost)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def log_config() -> dict[str, Any]:
    """uvicorn's logging set-up with identity numbers masked on every handler (access log
    paths included; Art. 18)."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["mask_identity_numbers"] = {
        "()": "xinyong.core.logging.MaskIdentityNumbers"
    }
    for handler in config["handlers"].values():
        handler.setdefault("filters", []).append("mask_identity_numbers")
    return config


def server_options() -> dict[str, Any]:
    """uvicorn's event loop and HTTP parser: uvloop and httptools when installed (measured
    faster: ``bench/public_reads.py``), else the pure-Python defaults."""
    import importlib.util

    fast = {"loop": "uvloop", "http": "httptools"}
    return {k: v for k, v in fast.items() if importlib.util.find_spec(v) is not None}


def serve_public(settings: Settings, *, host: str, port: int) -> None:
    """``xinyong serve --public``: the store only; no core URL is read, no periodic work."""
    import uvicorn

    from xinyong.web.app import create_app

    app = create_app(settings, public_only=True)
    uvicorn.run(
        app, host=host, port=port, log_level="info", log_config=log_config(), **server_options()
    )


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: str = typer.Option("127.0.0.1", help="Address to listen on."),
        port: int = typer.Option(8000, help="Port to listen on."),
        public: bool = typer.Option(
            False,
            "--public",
            help="Serve only the public pages and /api/v1/public/* from the publication store "
            "(XINYONG_PUBLIC_DATABASE_URL); needs no core database.",
        ),
    ) -> None:
        """Serve the API and the web pages (and run the periodic work beside them)."""
        import threading

        settings = Settings()
        if public:
            serve_public(settings, host=host, port=port)
            return
        if settings.uses_dev_secret() and not is_loopback(host):
            typer.echo(
                "拒绝启动：XINYONG_SECRET_KEY 仍是公开的开发密钥，不能在本机以外的地址提供服务。\n"
                f"Refusing to serve on {host}: XINYONG_SECRET_KEY is still the published "
                "development key, so sessions and CSRF tokens could be forged. Set "
                'XINYONG_SECRET_KEY to a long random value (e.g. `python -c "import secrets; '
                'print(secrets.token_urlsafe(48))"`), or serve on 127.0.0.1.',
                err=True,
            )
            raise typer.Exit(code=2)

        import uvicorn

        from xinyong.cli import periodic
        from xinyong.web.app import create_app

        stop = threading.Event()
        periodic.start(settings, stop)
        try:
            uvicorn.run(
                create_app(settings), host=host, port=port, log_level="info",
                log_config=log_config(),
            )  # fmt: skip
        finally:
            stop.set()
