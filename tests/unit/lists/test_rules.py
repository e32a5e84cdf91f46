"""The procedure's state machine and the period rules (Art. 25–27, 29, 36; LST-1…4)."""

from __future__ import annotations

from datetime import date
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.core.errors import RuleViolation
from xinyong.lists import rules
from xinyong.lists.models import EntryStatus, ListGround, ProcedureState, StatementKind

S = ProcedureState
ALLOWED = {
    (S.PROPOSED, S.NOTIFIED), (S.NOTIFIED, S.STATEMENT_PERIOD),
    (S.STATEMENT_PERIOD, S.OBJECTION_FILED), (S.OBJECTION_FILED, S.OBJECTION_ANSWERED),
    (S.STATEMENT_PERIOD, S.DECIDED), (S.OBJECTION_ANSWERED, S.DECIDED), (S.DECIDED, S.SERVED),
    (S.SERVED, S.PUBLISHED), (S.PUBLISHED, S.ENDED), (S.PROPOSED, S.DROPPED),
    (S.NOTIFIED, S.DROPPED), (S.STATEMENT_PERIOD, S.DROPPED), (S.OBJECTION_ANSWERED, S.DROPPED),
}  # fmt: skip


@pytest.mark.parametrize(("current", "target"), list(product(S, S)))
def test_every_illegal_transition_is_refused(current: S, target: S) -> None:
    if (current, target) in ALLOWED:
        assert rules.check_transition(current, target).article.startswith("Art.")
    else:
        with pytest.raises(rules.IllegalTransition):
            rules.check_transition(current, target)


def test_nothing_leaves_a_final_state() -> None:
    for state in rules.FINAL_STATES:
        assert rules.next_states(state) == []


def test_no_publication_without_decision_and_service() -> None:
    # The only way into "published" is from "served", and into "served" from "decided".
    assert [f for (f, t) in rules.TRANSITIONS if t is S.PUBLISHED] == [S.SERVED]
    assert [f for (f, t) in rules.TRANSITIONS if t is S.SERVED] == [S.DECIDED]


def test_every_ground_has_its_text() -> None:
    assert set(rules.GROUND_TEXTS) == set(ListGround)
    assert rules.GROUND_TEXTS[ListGround.NATIONAL_DEFENCE][0].startswith("第二十五条第（四）项")


def test_entry_period_is_three_years_unless_the_basis_says_otherwise() -> None:
    assert rules.entry_period(None, date(2026, 10, 16)) == (date(2026, 10, 16), date(2029, 10, 16))
    assert rules.entry_period(12, date(2028, 2, 29)) == (date(2028, 2, 29), date(2029, 2, 28))
    with pytest.raises(RuleViolation):
        rules.entry_period(0, date(2026, 1, 1))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
       st.integers(min_value=1, max_value=120))  # fmt: skip
def test_a_period_always_ends_after_it_starts(start: date, months: int) -> None:
    first, last = rules.entry_period(months, start)
    assert first == start < last
    assert (last.year - start.year) * 12 + last.month - start.month == months


def test_statements_until_the_deadline_only() -> None:
    due = date(2026, 10, 12)
    rules.statement_accepted(due, due, S.STATEMENT_PERIOD)
    with pytest.raises(rules.StatementPeriodOver):
        rules.statement_accepted(due, date(2026, 10, 13), S.STATEMENT_PERIOD)
    with pytest.raises(rules.IllegalTransition):
        rules.statement_accepted(due, date(2026, 10, 1), S.DECIDED)


def test_decision_waits_for_the_period_or_a_waiver() -> None:
    due = date(2026, 10, 12)
    with pytest.raises(rules.StatementPeriodRunning):
        rules.may_decide(due, due, {StatementKind.STATEMENT})
    rules.may_decide(due, date(2026, 10, 13), set())
    rules.may_decide(due, date(2026, 10, 1), {StatementKind.WAIVER})


def test_entry_status_at_query_time() -> None:
    start, end = date(2026, 10, 1), date(2029, 10, 1)
    assert rules.entry_in_force(EntryStatus.ACTIVE, start, end, end)
    assert not rules.entry_in_force(EntryStatus.ACTIVE, start, end, date(2029, 10, 2))
    assert not rules.entry_in_force(EntryStatus.REMOVED, start, end, date(2027, 1, 1))
    assert rules.effective_status(EntryStatus.ACTIVE, end, date(2029, 10, 2)) is EntryStatus.ENDED
    rules.removal_allowed(EntryStatus.ACTIVE, end, date(2027, 1, 1))
    with pytest.raises(rules.IllegalTransition):
        rules.removal_allowed(EntryStatus.ACTIVE, end, date(2029, 10, 2))


def test_red_list_validity() -> None:
    adopted = date(2026, 9, 30)
    assert rules.red_list_valid(None, adopted, date(2040, 1, 1))
    assert not rules.red_list_valid(date(2027, 9, 30), adopted, date(2027, 10, 1))
    assert not rules.red_list_valid(None, adopted, date(2026, 9, 29))


def test_step_deadlines_are_data() -> None:
    assert rules.step_deadline(S.SERVED) == rules.StepDeadline(
        7, "在平台公示", "publish on the platform"
    )
    assert rules.step_deadline(S.PUBLISHED) is None


def test_the_deciding_organ() -> None:
    """Issue 11 item 8 (Art. 25, 26): a listing department's procedure is decided by it alone;
    any other by the credit office."""
    decide = rules.organ_may_decide
    listing_proc = {"proposer_is_listing": True}
    assert decide(
        actor_is_office=False, actor_is_proposer=True, actor_is_listing=True, **listing_proc
    )
    assert not decide(
        actor_is_office=True, actor_is_proposer=False, actor_is_listing=True, **listing_proc
    )
    assert not decide(
        actor_is_office=False, actor_is_proposer=False, actor_is_listing=True, **listing_proc
    )
    other = {"proposer_is_listing": False}
    assert decide(actor_is_office=True, actor_is_proposer=False, actor_is_listing=False, **other)
    assert not decide(
        actor_is_office=False, actor_is_proposer=True, actor_is_listing=False, **other
    )
    assert not decide(
        actor_is_office=False, actor_is_proposer=False, actor_is_listing=True, **other
    )
