"""Reading the file of a batch check (批量比对): UTF-8 CSV, header ``subject`` and optionally
``name``, at most :data:`MAX_ROWS` subjects. Pure: bytes in, rows or a clear refusal out.

Every refusal is a 422 with a stable code, saying what to fix: ``empty_file``, ``binary_file``
(NUL bytes: a spreadsheet or archive, not a CSV), ``not_utf8`` (the line where decoding fails;
save as "CSV UTF-8"), ``missing_header`` (no ``subject`` column in the first row),
``no_rows``, ``too_many_rows``, ``unreadable_file`` (broken quoting).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from xinyong.core.errors import InvalidInput
from xinyong.core.identifiers import normalize_identifier

#: Subjects one batch may name (issue 17: up to 10,000).
MAX_ROWS = 10_000
#: The longest line of a batch file; a subject code and a name fit in far less.
MAX_FIELD = 1000

SUBJECT = "subject"
NAME = "name"


@dataclass(frozen=True, slots=True)
class BatchLine:
    """One data row: its line in the file (header = 1), the code as given and normalised, the
    name if given."""

    line: int
    given: str
    code: str
    name: str | None


def _refuse(code: str, zh: str, en: str, line: int | None = None) -> InvalidInput:
    details = [{"field": "file", "reason": en}]
    if line is not None:
        details[0]["line"] = str(line)
    return InvalidInput(f"{zh} / {en}", code=code, details=details)


def _text(data: bytes) -> str:
    if b"\x00" in data:
        raise _refuse(
            "binary_file",
            "文件含有 NUL 字节，不是 CSV 文本文件",
            "the file holds NUL bytes: it is not a CSV text file (save it as CSV UTF-8)",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _refuse(
            "not_utf8",
            f"文件第 {line} 行不是 UTF-8 编码，请另存为“CSV UTF-8”",
            f"line {line} of the file is not UTF-8: save the file as CSV UTF-8",
            line,
        ) from None


def _header(cells: list[str]) -> tuple[int, int | None]:
    names = [c.strip().lower() for c in cells]
    if SUBJECT not in names:
        found = ", ".join(c.strip() for c in cells if c.strip())[:200] or "—"
        raise _refuse(
            "missing_header",
            f"第一行须为列名，含 subject 列（可选 name 列）；收到：{found}",
            f"the first row must name the columns, with a subject column (and optionally "
            f"name); found: {found}",
            1,
        )
    return names.index(SUBJECT), names.index(NAME) if NAME in names else None


def read_batch_file(data: bytes) -> list[BatchLine]:
    """The data rows of a batch file, blank lines skipped; raises a 422 the caller shows."""
    if not data.strip():
        raise _refuse("empty_file", "文件为空", "the file is empty")
    reader = csv.reader(io.StringIO(_text(data), newline=""), strict=True)
    out: list[BatchLine] = []
    header: tuple[int, int | None] | None = None
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if any(len(c) > MAX_FIELD for c in cells):
                raise _refuse(
                    "unreadable_file",
                    f"文件第 {line} 行过长",
                    f"line {line} is too long for a subject code and name",
                    line,
                )
            if header is None:
                header = _header(cells)
                continue
            if len(out) >= MAX_ROWS:
                raise _refuse(
                    "too_many_rows",
                    f"一个批次最多 {MAX_ROWS} 个主体，请拆分文件",
                    f"a batch holds at most {MAX_ROWS} subjects: split the file",
                    line,
                )
            at_subject, at_name = header
            given = cells[at_subject].strip() if at_subject < len(cells) else ""
            name = cells[at_name].strip() if at_name is not None and at_name < len(cells) else ""
            out.append(BatchLine(line, given[:64], normalize_identifier(given)[:64], name or None))
    except csv.Error as exc:
        raise _refuse(
            "unreadable_file",
            f"文件第 {start} 行无法读取（{exc}）",
            f"line {start} of the file cannot be read: {exc}",
            start,
        ) from None
    if header is None:
        raise _refuse("empty_file", "文件为空", "the file is empty")
    if not out:
        raise _refuse("no_rows", "文件只有列名，没有主体", "the file names no subject")
    return out
