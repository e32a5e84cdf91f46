"""Pure rules of grades, measures and draws (Art. 21, 23, 24, 29; MEA-1, MEA-2, MEA-5)."""

from __future__ import annotations

import math
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from xinyong.measures import rules
from xinyong.measures.reference import grading_rules
from xinyong.measures.rules import ListEntryFact, MeasureSpec, Organ, RecordFact

RULES = grading_rules()
ON = date(2026, 9, 30)
ORGAN = Organ("GY-ZWFW", "organ", "520100", "housing_construction")


def rec(i: int, item: str = "admin_penalty", severity: str | None = "general", **fields: str):
    polarity = "negative" if severity else "neutral"
    return RecordFact(i, item, polarity, severity, fields)


def measure(**kw: object) -> MeasureSpec:
    base: dict[str, object] = dict(
        code="m", kind="disciplinary", tier="national", region_code=None, status="published",
        effective_on=date(2026, 1, 1), implementing_organs=["housing_construction"],
        matters=["licensing"],
        triggers=[{"items": ["judgment_default"]}],
    )  # fmt: skip
    base.update(kw)
    return MeasureSpec(**base)  # type: ignore[arg-type]


def test_grades_follow_the_documented_rules() -> None:
    honour = RecordFact(9, "honours_awards", "positive")
    assert rules.grade_of([honour], [], RULES)[0] == "A"
    assert rules.grade_of([rec(1, severity="minor")], [], RULES)[0] == "B"
    assert rules.grade_of([rec(1)], [], RULES)[0] == "B"
    assert rules.grade_of([rec(1), rec(2)], [], RULES)[0] == "C"
    assert rules.grade_of([rec(1, severity="serious")], [], RULES)[0] == "C"
    grade, reasons = rules.grade_of([rec(1, "judgment_default", "serious")], [], RULES)
    assert grade == "D"
    assert reasons[0].record_ids == (1,)
    grade, reasons = rules.grade_of(
        [], [ListEntryFact("serious_dishonesty:3", "serious_dishonesty")], RULES
    )
    assert grade == "D"
    assert reasons[0].list_entry_ids == ("serious_dishonesty:3",)
    breach = rec(5, "credit_commitment", None, CN_LXZT="未履行")
    assert rules.grade_of([breach], [], RULES)[0] == "C"
    assert (
        rules.grade_of([rec(6, "credit_commitment", None, CN_LXZT="已履行")], [], RULES)[0] == "A"
    )


def test_a_neutral_or_positive_record_does_not_lower_the_grade() -> None:
    licence, honour = rec(1, "admin_licensing", None), RecordFact(2, "honours_awards", "positive")
    assert rules.grade_of([licence, honour], [], RULES)[0] == "A"


def test_applicable_measures_need_publication_matter_organ_and_trigger() -> None:
    jd = [rec(1, "judgment_default", "serious")]
    kw = dict(matter="licensing", records=jd, list_entries=[], grade="D", organ=ORGAN, on=ON)
    assert [m.code for m, _ in rules.applicable_measures([measure()], **kw)] == ["m"]  # type: ignore[arg-type]
    for other in (
        measure(status="draft"),
        measure(effective_on=date(2026, 10, 1)),
        measure(matters=["inspection"]),
        measure(implementing_organs=["tax"]),
        measure(tier="local", region_code="530000"),
        measure(triggers=[{"items": ["serious_dishonesty"]}]),
    ):
        assert rules.applicable_measures([other], **kw) == []  # type: ignore[arg-type]
    local = measure(tier="local", region_code="520000")
    assert len(rules.applicable_measures([local], **kw)) == 1  # type: ignore[arg-type]


def test_no_negative_record_triggers_no_regulatory_or_disciplinary_condition() -> None:
    conds = [{"polarity": "negative"}, {"items": ["judgment_default"]}, {"grades": ["C", "D"]}]
    for cond in conds:
        assert rules.condition_matches(cond, [], [], "A") is None
    assert rules.condition_matches({}, [rec(1)], [], "A") is None


def test_refused_measures_name_each_reason() -> None:
    out = rules.refused_measures(["a", "b", "c"], published=["a", "b"], offered=["a"])
    assert out == {"b": rules.NOT_TRIGGERED, "c": rules.NOT_PUBLISHED}


def test_ratio_bounds() -> None:
    bounds = RULES["ratio_bounds"]
    assert rules.ratio_problems(RULES["sampling_ratios"], bounds) == []
    problems = rules.ratio_problems({"A": 0.1, "B": 0.1, "C": 0.3, "E": 1.0}, bounds)
    assert {p["field"] for p in problems} == {"ratios.A", "ratios.D", "ratios.E"}


population = st.lists(
    st.tuples(st.integers(1, 10_000), st.sampled_from("ABCD")), unique_by=lambda p: p[0]
)


@given(population, st.text(min_size=1, max_size=20))
def test_draw_is_a_function_of_seed_ratios_and_population(
    pop: list[tuple[int, str]], seed: str
) -> None:
    ratios = RULES["sampling_ratios"]
    first = rules.draw_spot_checks(pop, ratios, seed)
    assert first == rules.draw_spot_checks(list(reversed(pop)), ratios, seed)
    assert set(first) <= {i for i, _ in pop}
    for grade in "ABCD":
        members = [i for i, g in pop if g == grade]
        drawn = [i for i in first if i in set(members)]
        assert len(drawn) == min(len(members), math.ceil(ratios[grade] * len(members)))


def test_population_digest_ignores_order() -> None:
    assert rules.population_digest([(2, "A"), (1, "B")]) == rules.population_digest(
        [(1, "B"), (2, "A")]
    )


def test_commitment_breached_after_due_date() -> None:
    assert not rules.commitment_breached(status="open", due_on=ON, on=ON)
    assert rules.commitment_breached(status="open", due_on=ON, on=date(2026, 10, 1))
    assert not rules.commitment_breached(status="fulfilled", due_on=ON, on=date(2026, 10, 1))


# --- statutory authority (Art. 23, 29; issue 11 item 5) ---------------------------------------


def test_an_organ_implements_only_what_its_kind_may() -> None:
    jd = [rec(1, "judgment_default", "serious")]
    kw = dict(matter="licensing", records=jd, list_entries=[], grade="D", on=ON)
    court_only = measure(implementing_organs=["court"])
    admin = Organ("GY-ZWFW", "organ", "520100", "housing_construction")
    court = Organ("GY-ZY", "organ", "520100", "court")
    assert rules.applicable_measures([court_only], organ=admin, **kw) == []  # type: ignore[arg-type]
    assert len(rules.applicable_measures([court_only], organ=court, **kw)) == 1  # type: ignore[arg-type]
    # No wildcard: "*" is no organ kind, and an organ of no kind implements nothing.
    assert rules.applicable_measures([measure(implementing_organs=["*"])], organ=admin, **kw) == []  # type: ignore[arg-type]
    kindless = Organ("X", "organ", "520100", None)
    assert rules.applicable_measures([measure()], organ=kindless, **kw) == []  # type: ignore[arg-type]
    assert rules.applicable_measures([measure(matters=["*"])], organ=admin, **kw) == []  # type: ignore[arg-type]


def test_shipped_measures_name_organ_kinds_matters_and_periods() -> None:
    from xinyong.accounts.rules import JUDICIAL_ORGAN_KINDS, ORGAN_KINDS, PURPOSES
    from xinyong.measures.reference import SHIPPED_FILES, read_data_file

    seen = {}
    for name in SHIPPED_FILES:
        for m in read_data_file(name)["measures"]:
            seen[m["code"]] = m
            assert m["implementing_organs"]
            assert set(m["implementing_organs"]) <= set(ORGAN_KINDS)
            assert m["matters"]
            assert set(m["matters"]) <= PURPOSES
            assert rules.unauthorised_problems(m["implementing_organs"], m["matters"]) == []
            assert isinstance(m.get("period_months"), int)
            assert m["period_months"] > 0
    # A court enforcement measure is implemented by the court alone (Art. 29).
    assert set(seen["restrict_high_consumption"]["implementing_organs"]) <= JUDICIAL_ORGAN_KINDS
    for code, m in seen.items():
        if code != "restrict_high_consumption":
            assert not set(m["implementing_organs"]) & JUDICIAL_ORGAN_KINDS, code


def test_measure_definition_refuses_wildcards_and_unknown_organ_kinds() -> None:
    import pytest
    from pydantic import ValidationError

    from xinyong.measures.schemas import MeasureCreate

    base = dict(
        code="gz_x", tier="local", region_code="520000", name="x", kind="regulatory",
        triggers=[{"polarity": "negative"}], matters=["inspection"], duration="record_window",
        implementing_organs=["market_regulation"],
    )  # fmt: skip
    MeasureCreate.model_validate(base)
    for bad in ({"implementing_organs": ["*"]}, {"implementing_organs": ["organ"]},
                {"matters": ["*"]}, {"implementing_organs": []}):  # fmt: skip
        with pytest.raises(ValidationError):
            MeasureCreate.model_validate({**base, **bad})
    without = dict(base)
    del without["implementing_organs"]
    with pytest.raises(ValidationError):
        MeasureCreate.model_validate(without)


# --- grades from the whole record, or none (MEA-5; issue 11 item 6) ---------------------------


def test_no_record_that_grading_uses_is_unrated() -> None:
    grade, reasons = rules.grade_of([], [], RULES)
    assert grade is None
    assert [r.rule for r in reasons] == [rules.UNRATED]
    # Registration and licences are no credit information grading uses.
    neutral = [rec(1, "registration_basic", None), rec(2, "admin_licensing", None)]
    assert rules.grade_of(neutral, [], RULES)[0] is None
    # A red-list entry or a commitment kept is a positive criterion: the subject is graded.
    assert rules.grade_of([], [ListEntryFact("red_list:1", "red_list")], RULES)[0] == "A"
    kept = rec(3, "credit_commitment", None, CN_LXZT="已履行")
    assert rules.grade_of([kept], [], RULES)[0] == "A"


def test_unrated_subject_gets_no_incentive_from_its_grade() -> None:
    fast = measure(code="fast", kind="incentive", triggers=[{"grades": ["A"]}])
    red = measure(code="red", kind="incentive", triggers=[{"list_kinds": ["red_list"]}])
    anything = measure(
        code="any", kind="incentive", triggers=[{"grades": ["A"]}, {"polarity": "positive"}]
    )
    kw = dict(matter="licensing", records=[], organ=ORGAN, on=ON)
    assert rules.applicable_measures([fast, anything], list_entries=[], grade=None, **kw) == []  # type: ignore[arg-type]
    entries = [ListEntryFact("red_list:1", "red_list")]
    got = rules.applicable_measures([fast, red], list_entries=entries, grade=None, **kw)  # type: ignore[arg-type]
    assert [m.code for m, _ in got] == ["red"]
    assert len(rules.applicable_measures([fast], list_entries=[], grade="A", **kw)) == 1  # type: ignore[arg-type]


# --- notice, then the measure (Art. 28, 29 para. 2; issue 11 item 7) ---------------------------


def test_decision_waits_for_the_deadline_or_the_answered_statement() -> None:
    due = date(2026, 10, 14)
    block = rules.decision_blocked
    assert block(today=due, defence_due_on=due, stated=False, answered=False) == (
        rules.DEFENCE_PERIOD_RUNNING
    )
    assert block(today=date(2026, 10, 15), defence_due_on=due, stated=False, answered=False) is None
    assert block(today=date(2026, 10, 9), defence_due_on=due, stated=True, answered=False) == (
        rules.STATEMENT_UNANSWERED
    )
    assert block(today=date(2026, 10, 20), defence_due_on=due, stated=True, answered=False) == (
        rules.STATEMENT_UNANSWERED
    )
    assert block(today=date(2026, 10, 9), defence_due_on=due, stated=True, answered=True) is None
    assert rules.statement_blocked(today=due, defence_due_on=due) is None
    assert rules.statement_blocked(today=date(2026, 10, 15), defence_due_on=due) == (
        rules.DEFENCE_PERIOD_OVER
    )


def test_an_applied_measure_ends_with_its_period() -> None:
    assert rules.measure_ends_on(date(2026, 10, 15), 12) == date(2027, 10, 14)
    assert rules.measure_ends_on(date(2026, 1, 31), 1) == date(2026, 2, 27)
    assert rules.measure_ends_on(date(2026, 10, 15), None) is None
    assert rules.shown_status("applied", date(2027, 10, 14), date(2027, 10, 14)) == "applied"
    assert rules.shown_status("applied", date(2027, 10, 14), date(2027, 10, 15)) == "ended"
    assert rules.shown_status("lifted", date(2027, 10, 14), date(2027, 10, 15)) == "lifted"
