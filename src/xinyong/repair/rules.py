"""Pure rules of credit repair (Art. 36 of the Regulations; RGT-5; NDRC Order 36, Order 58).

Article 36: a credit subject that has corrected its dishonest conduct and fulfilled its
obligations may apply for credit repair; repaired information is no longer served. The national
measures set the conditions (DESIGN §3a): the class's minimum publicity period has been reached
(general: 3 months, serious: 1 year; minor: none), the legal obligations are fulfilled (fine
paid, correction made) and, for general and serious dishonesty, a public credit commitment is
made. NDRC Order 58 (2023) applied until 2026-03-31, Order 36 from 2026-04-01.

The figures are data with effective dates, never constants here: minimum periods come from
``catalogue/data/publicity_rules.json``, the procedure (handling period, which classes need a
commitment) from ``repair/data/repair_rules.json``. No I/O: the data and the working-day
calendar come in as arguments.
"""

from __future__ import annotations

import calendar as _monthrange
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from xinyong.core.clock import local_date
from xinyong.handling.deadlines import WorkingDays, decided_late, is_overdue, received_on

__all__ = ["WorkingDays", "decided_late", "is_overdue", "received_on"]


CLASS_ZH = {"minor": "轻微", "general": "一般", "serious": "严重"}
DEFAULT_CLASS = "general"


@dataclass(frozen=True, slots=True)
class ClassRule:
    """What one class of dishonesty needs before repair (Art. 36; Order 36/58)."""

    min_months: int
    commitment_required: bool


@dataclass(frozen=True, slots=True)
class RuleSet:
    """A version of the national repair measures, in force from ``effective_from``."""

    code: str
    title_zh: str
    effective_from: date
    effective_until: date | None
    decision_working_days: int
    classes: Mapping[str, ClassRule]

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until
        )


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """What the catalogue says of the record's item (CAT-2: whether it can be repaired)."""

    code: str
    repairable: bool
    polarity: str
    default_severity: str | None = None
    repair_note: str = ""


@dataclass(frozen=True, slots=True)
class RecordFacts:
    severity: str | None
    decided_on: date | None
    withdrawn: bool = False


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an application cannot be accepted; ``earliest_on`` when waiting would cure it."""

    code: str
    message: str
    earliest_on: date | None = None


@dataclass(frozen=True, slots=True)
class Eligibility:
    ok: bool
    reasons: tuple[Reason, ...]
    severity: str
    rule_set: str
    #: The day the class's minimum publicity period is reached (``None``: unknown).
    earliest_on: date | None
    commitment_required: bool


def rule_sets(publicity: Mapping[str, Any], procedure: Mapping[str, Any]) -> list[RuleSet]:
    """Join the publicity rule sets (minimum periods) with the repair procedure data (same
    codes), oldest first. A publicity set without procedure data is not usable for repair."""
    by_code = {p["code"]: p for p in procedure["rule_sets"]}
    out = []
    for rs in publicity["rule_sets"]:
        proc = by_code.get(rs["code"])
        if proc is None:
            continue
        needs = proc.get("commitment_required") or {}
        classes = {
            name: ClassRule(int(c["min_months"]), bool(needs.get(name, True)))
            for name, c in rs["classes"].items()
        }
        until = rs.get("effective_until")
        out.append(
            RuleSet(
                code=rs["code"],
                title_zh=rs.get("title_zh", rs["code"]),
                effective_from=date.fromisoformat(rs["effective_from"]),
                effective_until=date.fromisoformat(until) if until else None,
                decision_working_days=int(proc["decision_working_days"]),
                classes=classes,
            )
        )
    return sorted(out, key=lambda s: s.effective_from)


def rule_set_on(day: date, sets: Sequence[RuleSet]) -> RuleSet:
    """The rule set in force on ``day``: for eligibility the record's decision date (the
    measures of the day of the dishonest act's decision govern its publicity), for the
    handling period the day of receipt. Before every set: the oldest; after: the newest."""
    if not sets:
        raise ValueError("no repair rule set")
    for rule_set in sets:
        if rule_set.in_force_on(day):
            return rule_set
    return sets[0] if day < sets[0].effective_from else sets[-1]


def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months, clamped to the month's last day (Civil Code
    Art. 202), as the disclosure windows count them."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, _monthrange.monthrange(year, month)[1]))


def _period_words(months: int) -> tuple[str, str]:
    if months % 12 == 0:
        years = months // 12
        return f"{years} 年", f"{years}-year"
    return f"{months} 个月", f"{months}-month"


def minimum_reached_on(record: RecordFacts, klass: ClassRule) -> date | None:
    """The first day an application may be made: the decision date plus the class's minimum
    publicity period (Order 36: general 3 months, serious 1 year; minor at once)."""
    if record.decided_on is None:
        return None
    return add_months(record.decided_on, klass.min_months)


def severity_of(item: ItemFacts, record: RecordFacts) -> str:
    """The record's class, else the item's default class, else general (the middle class: a
    record without its class is neither waved through nor held for the longest period)."""
    return record.severity or item.default_severity or DEFAULT_CLASS


def repair_eligible(
    item: ItemFacts,
    record: RecordFacts,
    *,
    rule_set: RuleSet,
    at: datetime,
    obligations_fulfilled: bool,
    commitment_made: bool,
) -> Eligibility:
    """Whether a repair application for ``record`` may be accepted at ``at`` (Art. 36).

    ``rule_set`` is the one in force on the record's decision date (:func:`rule_set_on`).
    Refused: an item the law does not let be repaired (the catalogue says so); a withdrawn
    record (nothing is served to repair); a class whose minimum publicity period is not
    reached, with the day it will be; obligations not fulfilled; no public credit commitment
    where the class needs one (general, serious — a minor record needs only the obligations).
    Every reason that applies is given, so the subject learns all of them at once.
    """
    severity = severity_of(item, record)
    klass = rule_set.classes.get(severity) or rule_set.classes[DEFAULT_CLASS]
    reasons: list[Reason] = []
    if not item.repairable:
        note = f"（{item.repair_note}）" if item.repair_note else ""
        reasons.append(
            Reason(
                "not_repairable", f"该事项依法不可修复 / this item cannot be repaired by law{note}"
            )
        )
    elif item.polarity != "negative":
        reasons.append(
            Reason(
                "not_negative", "只有失信信息适用信用修复 / only negative information is repaired"
            )
        )
    if record.withdrawn:
        reasons.append(
            Reason(
                "record_withdrawn",
                "该记录已撤回，不再提供，无需修复 / the record is withdrawn and no longer served",
            )
        )
    earliest = minimum_reached_on(record, klass)
    if earliest is None:
        reasons.append(
            Reason(
                "no_decision_date",
                "记录没有决定日期，无法确定最短公示期 / the record has no decision date, so its "
                "minimum publicity period cannot be placed in time",
            )
        )
    elif local_date(at) < earliest:
        zh, en = _period_words(klass.min_months)
        reasons.append(
            Reason(
                "minimum_period",
                f"{CLASS_ZH.get(severity, severity)}失信信息须公示满 {zh}后方可申请修复，最早 "
                f"{earliest.isoformat()} / a {severity} record can be repaired only after its "
                f"{en} minimum, from {earliest.isoformat()}",
                earliest_on=earliest,
            )
        )
    if not obligations_fulfilled:
        reasons.append(
            Reason(
                "obligations",
                "须先履行法定义务、纠正失信行为（如缴清罚款、完成整改）/ the legal obligations "
                "must be fulfilled first (fine paid, correction made)",
            )
        )
    if klass.commitment_required and not commitment_made:
        reasons.append(
            Reason(
                "commitment",
                f"{CLASS_ZH.get(severity, severity)}失信信息修复须作出公开信用承诺 / a {severity} "
                "record is repaired only with a public credit commitment",
            )
        )
    return Eligibility(
        ok=not reasons,
        reasons=tuple(reasons),
        severity=severity,
        rule_set=rule_set.code,
        earliest_on=earliest,
        commitment_required=klass.commitment_required,
    )


def repair_due(received: date, *, days: int, calendar: WorkingDays) -> date:
    """The provider decides by the ``days``-th working day after receipt (the day of receipt
    not counted; RGT-6). ``days`` is the rule set's ``decision_working_days``."""
    return calendar(received, days)
