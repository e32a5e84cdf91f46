"""Mapping a file's header row to the item's fields (double-publicity layout, DESIGN §3a).

A header is a field code (``CF_WSH``) or its Chinese column name (``行政处罚决定书文号``);
``source_id`` and ``severity`` may also appear. A file whose header names an unknown column,
names a column twice, or lacks a required column is refused as a whole, before any row: every
row would otherwise be rejected for the same reason, or a column silently dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from xinyong.catalogue.rules import normalise_header
from xinyong.core.errors import InvalidInput
from xinyong.records.rows import ItemSpec
from xinyong.records.rules import SEVERITY_HEADERS, SOURCE_ID_HEADERS
from xinyong.records.values import text_of

SOURCE_ID = "source_id"
#: Header problems listed in an error (details) and named in its message: a header of 100,000
#: unknown columns is refused with a bounded answer, the count of all of them given.
DETAILS_LIMIT = 1000
NAMED_LIMIT = 20
SEVERITY = "severity"


@dataclass(frozen=True, slots=True)
class Columns:
    #: (cell index, field code)
    fields: tuple[tuple[int, str], ...]
    source_id: int | None
    severity: int | None

    def split(self, cells: Sequence[Any]) -> tuple[dict[str, Any], Any, Any]:
        """A row's field values by code, its source id and its severity."""
        n = len(cells)
        values = {code: cells[i] for i, code in self.fields if i < n and cells[i] is not None}
        sid = cells[self.source_id] if self.source_id is not None and self.source_id < n else None
        sev = cells[self.severity] if self.severity is not None and self.severity < n else None
        return values, sid, sev


def map_header(cells: Sequence[Any], item: ItemSpec) -> Columns:
    by_name: dict[str, str] = {}
    for rule in item.fields:
        by_name[normalise_header(rule.code)] = rule.code
        by_name[normalise_header(rule.name_zh)] = rule.code
    extra = {normalise_header(h): SOURCE_ID for h in SOURCE_ID_HEADERS}
    if SEVERITY not in {r.code for r in item.fields}:
        extra.update({normalise_header(h): SEVERITY for h in SEVERITY_HEADERS})

    fields: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    specials: dict[str, int] = {}
    problems: list[dict[str, Any]] = []
    for index, cell in enumerate(cells):
        header = text_of(cell)
        if not header:
            continue
        key = normalise_header(header)
        target = by_name.get(key) or extra.get(key)
        if target is None:
            problems.append({"line": 1, "field": header[:120], "reason": "unknown column 未知列"})
        elif target in seen:
            problems.append(
                {"line": 1, "field": header[:120], "reason": "column given twice 重复列"}
            )
        else:
            seen[target] = index
            if target in (SOURCE_ID, SEVERITY) and target not in by_name.values():
                specials[target] = index
            else:
                fields.append((index, target))
    missing = [r.code for r in item.fields if r.required and r.code not in seen]
    problems += [
        {"line": 1, "field": code, "reason": "required column missing 缺少必填列"}
        for code in missing
    ]
    if problems:
        raise _unfit(item.code, problems)
    return Columns(tuple(fields), specials.get(SOURCE_ID), specials.get(SEVERITY))


def _unfit(item_code: str, problems: list[dict[str, Any]]) -> InvalidInput:
    listed = ", ".join(f"{p['field']} ({p['reason']})" for p in problems[:NAMED_LIMIT])
    if len(problems) > NAMED_LIMIT:
        listed += f" … 共 {len(problems)} 处 / {len(problems)} problems in all"
    return InvalidInput(
        f"文件表头与信息项 {item_code} 不符 / the header does not fit item {item_code}: {listed}",
        code="invalid_header",
        details=problems[:DETAILS_LIMIT],
    )
