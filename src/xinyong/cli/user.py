"""``xinyong user``."""

from __future__ import annotations

import typer

app = typer.Typer(help="user", no_args_is_help=True)
