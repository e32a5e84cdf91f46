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
ORGAN = Organ("GY-ZWFW", "organ", "520100")


def rec(i: int, item: str = "admin_penalty", severity: str | None = "general", **fields: str):
    polarity = "negative" if severity else "neutral"
    return RecordFact(i, item, polarity, severity, fields)


def measure(**kw: object) -> MeasureSpec:
    base: dict[str, object] = dict(
        code="m", kind="disciplinary", tier="national", region_code=None, status="published",
        effective_on=date(2026, 1, 1), implementing_organs=["*"], matters=["*"],
        triggers=[{"items": ["judgment_default"]}],
    )  # fmt: skip
    base.update(kw)
    return MeasureSpec(**base)  # type: ignore[arg-type]


def test_grades_follow_the_documented_rules() -> None:
    assert rules.grade_of([], [], RULES)[0] == "A"
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
    assert rules.grade_of([rec(1, "admin_licensing", None)], [], RULES)[0] == "A"


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
    local = measure(tier="local", region_code="520000", implementing_organs=["organ"])
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
