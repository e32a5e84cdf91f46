"""The ``xinyong`` command."""

from __future__ import annotations

import typer

from xinyong import bootstrap
from xinyong.cli import (
    audit,
    backup,
    db,
    demo,
    imports,
    objections,
    org,
    publish,
    serve,
    user,
    webhooks,
    worker,
)

app = typer.Typer(
    name="xinyong",
    help="Xinyong 信用 — social credit information sharing platform.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _composition_root() -> None:
    # Also when the Typer app is invoked without main() (tests, `python -c`).
    bootstrap.wire()


app.add_typer(db.app, name="db")
app.add_typer(org.app, name="org")
app.add_typer(user.app, name="user")
app.add_typer(audit.app, name="audit")
app.add_typer(demo.app, name="demo")
serve.register(app)
imports.register(app)
webhooks.register(app)
objections.register(app)
worker.register(app)
backup.register(app)
publish.register(app)


def main() -> None:
    bootstrap.wire()
    app()
