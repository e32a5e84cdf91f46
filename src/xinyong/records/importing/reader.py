"""Streaming the rows of a delivered CSV or XLSX file, never holding the file in memory.

Rows come with their line number in the file (header = 1), which is what a provider sees in
a spreadsheet program, so a rejected row can be found again.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Generator
from typing import IO, Any

from xinyong.core.errors import InvalidInput
from xinyong.core.tabular import restore

_SAMPLE = 1 << 20
#: Government files come as UTF-8 (with or without BOM) or, from older systems, GB 18030.
_FALLBACK_ENCODING = "gb18030"
_XLSX_MAGIC = b"PK\x03\x04"
#: A cell longer than this is not a field value; refusing it bounds the memory a row takes.
csv.field_size_limit(1 << 20)


def file_sha256(stream: IO[bytes]) -> str:
    """SHA-256 of the whole file, read in blocks; the stream is rewound."""
    stream.seek(0)
    h = hashlib.sha256()
    for block in iter(lambda: stream.read(1 << 16), b""):
        h.update(block)
    stream.seek(0)
    return h.hexdigest()


def is_xlsx(stream: IO[bytes], filename: str | None) -> bool:
    stream.seek(0)
    magic = stream.read(4)
    stream.seek(0)
    return magic == _XLSX_MAGIC or (filename or "").lower().endswith(".xlsx")


def _encoding(stream: IO[bytes]) -> str:
    sample = stream.read(_SAMPLE)
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)  # a character cut at the sample's end is fine
    except UnicodeDecodeError:
        return _FALLBACK_ENCODING
    return "utf-8-sig"


def _csv_rows(stream: IO[bytes]) -> Generator[tuple[int, list[Any]], None, None]:
    encoding = _encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    reader = csv.reader(text)
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            joined = "".join(cells)  # one look at every cell of the row at once
            if joined.strip():
                # An export of the platform re-delivered: a ' put before a formula character.
                if "'" in joined and any(c[:1] == "'" for c in cells):
                    cells = [restore(c) for c in cells]
                yield line, cells
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InvalidInput(
            f"文件第 {start} 行无法读取（{exc}）/ line {start} of the file cannot be read: {exc}",
            code="unreadable_file",
        ) from None
    finally:
        text.detach()


def _xlsx_rows(stream: IO[bytes]) -> Generator[tuple[int, list[Any]], None, None]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise InvalidInput(
            f"无法读取 XLSX 文件 / the XLSX file cannot be read: {exc}", code="unreadable_file"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = list(values)
            if any(c is not None and str(c).strip() for c in cells):
                yield line, cells
    finally:
        workbook.close()


def read_rows(
    stream: IO[bytes], filename: str | None = None
) -> Generator[tuple[int, list[Any]], None, None]:
    """(line, cells) of every non-empty row, the header first."""
    if is_xlsx(stream, filename):
        return _xlsx_rows(stream)
    return _csv_rows(stream)
