"""Pure rules of the serious dishonesty list procedure and the red list (Art. 22, 25–27, 29,
36; LST-1…4, MEA-4). No I/O: deadlines are computed by the caller on the working-day
calendar from the numbers given here.

The step periods are policy data, not law: Art. 26 says "in time" and "timely", not how many
days. The figures below are the platform's published service standard (DESIGN §3a: decisions
published within 7 working days; objections answered within Art. 32's 3 working days), kept in
one table so the credit office can change them in one place.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from xinyong.core.errors import Conflict, PermissionDenied, RuleViolation
from xinyong.lists.models import EntryStatus, ListGround, ProcedureState, StatementKind

S = ProcedureState

#: Art. 25 (1)–(5), as the decision documents quote them.
GROUND_TEXTS: dict[ListGround, tuple[str, str]] = {
    ListGround.HEALTH_AND_SAFETY: (
        "第二十五条第（一）项：严重损害自然人身体健康和生命安全",
        "Art. 25 (1): seriously damaging the health and life safety of natural persons",
    ),
    ListGround.MARKET_ORDER: (
        "第二十五条第（二）项：严重破坏市场公平竞争秩序和社会正常秩序",
        "Art. 25 (2): seriously undermining fair market competition and normal social order",
    ),
    ListGround.REFUSING_LEGAL_OBLIGATIONS: (
        "第二十五条第（三）项：拒不履行法定义务，严重影响司法机关、行政机关公信力",
        "Art. 25 (3): refusing to perform legal obligations, seriously affecting the "
        "credibility of judicial and administrative organs",
    ),
    ListGround.NATIONAL_DEFENCE: (
        "第二十五条第（四）项：拒不履行国防义务，危害国防利益，破坏国防设施",
        "Art. 25 (4): refusing national defence obligations, endangering national defence "
        "interests, destroying national defence facilities",
    ),
    ListGround.OTHER_STATUTORY: (
        "第二十五条第（五）项：法律、法规和国家规定的其他严重失信情形",
        "Art. 25 (5): other serious dishonesty stipulated by laws, regulations and the state",
    ),
}


class IllegalTransition(Conflict, code="illegal_transition"): ...


class StatementPeriodOver(RuleViolation, code="statement_period_over"): ...


class StatementPeriodRunning(RuleViolation, code="statement_period_running"): ...


@dataclass(frozen=True, slots=True)
class Transition:
    step: str
    article: str


#: Every allowed move, with the use case that makes it and the article it rests on.
TRANSITIONS: dict[tuple[ProcedureState, ProcedureState], Transition] = {
    (S.PROPOSED, S.NOTIFIED): Transition("notice", "Art. 26 ¶1"),
    (S.NOTIFIED, S.STATEMENT_PERIOD): Transition("notice", "Art. 29 ¶2"),
    (S.STATEMENT_PERIOD, S.OBJECTION_FILED): Transition("objection", "Art. 26 ¶1"),
    (S.OBJECTION_FILED, S.OBJECTION_ANSWERED): Transition("answer", "Art. 26 ¶1"),
    (S.STATEMENT_PERIOD, S.DECIDED): Transition("decision", "Art. 26 ¶2"),
    (S.OBJECTION_ANSWERED, S.DECIDED): Transition("decision", "Art. 26 ¶2"),
    (S.DECIDED, S.SERVED): Transition("service", "Art. 26 ¶2"),
    (S.SERVED, S.PUBLISHED): Transition("publication", "Art. 26 ¶2, Art. 27"),
    (S.PUBLISHED, S.ENDED): Transition("end", "Art. 36; LST-4"),
    (S.PROPOSED, S.DROPPED): Transition("drop", "Art. 26 ¶1"),
    (S.NOTIFIED, S.DROPPED): Transition("drop", "Art. 26 ¶1"),
    (S.STATEMENT_PERIOD, S.DROPPED): Transition("drop", "Art. 26 ¶1, Art. 29 ¶2"),
    (S.OBJECTION_ANSWERED, S.DROPPED): Transition("drop", "Art. 26 ¶1"),
}

#: States in which the subject may still state and defend itself (Art. 29 ¶2).
STATEMENT_STATES = frozenset({S.STATEMENT_PERIOD, S.OBJECTION_FILED, S.OBJECTION_ANSWERED})
FINAL_STATES = frozenset({S.ENDED, S.DROPPED})


def check_transition(current: ProcedureState, target: ProcedureState) -> Transition:
    """The transition from ``current`` to ``target``, or ``IllegalTransition`` (the procedure
    of Art. 26 runs one way: no decision before the notice, no publication before service)."""
    found = TRANSITIONS.get((current, target))
    if found is None:
        raise IllegalTransition(
            f"程序处于“{current.value}”，不能转入“{target.value}” / a procedure in state "
            f"{current.value} cannot move to {target.value}",
            details=[{"field": "state", "reason": f"{current.value} → {target.value}"}],
        )
    return found


def next_states(current: ProcedureState) -> list[ProcedureState]:
    return [to for (frm, to) in TRANSITIONS if frm is current]


@dataclass(frozen=True, slots=True)
class StepDeadline:
    """What is due once a procedure enters a state, and in how many working days."""

    working_days: int
    due_zh: str
    due_en: str


#: Data (see the module docstring): the period that starts when the procedure enters a state.
STEP_DEADLINES: dict[ProcedureState, StepDeadline] = {
    S.PROPOSED: StepDeadline(5, "发出事先告知书", "send the prior notice"),
    S.STATEMENT_PERIOD: StepDeadline(5, "陈述、申辩期限届满", "statement and defence period ends"),
    S.OBJECTION_FILED: StepDeadline(3, "核实并答复异议", "verify and answer the objection"),
    S.OBJECTION_ANSWERED: StepDeadline(5, "作出认定决定", "decide"),
    S.DECIDED: StepDeadline(5, "送达决定书", "serve the decision"),
    S.SERVED: StepDeadline(7, "在平台公示", "publish on the platform"),
}


def step_deadline(state: ProcedureState) -> StepDeadline | None:
    return STEP_DEADLINES.get(state)


#: LST-4: an entry lasts 3 years unless its basis says otherwise.
DEFAULT_PERIOD_MONTHS = 36
MAX_PERIOD_MONTHS = 120


def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months, clamped to the month's last day (Civil Code
    Art. 202), so 2026-08-31 + 6 months is 2027-02-28."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def entry_period(period_months: int | None, start: date) -> tuple[date, date]:
    """(first day, last day) of a list entry published on ``start`` (LST-4): 3 years unless
    the legal basis sets another period (``period_months``)."""
    months = DEFAULT_PERIOD_MONTHS if period_months is None else period_months
    if not 1 <= months <= MAX_PERIOD_MONTHS:
        raise RuleViolation(
            f"列入期限须为 1 至 {MAX_PERIOD_MONTHS} 个月 / a listing period is 1 to "
            f"{MAX_PERIOD_MONTHS} months",
            code="invalid_period",
            details=[{"field": "period_months", "reason": "out of range"}],
        )
    return start, add_months(start, months)


def statement_accepted(due_on: date | None, today: date, state: ProcedureState) -> None:
    """A statement or defence is accepted in the statement states up to its deadline
    (Art. 29 ¶2); after the deadline the organ decides on what it has."""
    if state not in STATEMENT_STATES:
        raise IllegalTransition(
            f"程序处于“{state.value}”，不再接受陈述申辩 / statements are not accepted in "
            f"state {state.value}",
        )
    if due_on is not None and today > due_on:
        raise StatementPeriodOver(
            f"陈述申辩期限已于 {due_on} 届满 / the statement period ended on {due_on}",
            details=[{"field": "statement_due_on", "reason": due_on.isoformat()}],
        )


def may_decide(due_on: date | None, today: date, kinds: set[StatementKind]) -> None:
    """The organ decides only once the subject's statement period is over, or the subject has
    waived what is left of it (Art. 29 ¶2: the right to state and defend comes first)."""
    if StatementKind.WAIVER in kinds:
        return
    if due_on is not None and today <= due_on:
        raise StatementPeriodRunning(
            f"陈述申辩期限至 {due_on}，期满或当事人放弃后方可作出决定 / the statement period "
            f"runs until {due_on}; decide after it ends or once the subject waives it",
            details=[{"field": "statement_due_on", "reason": due_on.isoformat()}],
        )


class NotTheDecidingOrgan(PermissionDenied, code="not_the_deciding_organ"): ...


def organ_may_decide(
    *,
    actor_is_office: bool,
    actor_is_proposer: bool,
    actor_is_listing: bool,
    proposer_is_listing: bool,
) -> bool:
    """Whether an account's organisation may take a list decision (Art. 25: "the state organs
    shall … put it on the list"; Art. 26: the organ that decides informs and decides).

    A procedure run by a listing department (an organisation the credit office registered as
    a collection source of the list's item) is decided by that department alone. Any other
    procedure is decided by the credit office on its own basis — or by a listing department
    that proposed it, which the first case already covers."""
    if proposer_is_listing:
        return actor_is_proposer
    return actor_is_office or (actor_is_listing and actor_is_proposer)


def entry_in_force(status: EntryStatus, start: date, end: date, today: date) -> bool:
    """An entry counts on ``today`` while it is active and inside its period (LST-4)."""
    return status is EntryStatus.ACTIVE and start <= today <= end


def effective_status(status: EntryStatus, end: date, today: date) -> EntryStatus:
    """The status as of ``today``: an active entry past its last day has ended."""
    if status is EntryStatus.ACTIVE and today > end:
        return EntryStatus.ENDED
    return status


def removal_allowed(status: EntryStatus, end: date, today: date) -> None:
    """Early removal (Art. 36) applies to an entry that is still in force."""
    if effective_status(status, end, today) is not EntryStatus.ACTIVE:
        raise IllegalTransition(
            "该名单条目已不在列入期内 / the entry is no longer in force",
            code="entry_not_active",
        )


def red_list_valid(valid_until: date | None, adopted_on: date, today: date) -> bool:
    """A red list entry counts from its adoption up to its last valid day (Art. 22)."""
    return adopted_on <= today and (valid_until is None or today <= valid_until)
