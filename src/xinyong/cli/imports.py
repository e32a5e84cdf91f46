"""``xinyong import FILE --item ITEM --org C``: bulk delivery with a progress bar (COL-1)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from xinyong.cli.context import clock, console, friendly_errors, open_session, print_table
from xinyong.core.tabular import csv_writer
from xinyong.records.delivery import operator_for_org
from xinyong.records.importing.bulk import CHUNK_SIZE, import_file
from xinyong.records.schemas import DeliveryBatchRead

#: Rejected rows printed on the terminal; all of them go to the rejects file.
SHOWN = 50


def _count_lines(path: Path) -> int | None:
    if path.suffix.lower() == ".xlsx":
        return None
    with path.open("rb") as fh:
        return max(sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b"")) - 1, 0)


def _write_rejects(result: DeliveryBatchRead, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv_writer(fh)
        writer.writerow(["line", "field", "reason"])
        for r in result.rejected:
            writer.writerow([r.line, r.field or "", r.reason])


def register(app: typer.Typer) -> None:
    @app.command("import")
    @friendly_errors
    def import_(
        file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV or XLSX file."),
        item: str = typer.Option(..., "--item", help="Catalogue item code, e.g. admin_penalty."),
        org: str = typer.Option(..., "--org", help="Code of the delivering organisation."),
        rejects: Path | None = typer.Option(None, "--rejects", help="Where to write rejects."),
        chunk_size: int = typer.Option(CHUNK_SIZE, "--chunk-size", min=1, max=50_000),
    ) -> None:
        """Deliver the rows of a CSV/XLSX file as records of ITEM. 批量报送。"""
        with open_session() as session, file.open("rb") as stream:
            actor = operator_for_org(session, org)
            columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()]
            with Progress(*columns, TimeElapsedColumn(), console=console) as bar:
                task = bar.add_task(f"导入 importing {file.name}", total=_count_lines(file))
                # report_limit=None: every rejected row goes to the rejects file.
                result = import_file(
                    session, actor=actor, item_code=item, stream=stream, filename=file.name,
                    at=clock().now(), chunk_size=chunk_size, report_limit=None,
                    progress=lambda seen, _batch: bar.update(task, completed=seen),
                )  # fmt: skip
        console.print(
            f"批次 batch {result.batch_id}: {result.rows} 行 rows, "
            f"[green]{result.accepted} 接收 accepted[/], {result.unchanged} 未变 unchanged, "
            f"[red]{len(result.rejected)} 拒收 rejected[/]"
        )
        if result.rejected:
            print_table(
                ("line 行", "field 字段", "reason 原因"),
                ((str(r.line), r.field or "", r.reason) for r in result.rejected[:SHOWN]),
            )
            target = rejects or file.with_name(f"{file.stem}.rejects.csv")
            _write_rejects(result, target)
            console.print(f"全部拒收行已写入 all rejected rows written to {target}")
