"""Validating one delivered row (API or file) into the values of a record (COL-1). Pure.

Shared by the single delivery (``POST /records``), the JSON batch, and the file import, so
that every channel refuses the same things with the same reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any, NoReturn

from xinyong.core.errors import InvalidInput
from xinyong.records.rules import (
    CleanRow,
    FieldRule,
    Problem,
    check_decided_on,
    decision_date_field,
    document_no_field,
    field_value,
    hashed_content,
    resolve_severity,
    source_key,
    subject_from_fields,
)
from xinyong.records.values import (
    MAX_TEXT,
    RESIDENT_ID_TYPES,
    amount_text,
    check_id,
    date_text,
    parse_date,
    parse_severity,
    text_of,
)
from xinyong.subjects.rules import SubjectRef

#: (rule, raw value, the row's values, allow-list, today) → stored value, or ValueError.
Converter = Callable[[FieldRule, Any, Mapping[str, Any], frozenset[str], date], Any]
#: (code, rule, the problem of its absence if required, check, remembered answers or None).
_Step = tuple[
    str, FieldRule, Problem | None, Converter, dict[str, tuple[Any, Problem | None]] | None
]


def _general(
    rule: FieldRule, raw: Any, values: Mapping[str, Any], allow: frozenset[str], today: date
) -> Any:
    return field_value(rule, raw, allow, today, values)


def _for_text(parse: Callable[[str], Any]) -> Converter:
    """The fast path of a field: ``parse`` checks a text cell; any other value goes through
    ``rules.field_value``."""

    def convert(
        rule: FieldRule, raw: Any, values: Mapping[str, Any], allow: frozenset[str], today: date
    ) -> Any:
        if raw.__class__ is not str:
            return field_value(rule, raw, allow, today, values)
        return parse(raw)

    return convert


def _bounded_text(raw: str) -> str:
    text = text_of(raw)
    if len(text) > MAX_TEXT:
        raise ValueError(f"超过 {MAX_TEXT} 字 / longer than {MAX_TEXT} characters")
    return text


_text = _for_text(_bounded_text)
_date = _for_text(date_text)
_decimal = _for_text(amount_text)


def _enum(allowed: Sequence[str]) -> Converter:
    members = frozenset(allowed)
    shown = " / ".join(allowed)

    def member(raw: str) -> str:
        text = text_of(raw)
        if text not in members:
            raise ValueError(f"'{text}' 不在可选值中（{shown}）/ '{text}' is not one of {shown}")
        return text

    return _for_text(member)


def _identifier(code: str) -> Converter:
    # The ID type column (*_ZJLX) next to an ID number (*_ZJHM): see rules._foreign_id.
    id_type = code[:-4] + "ZJLX" if code.upper().endswith("ZJHM") else None

    def convert(
        rule: FieldRule, raw: Any, values: Mapping[str, Any], allow: frozenset[str], today: date
    ) -> Any:
        if raw.__class__ is not str:
            return field_value(rule, raw, allow, today, values)
        if id_type is not None and text_of(values.get(id_type)) not in RESIDENT_ID_TYPES:
            return _text(rule, raw, values, allow, today)
        check = check_id(text_of(raw), None, allow, today)
        if not check.valid:
            raise ValueError(check.error or "invalid identifier")
        return check.normalized

    return convert


def _converter(rule: FieldRule) -> Converter:
    """The check of one field, chosen once per schema in the order ``field_value`` tries."""
    if rule.type == "date":
        return _date
    if rule.type == "decimal":
        return _decimal
    if rule.type in ("integer", "boolean"):
        return _general
    if rule.enum:
        return _enum(rule.enum)
    if rule.type == "identifier":
        return _identifier(rule.code)
    return _text


def _by_cell_alone(rule: FieldRule) -> bool:
    """Whether a text cell's check depends on nothing but the cell (and the allow-list and
    today): all but an ID number read with its row's ID type (``_identifier``)."""
    return not (rule.type == "identifier" and not rule.enum and rule.code.upper().endswith("ZJHM"))


#: Answers remembered per column by a memoising validator; emptied when full (flat memory).
_MEMO_MAX = 1 << 12
#: A remembered empty cell.
_EMPTY = object()


class FieldValidator:
    """An item version's field schema compiled once: what :func:`rules.validate_fields`
    decides, without looking the type of every field up again on every row of a file.
    Text cells take the fast paths; any other value (numbers and dates of a spreadsheet,
    JSON values of the API) goes through ``rules.field_value`` itself.

    A memoising validator (:meth:`only` with ``memo=True``, one per file) also remembers the
    answer for each text cell of a column whose check depends on the cell alone: a file
    repeats its authorities, legal bases, dates and categories on row after row."""

    __slots__ = ("_known", "_memo_for", "_memoising", "_steps")

    def __init__(self, rules: Sequence[FieldRule], known: frozenset[str]) -> None:
        self._known = known
        self._memoising = False
        #: The allow-list and day the remembered answers hold for.
        self._memo_for: tuple[frozenset[str], date] | None = None
        self._steps: tuple[_Step, ...] = tuple(
            (
                r.code,
                r,
                Problem(r.code, f"必填项 {r.name_zh} 为空 / {r.code} is required")
                if r.required
                else None,
                _converter(r),
                None,
            )
            for r in rules
        )

    def __call__(
        self, values: Mapping[str, Any], *, today: date, allow_list: frozenset[str]
    ) -> tuple[dict[str, Any], list[Problem]]:
        clean: dict[str, Any] = {}
        problems: list[Problem] = []
        get = values.get
        if self._memoising and self._memo_for != (allow_list, today):
            self._forget(allow_list, today)
        for code, rule, missing, convert, memo in self._steps:
            raw = get(code)
            if memo is not None and raw.__class__ is str:
                hit = memo.get(raw)
                if hit is None:
                    hit = self._answer(rule, raw, values, allow_list, today, convert)
                    if len(memo) >= _MEMO_MAX:
                        memo.clear()
                    memo[raw] = hit
                value, problem = hit
                if problem is not None:
                    problems.append(problem)
                elif value is not _EMPTY:
                    clean[code] = value
                elif missing is not None:
                    problems.append(missing)
                continue
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                if missing is not None:
                    problems.append(missing)
                continue
            try:
                clean[code] = convert(rule, raw, values, allow_list, today)
            except ValueError as exc:
                problems.append(Problem(code, str(exc)))
        if not self._known.issuperset(values):
            for code in sorted(set(values).difference(self._known)):
                problems.append(
                    Problem(code, f"该事项没有字段 {code} / the item has no field {code}")
                )
        return clean, problems

    @staticmethod
    def _answer(
        rule: FieldRule,
        raw: str,
        values: Mapping[str, Any],
        allow_list: frozenset[str],
        today: date,
        convert: Converter,
    ) -> tuple[Any, Problem | None]:
        if not raw.strip():
            return _EMPTY, None
        try:
            return convert(rule, raw, values, allow_list, today), None
        except ValueError as exc:
            return None, Problem(rule.code, str(exc))

    def _forget(self, allow_list: frozenset[str], today: date) -> None:
        for step in self._steps:
            if step[4] is not None:
                step[4].clear()
        self._memo_for = (allow_list, today)

    def only(self, codes: Collection[str], *, memo: bool = False) -> FieldValidator:
        """The same checks for rows that carry no other fields than ``codes`` (a file's
        columns): its other optional fields are always empty, so they are not looked at.
        ``memo``: remember answers (one validator per file; see the class)."""
        narrowed = FieldValidator.__new__(FieldValidator)
        narrowed._known = self._known
        narrowed._memoising = memo
        narrowed._memo_for = None
        narrowed._steps = tuple(
            (code, rule, missing, convert, {} if memo and _by_cell_alone(rule) else None)
            for code, rule, missing, convert, _ in self._steps
            if code in codes or missing is not None
        )
        return narrowed


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
    #: Collection source: organisation codes the item version itself names (empty: none).
    source_org_codes: frozenset[str] = frozenset()
    #: Only registered collection sources deliver the item (Art. 25, 26; catalogue.sources).
    restricted_sources: bool = False

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

    @cached_property
    def validator(self) -> FieldValidator:
        """The checks of a collection source's delivery (every path but the platform's own
        list procedure): its ``source_required`` fields are required (Art. 26)."""
        return FieldValidator(tuple(r.for_source() for r in self.fields), self.codes)

    @cached_property
    def procedure_validator(self) -> FieldValidator:
        """The checks of a record the platform's own list procedure produces: the procedure
        holds the notice and decision itself, so ``source_required`` fields may be absent."""
        return FieldValidator(self.fields, self.codes)


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
    validator: FieldValidator | None = None,
) -> CleanRow | list[Problem]:
    """Every problem of the row at once (a provider fixes a file in one pass), or the row.
    ``validator``: the item's, narrowed to the fields ``values`` can hold (a file's header)."""
    if text_of(values.get("severity")):
        # The class is written 轻微/一般/严重 in Chinese files; the schema lists the codes.
        with suppress(ValueError):  # the field's own check reports a bad value
            values = {**values, "severity": parse_severity(values["severity"])}
    check = item.validator if validator is None else validator
    fields, problems = check(values, today=today, allow_list=allow_list)

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
    row.content_hash, row.fields_json = hashed_content(
        fields=fields, subject=subject, severity=sev, decided_on=decided, document_no=doc
    )
    return row


def refuse(problems: Sequence[Problem], what: str) -> NoReturn:
    """422 ``invalid_record``: ``what`` was refused (``记录未通过校验 / the record is
    invalid``), every problem named with its field."""
    reasons = "; ".join(f"{p.field or 'record'}: {p.reason}" for p in problems)
    raise InvalidInput(
        f"{what} — {reasons}",
        code="invalid_record",
        details=[{"field": p.field, "reason": p.reason} for p in problems],
    )
