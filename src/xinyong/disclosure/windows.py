"""Disclosure windows of negative records (DIS-4; Art. 35, 36).

Pure functions over the shipped rule data (``catalogue/data/publicity_rules.json``): which rule
set was in force on the decision date (NDRC Order 58 until 2026-03-31, Order 36 from
2026-04-01), the class's maximum period, and the sector overrides an item declares.

The window of a record is a pure function of its item's disclosure rule, its severity, its
decision date, its fields and its provider's sector, so it is computed once at delivery (and
again on each amendment) and *stored* (STYLE: store computed deadlines); the query compares the
stored day with today. Only the extension by a running disciplinary period depends on the
query day, and it is applied at query time (:func:`extended_until`).

Periods in months count as the Civil Code counts them (Art. 201, 202): from the day after the
decision, ending on the corresponding day of the last month, or that month's last day when it
has no corresponding day. ``window_ends_on`` is therefore the *last* day a record is served.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

#: Rule kinds whose windows do not run from the decision date (served while active).
_OPEN_KINDS = frozenset({"valid_period", "unlimited"})


@dataclass(frozen=True, slots=True)
class Window:
    """The outcome for one record.

    ``ends_on`` is the last day the record is served (``None``: no negative window — served
    while active). ``publishable`` is False for a class the rule set does not publish (minor
    dishonesty): such a record may be shared with the government but is not put on the
    publicity site. ``basis`` names what decided it, for the subject and the audit.
    """

    ends_on: date | None
    publishable: bool
    rule_set: str | None
    basis: str


OPEN = Window(ends_on=None, publishable=True, rule_set=None, basis="no negative window")


def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months, clamped to the month's last day (Civil Code
    Art. 202: no corresponding day → the last day of that month)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def rule_set_for(decided_on: date, rules: Mapping[str, Any]) -> Mapping[str, Any]:
    """The rule set in force on ``decided_on`` (Art. 36; NDRC Order 58 / Order 36).

    A decision older than every rule set takes the oldest one: the platform must still answer
    for it, and the oldest set is the closest to the rules of its day.
    """
    sets: list[Mapping[str, Any]] = sorted(rules["rule_sets"], key=lambda s: s["effective_from"])
    for rule_set in sets:
        start = date.fromisoformat(rule_set["effective_from"])
        until = rule_set.get("effective_until")
        if start <= decided_on and (until is None or decided_on <= date.fromisoformat(until)):
            return rule_set
    if decided_on < date.fromisoformat(sets[0]["effective_from"]):
        return sets[0]
    return sets[-1]


def disclosure_rule(code: str, rules: Mapping[str, Any]) -> Mapping[str, Any] | None:
    return next((r for r in rules["disclosure_rules"] if r["code"] == code), None)


def _amount(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value).strip()) if value not in (None, "") else None
    except InvalidOperation:
        return None


#: The fields of a record that a sector case reads (:func:`case_matches`): the penalty types
#: and the fine. Nothing else of a record's fields bears on its window.
CASE_FIELDS = ("CF_CFLB", "CF_NR_FK")


def case_inputs(fields: Mapping[str, Any]) -> tuple[str, ...]:
    """What of ``fields`` a window depends on (:data:`CASE_FIELDS`), hashable: records that
    agree on it and on the other inputs of :func:`disclosure_window` have the same window.
    Each value as its ``repr``, so that values Python counts equal but a case reads apart
    (``1``, ``1.0``, ``True``) are told apart, and any value can be held."""
    return tuple(repr(fields.get(name)) for name in CASE_FIELDS)


def _penalty_types(fields: Mapping[str, Any]) -> set[str]:
    raw = str(fields.get("CF_CFLB") or "")
    for sep in ("；", ";", "，", ",", "、", "/"):
        raw = raw.replace(sep, " ")
    return {part for part in raw.split() if part}


def case_matches(when: Mapping[str, Any], fields: Mapping[str, Any]) -> bool:
    """Whether a sector case's condition holds for a record's fields.

    ``penalty_types_only``: every penalty type of the record is one of these;
    ``penalty_types_any``: at least one is; ``fine_at_most_10k_cny``: the fine (``CF_NR_FK``,
    in 10 000 CNY) is present and at most this. An empty condition always holds.
    """
    types = _penalty_types(fields)
    only = when.get("penalty_types_only")
    if only is not None and (not types or not types <= set(only)):
        return False
    anyof = when.get("penalty_types_any")
    if anyof is not None and not types & set(anyof):
        return False
    limit = when.get("fine_at_most_10k_cny")
    if limit is not None:
        fine = _amount(fields.get("CF_NR_FK"))
        if fine is None or fine > Decimal(str(limit)):
            return False
    return True


def sector_case(
    rule: Mapping[str, Any], *, sector: str | None, fields: Mapping[str, Any]
) -> tuple[str, Mapping[str, Any]] | None:
    """The first case of the rule's override for ``sector`` whose condition holds."""
    if sector is None:
        return None
    for override in rule.get("sector_overrides") or []:
        if sector == override["sector"] or sector in (override.get("provider_kinds") or []):
            for case in override["cases"]:
                if case_matches(case.get("when") or {}, fields):
                    return override["sector"], case
    return None


def disclosure_window(
    *,
    rule_code: str,
    polarity: str,
    severity: str | None,
    decided_on: date | None,
    fields: Mapping[str, Any],
    sector: str | None,
    rules: Mapping[str, Any],
) -> Window:
    """The disclosure window of a record (Art. 35: query period; DIS-4).

    Positive and neutral records have no negative window. A negative record's window runs
    from its decision date: the sector case that applies, else a fixed period of its rule
    (``default_months``), else the maximum of its class in the rule set in force on the
    decision date. A negative record without a decision date cannot be placed in time; it is
    treated as already outside its window rather than published indefinitely (Art. 18 favours
    the subject's rights when the data is incomplete).
    """
    if polarity != "negative":
        return OPEN
    rule = disclosure_rule(rule_code, rules)
    if rule is None or rule["kind"] in _OPEN_KINDS:
        return OPEN
    if rule["kind"] == "while_listed" and rule.get("default_months") is None:
        # Served while the entry stands: its removal withdraws the record.
        return Window(None, True, None, f"{rule['code']}: while listed")
    if decided_on is None:
        return Window(date.min, False, None, "negative record without a decision date")
    rule_set = rule_set_for(decided_on, rules)
    classes = rule_set["classes"]
    klass = classes.get(severity or "") or classes["general"]
    # Whether the class is published is the rule set's, whatever period applies: a minor
    # record is not published under Order 36 even where a sector or a fixed period sets its
    # window, which then bounds only government sharing (Art. 35; Order 36).
    published = bool(klass["published"])
    found = sector_case(rule, sector=sector, fields=fields)
    if found is not None:
        name, case = found
        ends = add_months(decided_on, int(case["publicity_months"]))
        return Window(ends, published, rule_set["code"], f"sector {name}: {case['code']}")
    if rule.get("default_months") is not None:
        ends = add_months(decided_on, int(rule["default_months"]))
        return Window(ends, published, rule_set["code"], f"{rule['code']}: fixed period")
    ends = add_months(decided_on, int(klass["max_months"]))
    basis = f"{rule_set['code']}: {severity or 'general'} class maximum"
    return Window(ends, published, rule_set["code"], basis)


def extended_until(
    ends_on: date | None, periods: Iterable[tuple[date, date | None]]
) -> date | None:
    """The window's end, extended to the end of a disciplinary period that is running when
    the window would end (DIS-4; Art. 35). A period may chain into another one that is
    running when it ends. ``None`` in a period's end means it runs until further notice."""
    if ends_on is None:
        return None
    spans = sorted(periods, key=lambda p: p[0])
    end = ends_on
    changed = True
    while changed:
        changed = False
        for start, until in spans:
            new_end = date.max if until is None else until
            if start <= end < new_end:
                end = new_end
                changed = True
    return end


class WindowInputs(NamedTuple):
    """What of a record, its item and its provider a window depends on, but its fields."""

    rule_code: str
    polarity: str
    severity: str | None
    decided_on: date | None
    sector: str | None


class Remembered:
    """:func:`disclosure_window` under one set of rules, each answer remembered by its inputs
    for the life of the instance (one batch of records: a bulk delivery computes thousands of
    windows, most of them alike). Of the fields only :func:`case_inputs` are part of the
    inputs, as only they bear on a window, and only when the provider has a sector."""

    __slots__ = ("_known", "_rules")

    def __init__(self, rules: Mapping[str, Any]) -> None:
        self._rules = rules
        self._known: dict[tuple[Any, ...], Window] = {}

    def __call__(self, inputs: WindowInputs, fields: Mapping[str, Any]) -> Window:
        # Fields bear on a window only through a sector's cases (:func:`sector_case`).
        key = inputs if inputs.sector is None else (inputs, *case_inputs(fields))
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = disclosure_window(
                **inputs._asdict(), fields=fields, rules=self._rules
            )
        return found
