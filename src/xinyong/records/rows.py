"""Validating one delivered row (API or file) into the values of a record (COL-1). Pure.

Shared by the single delivery (``POST /records``), the JSON batch, and the file import, so
that every channel refuses the same things with the same reasons.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from xinyong.records.rules import (
    CleanRow,
    FieldRule,
    Problem,
    SubjectRef,
    check_decided_on,
    content_hash,
    decision_date_field,
    document_no_field,
    resolve_severity,
    source_key,
    subject_from_fields,
    validate_fields,
)
from xinyong.records.values import parse_date, parse_severity, text_of


@dataclass(frozen=True)
class ItemSpec:
    """What records need of a published catalogue item version."""

    code: str
    version_id: int | None
    fields: tuple[FieldRule, ...]
    polarity: str
    default_severity: str | None
    publicity: str
    subject_types: frozenset[str]
    #: Collection source: organisation codes allowed to deliver (empty: any provider).
    source_org_codes: frozenset[str] = frozenset()

    # Cached: asked for on every row of a file.
    @cached_property
    def date_field(self) -> str | None:
        return decision_date_field(self.fields)

    @cached_property
    def document_field(self) -> str | None:
        return document_no_field(self.fields)

    @cached_property
    def codes(self) -> frozenset[str]:
        return frozenset(r.code for r in self.fields)


def validate_row(
    item: ItemSpec,
    values: Mapping[str, Any],
    *,
    source_id: Any = None,
    severity: Any = None,
    subject: SubjectRef | None = None,
    decided_on: Any = None,
    document_no: Any = None,
    today: date,
    allow_list: frozenset[str] = frozenset(),
) -> CleanRow | list[Problem]:
    """Every problem of the row at once (a provider fixes a file in one pass), or the row."""
    if text_of(values.get("severity")):
        # The class is written 轻微/一般/严重 in Chinese files; the schema lists the codes.
        with suppress(ValueError):  # the field's own check reports a bad value
            values = {**values, "severity": parse_severity(values["severity"])}
    fields, problems = validate_fields(
        item.fields, values, today=today, allow_list=allow_list, known=item.codes
    )

    sev: str | None = None
    if not text_of(severity) and "severity" in fields:
        # Items that list the class among their fields (admin_penalty) carry it there.
        severity = fields["severity"]
    if text_of(severity):
        try:
            sev = parse_severity(severity)
        except ValueError as exc:
            problems.append(Problem("severity", str(exc)))
    sev, sev_problem = resolve_severity(
        polarity=item.polarity, given=sev, default=item.default_severity
    )
    if sev_problem:
        problems.append(sev_problem)

    decided: date | None = None
    if text_of(decided_on):
        try:
            decided = parse_date(decided_on)
        except ValueError as exc:
            problems.append(Problem("decided_on", str(exc)))
    elif item.date_field and item.date_field in fields:
        decided = date.fromisoformat(fields[item.date_field])
    future = check_decided_on(decided, today=today)
    if future:
        problems.append(Problem(item.date_field or "decided_on", future.reason))

    doc = text_of(document_no) or None
    if doc is None and item.document_field:
        doc = fields.get(item.document_field)

    if subject is None:
        if problems and any(p.field and p.field.startswith("XDR_") for p in problems):
            return problems  # the party's own fields are already reported
        subject, subject_problems = subject_from_fields(
            fields, allowed_types=item.subject_types, allow_list=allow_list
        )
        problems.extend(subject_problems)
    elif subject.type not in item.subject_types:
        problems.append(
            Problem(
                "subject.type",
                f"该事项不收集 {subject.type} 类主体 / the item does not cover subjects of "
                f"type {subject.type}",
            )
        )
    if subject is None or problems:
        return problems

    sid = text_of(source_id) or None
    try:
        key = source_key(
            item=item.code, source_id=sid, document_no=doc, subject_code=subject.id_value
        )
    except ValueError as exc:
        return [Problem(item.document_field or "source_id", str(exc))]
    row = CleanRow(
        fields=fields,
        subject=subject,
        source_key=key,
        severity=sev,
        decided_on=decided,
        document_no=doc,
    )
    row.content_hash = content_hash(
        fields=fields, subject=subject, severity=sev, decided_on=decided, document_no=doc
    )
    return row
