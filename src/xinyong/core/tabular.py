"""CSV for spreadsheet programs, with formulas neutralised (OWASP "CSV injection").

A spreadsheet program opening a CSV file runs a cell beginning with ``=``, ``+``, ``-`` or ``@``
as a formula (and one beginning with a tab or a carriage return after trimming it), so a
provider's field value ``=HYPERLINK(...)`` would act on the computer of whoever opens the
export. Every text cell the platform exports — records, the 双公示 export, provider and office
tables, dashboards, logs — goes through :func:`neutralise`, which prefixes such a cell with
``'``: shown as text, never evaluated. Numbers the platform computed itself (``int``/``float``)
are not text and are written as they are; a delivered CSV file has the ``'`` taken off again
(:func:`restore`), so an export re-imported is unchanged. Every CSV writer of the platform is
made with :func:`csv_writer`; every XLSX file with :func:`xlsx_bytes`, whose cells pass
through :func:`neutralise` too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any, Protocol

#: The characters that make a spreadsheet program read a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` with a leading ``'`` if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def restore(value: str) -> str:
    """The value :func:`neutralise` was given: a cell read back from an export (a file a
    provider re-delivers) loses the ``'`` put before a formula character — as a spreadsheet
    program, which shows ``'=x`` as ``=x``, would."""
    if value[:1] == "'" and value[1:2] and value[1] in _TRIGGER_CHARS:
        return value[1:]
    return value


_TRIGGER_CHARS = frozenset("".join(FORMULA_TRIGGERS))


class _Writable(Protocol):
    def write(self, s: str, /) -> Any: ...


class SafeCsvWriter:
    """``csv.writer`` whose every cell passes through :func:`neutralise`."""

    __slots__ = ("_writer",)

    def __init__(self, out: _Writable, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: _Writable, **options: Any) -> SafeCsvWriter:
    """The platform's only way to write CSV (options as for ``csv.writer``)."""
    return SafeCsvWriter(out, **options)


def xlsx_bytes(title: str, rows: Iterable[Iterable[Any]]) -> bytes:
    """The platform's only way to write an XLSX file: one sheet named ``title`` (cut to the
    format's 31 characters), each text cell neutralised as in a CSV file."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
