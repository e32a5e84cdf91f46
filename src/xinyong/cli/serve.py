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


def workers_refusal(database_url: str, workers: int, *, public: bool) -> str | None:
    """Why ``serve --workers N`` may not start on this database, or ``None``.

    SQLite has one writer at a time, and the in-process writer queue that keeps its writers
    orderly (``db.session``) cannot reach into other processes: N processes writing one SQLite
    file would meet as "database is locked". The public server only reads, so it may.
    """
    if workers > 1 and database_url.startswith("sqlite") and not public:
        return (
            f"拒绝启动：SQLite 数据库不支持 {workers} 个写入进程；请使用 PostgreSQL"
            "（XINYONG_DATABASE_URL=postgresql://…），或仅对公示站点使用 --public。\n"
            f"Refusing --workers {workers} on SQLite: SQLite has one writer at a time and "
            "the core server writes (logins, inquiries, deliveries). Use PostgreSQL "
            "(XINYONG_DATABASE_URL=postgresql://...), or --workers 1, or serve the "
            "read-only public portal with --public."
        )
    return None


def server_options() -> dict[str, Any]:
    """uvicorn's event loop and HTTP parser: uvloop and httptools when installed (measured
    faster: ``bench/public_reads.py``), else the pure-Python defaults."""
    import importlib.util

    fast = {"loop": "uvloop", "http": "httptools"}
    return {k: v for k, v in fast.items() if importlib.util.find_spec(v) is not None}


def serve_public(settings: Settings, *, host: str, port: int) -> None:
    """``xinyong serve --public``: the store only; no core URL is read, no periodic work."""
    import uvicorn

    from xinyong.web.app import create_app, settle_heap

    app = create_app(settings, public_only=True)
    settle_heap()
    uvicorn.run(
        app, host=host, port=port, log_level="info", log_config=log_config(), **server_options()
    )


def serve_many(factory: str, workers: int, *, host: str, port: int) -> int:
    """``workers`` server processes, each building its app from ``factory`` and the same
    environment, each listening on a socket of its own where the platform allows it
    (:mod:`xinyong.cli.workers`; else uvicorn's workers on one shared socket); their metrics
    meet in a fresh directory (prometheus-client multiprocess mode) that ``/metrics`` sums.
    The exit status: 0 when stopped, uvicorn's ``STARTUP_FAILURE`` when a worker could not
    start."""
    import os
    import tempfile

    import uvicorn

    from xinyong.cli.workers import Workers, reuse_port_available
    from xinyong.ops.metrics import MULTIPROC_ENV

    with tempfile.TemporaryDirectory(prefix="xinyong-metrics-") as metrics_dir:
        os.environ[MULTIPROC_ENV] = metrics_dir
        options = dict(log_level="info", log_config=log_config(), **server_options())
        if not reuse_port_available():
            uvicorn.run(factory, factory=True, host=host, port=port, workers=workers, **options)
            return 0
        config = uvicorn.Config(factory, factory=True, host=host, port=port, **options)
        return Workers(config, workers).run()


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: str = typer.Option("127.0.0.1", help="Address to listen on."),
        port: int = typer.Option(8000, help="Port to listen on."),
        workers: int = typer.Option(
            1, "--workers", min=1, max=64, help="Server processes (PostgreSQL for more than 1)."
        ),
        jobs: bool = typer.Option(
            True, "--jobs/--no-jobs", help="Run the periodic jobs in this process too."
        ),
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
        core_url = "" if public else settings.resolved_database_url()
        if refusal := workers_refusal(core_url, workers, public=public):
            typer.echo(refusal, err=True)
            raise typer.Exit(code=2)
        if public and workers == 1:
            serve_public(settings, host=host, port=port)
            return
        if public:
            status = serve_many(
                "xinyong.web.app:create_served_public_app", workers, host=host, port=port
            )
            if status:
                raise typer.Exit(code=status)
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
        from xinyong.web.app import create_app, settle_heap

        stop = threading.Event()
        if jobs:
            # The worker's scheduler: safe beside any number of `xinyong worker` processes.
            periodic.start(settings, stop)
        try:
            if workers == 1:
                app = create_app(settings)
                settle_heap()
                uvicorn.run(
                    app, host=host, port=port, log_level="info", log_config=log_config(),
                    **server_options(),
                )  # fmt: skip
                return
            status = serve_many("xinyong.web.app:create_served_app", workers, host=host, port=port)
        finally:
            stop.set()
        if status:
            raise typer.Exit(code=status)
