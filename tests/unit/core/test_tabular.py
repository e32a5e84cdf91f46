"""CSV exports neutralise formulas (issue 12 item 5; OWASP CSV injection)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from xinyong.core.tabular import csv_writer, neutralise

SRC = Path(__file__).parents[3] / "src" / "xinyong"


@pytest.mark.parametrize(
    "value", ["=1+2", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x")']
)
def test_a_formula_gets_a_leading_quote(value: str) -> None:
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["黔市监罚〔2026〕201号", "2026-09-01", "", "a=b", " =1", "'=1"])
def test_other_text_is_untouched(value: str) -> None:
    assert neutralise(value) == value


def test_numbers_and_none_are_not_text() -> None:
    assert neutralise(-3) == -3
    assert neutralise(-0.5) == -0.5
    assert neutralise(None) is None


def test_the_writer_neutralises_every_cell() -> None:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(["=cmd|' /C calc'!A0", "ok", 5])
    writer.writerows([["@x", "-1+1"]])
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows == [["'=cmd|' /C calc'!A0", "ok", "5"], ["'@x", "'-1+1"]]


def test_no_csv_or_xlsx_is_written_except_through_the_helper() -> None:
    """Every export goes through ``core.tabular``: a new ``csv.writer`` elsewhere would bypass
    the neutralising (the reader of delivered files is not an export)."""
    writer = re.compile(r"csv\.writer\(|csv\.DictWriter\(|\bWorkbook\(|\.write_only\b")
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.name != "tabular.py" and writer.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize("value", ["=1+2", "-2+3", "@x", "\t=1", "plain", "'quoted", "'", ""])
def test_restore_undoes_neutralise(value: str) -> None:
    from xinyong.core.tabular import restore

    assert restore(neutralise(value)) == value
