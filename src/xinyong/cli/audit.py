"""``xinyong audit``: verify the Merkle log, integrate it, sign a checkpoint (PLT-2)."""

from __future__ import annotations

import base64
from pathlib import Path

import typer

from xinyong.audit import service as audit
from xinyong.audit import witness
from xinyong.audit.binding import verify_bindings
from xinyong.audit.verify import verify_log
from xinyong.cli.context import clock, console, err_console, friendly_errors, open_session, settings

app = typer.Typer(help="审计日志 audit log: verify, integrate, checkpoint", no_args_is_help=True)


@app.command()
@friendly_errors
def verify(
    thorough: bool = typer.Option(
        False, "--thorough", help="check the stored root after every entry (slower)"
    ),
    checkpoint: list[Path] = typer.Option(
        [],
        "--checkpoint",
        help="a checkpoint document (the JSON of GET /audit/checkpoint) the log must extend",
        exists=False,
    ),
    workers: int = typer.Option(
        0, "--workers", min=0, help="processes to verify a large log with (0: every core)"
    ),
) -> None:
    """Verify the whole audit log against itself, the witness directory and every
    --checkpoint, and every record version, inquiry-log row and violation against its entry;
    exit 1 naming the first failure, 2 when nothing outside the log vouches for it."""
    s = settings()
    try:
        trusted = witness.load(s.resolved_audit_witness_dir(), checkpoint)
    except witness.WitnessError as bad:
        err_console.print(f"[bold red]检查点无法读取 unreadable checkpoint[/] {bad}", markup=True)
        raise typer.Exit(1) from None
    with open_session(s, writes=False) as session:
        result = verify_log(
            session, settings=s, thorough=thorough, trusted=trusted, workers=workers or None
        )
        bound = verify_bindings(session) if result.ok else None
    root = base64.b64encode(result.root).decode()
    if bound is not None and not bound.ok:
        err_console.print(
            f"[bold red]审计日志校验失败 audit log verification FAILED[/] ({bound.code})"
        )
        err_console.print(f"  {bound.problem}", soft_wrap=True, markup=False)
        raise typer.Exit(1)
    if not result.ok:
        err_console.print(
            f"[bold red]审计日志校验失败 audit log verification FAILED[/] ({result.code})"
        )
        if result.first_bad_seq is not None:
            err_console.print(f"  first bad entry: {result.first_bad_seq}")
        err_console.print(f"  {result.problem}", soft_wrap=True, markup=False)
        err_console.print(f"  entries verified before it: {result.entries}")
        raise typer.Exit(1)
    if result.warning is not None:
        err_console.print("[bold yellow]警告 WARNING[/]")
        err_console.print(f"  {result.warning}", soft_wrap=True, markup=False)
        err_console.print(f"  entries: {result.entries}")
        raise typer.Exit(2)
    console.print("[bold green]审计日志完好 audit log verified[/]")
    console.print(f"  entries: {result.entries}")
    console.print(f"  root: {root}")
    console.print(f"  checkpoints verified: {result.checkpoints}")
    console.print(f"  witnessed checkpoints verified: {result.witnessed}")
    console.print(f"  rows bound to their entries: {bound.rows if bound else 0}")
    console.print(f"  {result.seconds:.3f} s, {result.rate:,.0f} entries/s")


@app.command()
@friendly_errors
def integrate() -> None:
    """Fold every sequenced entry into the Merkle tree now, signing the checkpoints that fall
    due (the worker does this every few seconds)."""
    s = settings()
    with open_session(s) as session:
        done = audit.integrate_all(session, settings=s)
    console.print(f"integrated {done.entries} entries; tree size {done.size}")
    if done.checkpoints:
        console.print(f"checkpoints signed at {', '.join(map(str, done.checkpoints))}")


@app.command()
@friendly_errors
def checkpoint() -> None:
    """Sign a checkpoint of the log as it stands now and print it."""
    s = settings()
    with open_session(s) as session:
        cp = audit.make_checkpoint(session, at=clock(s).now(), settings=s)
        read = audit.checkpoint_read(cp, s)
    console.print(read.body, end="")
    console.print(f"signature: {read.signature}")
    console.print(f"key: {read.key_id} {read.public_key}")
