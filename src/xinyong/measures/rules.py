"""Pure rules of measures, grades, spot checks and commitments.

Regulations on Social Credit of Guizhou Province:

- Art. 21, 23: incentive and regulatory measures are taken "upon examination", on the related
  matters, within the organ's statutory authority — a measure applies to a check only for the
  matters it lists, for the organs that implement it, and when one of its triggers holds;
- Art. 24: disciplinary measures are managed by list (a national basic list and a local
  supplementary list that needs its local legal basis, solicited opinions and publication);
- Art. 29: no measure beyond statutory conditions, types and scope — an organ may record only a
  measure that is on a published list *and* was triggered for the check it reports on;
- Art. 23, 29: a measure names the kinds of organ that may implement it and the matters it
  applies to, one by one — no wildcard; court enforcement measures name the court alone;
- MEA-5, Art. 23: a grade rests on every record grading uses; with none, the subject is
  unrated and no grade-based incentive applies;
- Art. 28, 29 para. 2: a disciplinary measure is notified first, with the right to state and
  defend by a deadline, and decided after it (or after the statement is answered); an applied
  measure has an end;
- Art. 21(4), 23(4): spot-check ratios follow the credit grade (graded supervision);
- Art. 8: a commitment not kept by its due date is breached.

No I/O here: every function takes plain values, so the same rules serve API, pages and CLI.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from xinyong.catalogue.models import Tier, VersionStatus
from xinyong.core.errors import Conflict, RuleViolation

WILDCARD = "*"
UNRATED = "unrated"
RECORD_KEYS = ("items", "polarity", "severity", "fields")


class CommitmentClosed(Conflict, code="commitment_closed"): ...


class LegalBasisRequired(RuleViolation, code="legal_basis_required"): ...


class PeriodRequired(RuleViolation, code="period_required"): ...


@dataclass(frozen=True, slots=True)
class RecordFact:
    """What grading and triggers need to know of one record served to the government."""

    id: int
    item: str
    polarity: str
    severity: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ListEntryFact:
    """One entry of a list (serious dishonesty, red list) the subject is on."""

    id: str
    kind: str


@dataclass(frozen=True, slots=True)
class Organ:
    """The state organ running a check: its organisation code, kind, region and kind of state
    organ (``accounts.rules.ORGAN_KINDS``), which bounds its statutory authority."""

    code: str | None
    kind: str | None
    region: str | None
    organ_kind: str | None = None


@dataclass(frozen=True, slots=True)
class MeasureSpec:
    code: str
    kind: str
    tier: str
    region_code: str | None
    status: str
    effective_on: date | None
    implementing_organs: Sequence[str]
    matters: Sequence[str]
    triggers: Sequence[Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class Match:
    """Why a condition holds: the records and list entries it rests on."""

    record_ids: tuple[int, ...] = ()
    list_entry_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GradeReason:
    grade: str | None
    rule: str
    reason: str
    record_ids: tuple[int, ...] = ()
    list_entry_ids: tuple[str, ...] = ()


# --- conditions -----------------------------------------------------------------------------


def _record_matches(cond: Mapping[str, Any], record: RecordFact) -> bool:
    items = cond.get("items")
    if items is not None and record.item not in items:
        return False
    polarity = cond.get("polarity")
    if polarity is not None and record.polarity != polarity:
        return False
    severity = cond.get("severity")
    if severity is not None and record.severity not in severity:
        return False
    wanted = cond.get("fields") or {}
    return all(str(record.fields.get(k, "")).strip() == str(v) for k, v in wanted.items())


def condition_matches(
    cond: Mapping[str, Any],
    records: Iterable[RecordFact],
    entries: Iterable[ListEntryFact],
    grade: str | None = None,
) -> Match | None:
    """A condition holds when every part it states holds: records (``items``, ``polarity``,
    ``severity``, ``fields``; at least ``min_count``, default 1), list entries
    (``list_kinds``) and the grade (``grades``). An empty condition never holds."""
    stated = False
    record_ids: tuple[int, ...] = ()
    entry_ids: tuple[str, ...] = ()
    if any(k in cond for k in RECORD_KEYS):
        stated = True
        hits = tuple(r.id for r in records if _record_matches(cond, r))
        if len(hits) < int(cond.get("min_count", 1)):
            return None
        record_ids = hits
    kinds = cond.get("list_kinds")
    if kinds is not None:
        stated = True
        found = tuple(e.id for e in entries if e.kind in kinds)
        if not found:
            return None
        entry_ids = found
    grades = cond.get("grades")
    if grades is not None:
        stated = True
        if grade not in grades:
            return None
    return Match(record_ids, entry_ids) if stated else None


# --- grades (MEA-5) -------------------------------------------------------------------------


def graded_record(record: RecordFact, rules: Mapping[str, Any]) -> bool:
    """Whether grading uses the record (the rule set's ``rated_by`` conditions: negative and
    positive records and credit commitments — not mere registration or licences); every record
    when the rule set states none."""
    conditions = rules.get("rated_by")
    if conditions is None:
        return True
    return any(_record_matches(cond, record) for cond in conditions)


def grade_of(
    records: Sequence[RecordFact], list_entries: Sequence[ListEntryFact], rules: Mapping[str, Any]
) -> tuple[str | None, list[GradeReason]]:
    """The subject's grade and why: the worst grade among the rules that hold (``order`` runs
    from best to worst), each holding rule of that grade given as a reason; the best grade
    when none holds (Art. 21(4), 23(4): graded supervision; MEA-5). ``records`` are every
    record served to the government, whoever asks; with none that grading uses
    (:func:`graded_record`) and no list entry the subject is unrated (``None``, reason
    ``unrated``): an absence of information is no proof of trust."""
    if not list_entries and not any(graded_record(r, rules) for r in records):
        return None, [GradeReason(None, UNRATED, str(rules["unrated_reason"]))]
    order: list[str] = list(rules["order"])
    held: list[GradeReason] = []
    for rule in rules["rules"]:
        match = condition_matches(rule["when"], records, list_entries)
        if match is not None:
            held.append(
                GradeReason(
                    rule["grade"], rule["code"], rule["reason"], match.record_ids,
                    match.list_entry_ids,
                )
            )  # fmt: skip
    if not held:
        reds = tuple(e.id for e in list_entries if e.kind == "red_list")
        reason = rules["red_list_reason"] if reds else rules["default_reason"]
        return order[0], [GradeReason(order[0], "default", reason, (), reds)]
    worst = max(held, key=lambda r: order.index(r.grade or order[0])).grade
    return worst, [r for r in held if r.grade == worst]


# --- measures (MEA-1, MEA-2) ----------------------------------------------------------------


def in_force(measure: MeasureSpec, on: date) -> bool:
    """On a published list and effective on ``on`` (Art. 24 para. 4)."""
    return (
        measure.status == VersionStatus.PUBLISHED.value
        and measure.effective_on is not None
        and measure.effective_on <= on
    )


def _region_prefix(code: str) -> str:
    # GB/T 2260: 520000 is the province, 520100 a city inside it.
    while code.endswith("00"):
        code = code[:-2]
    return code


def organ_may_implement(measure: MeasureSpec, organ: Organ) -> bool:
    """The organ's kind of state organ is one the measure names, and the organ is inside the
    region of a local measure (Art. 21, 23, 29: within its statutory authority; Art. 24
    para. 3). No wildcard: an organ of no known kind may implement nothing."""
    if organ.organ_kind is None or organ.organ_kind not in measure.implementing_organs:
        return False
    if measure.tier == Tier.LOCAL.value:
        if not measure.region_code or not organ.region:
            return False
        return organ.region.startswith(_region_prefix(measure.region_code))
    return True


def triggered(
    measure: MeasureSpec,
    records: Sequence[RecordFact],
    entries: Sequence[ListEntryFact],
    grade: str | None,
) -> Match | None:
    """The first trigger of the measure that holds, merged with the others that hold."""
    matches = [
        m for cond in measure.triggers if (m := condition_matches(cond, records, entries, grade))
    ]
    if not matches:
        return None
    return Match(
        tuple(sorted({i for m in matches for i in m.record_ids})),
        tuple(sorted({i for m in matches for i in m.list_entry_ids})),
    )


def applicable_measures(
    measures: Iterable[MeasureSpec],
    *,
    matter: str,
    records: Sequence[RecordFact],
    list_entries: Sequence[ListEntryFact],
    grade: str | None,
    organ: Organ,
    on: date,
) -> list[tuple[MeasureSpec, Match]]:
    """The measures a check answers (Art. 21, 23, 24, 29): in force, named for this matter,
    implementable by this organ's kind, and triggered by the subject's records, list entries
    or grade; sorted by code. An unrated subject (``grade`` ``None``) gets an incentive only
    from a positive criterion — a record or list entry — never from its grade (MEA-5)."""
    out: list[tuple[MeasureSpec, Match]] = []
    for measure in measures:
        if not in_force(measure, on):
            continue
        if matter not in measure.matters:
            continue
        if not organ_may_implement(measure, organ):
            continue
        match = triggered(measure, records, list_entries, grade)
        if match is None:
            continue
        if (
            grade is None
            and measure.kind == "incentive"
            and not (match.record_ids or match.list_entry_ids)
        ):
            continue
        out.append((measure, match))
    return sorted(out, key=lambda pair: pair[0].code)


def unauthorised_problems(implementing_organs: Iterable[str], matters: Iterable[str]) -> list[str]:
    """What makes a measure's statement of authority too wide or unknown (Art. 23, 29): a
    wildcard for organs or matters."""
    problems = []
    if WILDCARD in implementing_organs:
        problems.append("implementing_organs: name the organ kinds, no wildcard")
    if WILDCARD in matters:
        problems.append("matters: name the matters, no wildcard")
    return problems


NOT_PUBLISHED = "not_on_published_list"
NOT_TRIGGERED = "not_applicable_to_check"


def refused_measures(
    requested: Iterable[str], *, published: Iterable[str], offered: Iterable[str]
) -> dict[str, str]:
    """Each requested code that may not be recorded, with why (Art. 29): not on a published
    list in force, or not one of the measures the check found applicable."""
    published_set, offered_set = set(published), set(offered)
    out: dict[str, str] = {}
    for code in requested:
        if code not in published_set:
            out[code] = NOT_PUBLISHED
        elif code not in offered_set:
            out[code] = NOT_TRIGGERED
    return out


def ensure_publishable(
    *, tier: str, legal_basis: str | None, period_months: int | None = 0
) -> None:
    """A local supplementary measure exists only where a local regulation provides for it
    (Art. 24 para. 2–3); a measure states how long it lasts once applied (Art. 29, 35: no
    measure without an end)."""
    if period_months is None:
        raise PeriodRequired(
            "措施须载明实施期限（月），方可发布。"
            " A measure cannot be published without its period (months).",
            details=[{"field": "period_months", "reason": "required"}],
        )
    if tier == Tier.LOCAL.value and not (legal_basis or "").strip():
        raise LegalBasisRequired(
            "地方补充失信惩戒措施须载明地方性法规依据，方可发布。"
            " A local supplementary measure cannot be published without its legal basis.",
            details=[{"field": "legal_basis", "reason": "required for a local measure"}],
        )


# --- notice, statement and defence, decision, end (Art. 28, 29 para. 2, 35, 36) ------------

DEFENCE_PERIOD_RUNNING = "defence_period_running"
STATEMENT_UNANSWERED = "statement_unanswered"
DEFENCE_PERIOD_OVER = "defence_period_over"


def decision_blocked(
    *, today: date, defence_due_on: date | None, stated: bool, answered: bool
) -> str | None:
    """Why a notified disciplinary measure may not be decided yet, or ``None`` (Art. 29
    para. 2): a statement made must be answered first; without one, the decision waits until
    the defence deadline has passed."""
    if stated:
        return None if answered else STATEMENT_UNANSWERED
    if defence_due_on is not None and today <= defence_due_on:
        return DEFENCE_PERIOD_RUNNING
    return None


def statement_blocked(*, today: date, defence_due_on: date | None) -> str | None:
    """A statement and defence is made by the deadline the notice gave (Art. 29 para. 2)."""
    if defence_due_on is not None and today > defence_due_on:
        return DEFENCE_PERIOD_OVER
    return None


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has none (31 Jan + 1)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def measure_ends_on(decided_on: date, period_months: int | None) -> date | None:
    """The last day an applied measure is in force by its period (Art. 35: no measure without
    an end); ``None`` for a measure with no period stated."""
    if period_months is None:
        return None
    return add_months(decided_on, period_months) - timedelta(days=1)


def shown_status(status: str, ends_on: date | None, today: date) -> str:
    """An applied measure past its last day reads ``ended``."""
    if status == "applied" and ends_on is not None and today > ends_on:
        return "ended"
    return status


# --- spot checks (MEA-5) --------------------------------------------------------------------


def ratio_problems(
    ratios: Mapping[str, float], bounds: Mapping[str, Sequence[float]]
) -> list[dict[str, str]]:
    """Ratios outside the published bounds per grade (e.g. A ≤ 5 %, D 61–100 %)."""
    problems = []
    for grade, (low, high) in bounds.items():
        value = ratios.get(grade)
        if value is None:
            problems.append({"field": f"ratios.{grade}", "reason": "missing"})
        elif not low <= value <= high:
            problems.append(
                {"field": f"ratios.{grade}", "reason": f"{value} not within [{low}, {high}]"}
            )
    for grade in ratios:
        if grade not in bounds:
            problems.append({"field": f"ratios.{grade}", "reason": "unknown grade"})
    return problems


def draw_spot_checks(
    population: Iterable[tuple[int, str]], ratios: Mapping[str, float], seed: str
) -> list[int]:
    """Draw ``ceil(ratio × n)`` subjects of each grade (Art. 21(4), 23(4)). Deterministic: the
    population is sorted and the grades taken in order, with one ``random.Random(seed)``, so
    the same seed, ratios and population always give the same draw."""
    rng = random.Random(seed)
    by_grade: dict[str, list[int]] = {}
    for subject_id, grade in sorted(population):
        by_grade.setdefault(grade, []).append(subject_id)
    drawn: list[int] = []
    for grade in sorted(by_grade):
        members = by_grade[grade]
        k = min(len(members), math.ceil(ratios.get(grade, 0.0) * len(members)))
        drawn.extend(rng.sample(members, k))
    return sorted(drawn)


def population_digest(population: Iterable[tuple[int, str]]) -> str:
    """SHA-256 of the canonical population (sorted ``[id, grade]`` pairs)."""
    canon = json.dumps([[i, g] for i, g in sorted(population)], separators=(",", ":"))
    return hashlib.sha256(canon.encode()).hexdigest()


# --- commitments (MEA-6) --------------------------------------------------------------------


def ensure_open(status: str) -> None:
    """A commitment is fulfilled or breached once (Art. 8)."""
    if status != "open":
        raise CommitmentClosed(
            f"该信用承诺已办结（{status}）。 This commitment is already {status}.",
        )


def commitment_breached(*, status: str, due_on: date, on: date, fulfilled: bool = False) -> bool:
    """An open commitment not fulfilled by its due date is breached on the day after (Art. 8)."""
    return status == "open" and not fulfilled and on > due_on
