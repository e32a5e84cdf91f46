"""``xinyong org``."""

from __future__ import annotations

import typer

app = typer.Typer(help="org", no_args_is_help=True)
