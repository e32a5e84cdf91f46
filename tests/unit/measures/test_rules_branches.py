"""Measures within statutory authority and with an end (Art. 23, 24, 29, 35; MEA-1, MEA-2),
grades from the records grading uses (MEA-5), and commitments decided once (Art. 8)."""

from __future__ import annotations

from datetime import date

import pytest

from xinyong.measures import rules
from xinyong.measures.rules import ListEntryFact, MeasureSpec, Organ, RecordFact

ON = date(2026, 9, 30)
ORGAN = Organ("GY-ZWFW", "organ", "520102", "housing_construction")


def measure(**kw: object) -> MeasureSpec:
    base: dict[str, object] = {
        "code": "m",
        "kind": "disciplinary",
        "tier": "national",
        "region_code": None,
        "status": "published",
        "effective_on": date(2026, 1, 1),
        "implementing_organs": ["housing_construction"],
        "matters": ["licensing"],
        "triggers": [{"items": ["judgment_default"]}],
    }
    base.update(kw)
    return MeasureSpec(**base)  # type: ignore[arg-type]


def applicable(
    spec: MeasureSpec,
    *,
    organ: Organ = ORGAN,
    grade: str | None = "D",
    records: list[RecordFact] | None = None,
    entries: list[ListEntryFact] | None = None,
) -> list[str]:
    found = rules.applicable_measures(
        [spec],
        matter="licensing",
        records=[RecordFact(1, "judgment_default", "negative", "serious")]
        if records is None
        else records,
        list_entries=entries or [],
        grade=grade,
        organ=organ,
        on=ON,
    )
    return [m.code for m, _ in found]


# --- Art. 24 para. 3: a local measure applies only inside its region ----------------------------


def test_art24_a_local_measure_applies_inside_its_region_only() -> None:
    guiyang = measure(tier="local", region_code="520100")
    assert applicable(guiyang) == ["m"]
    assert applicable(guiyang, organ=Organ("ZY", "organ", "520302", "housing_construction")) == []


def test_art24_a_local_measure_without_a_region_applies_nowhere() -> None:
    assert applicable(measure(tier="local", region_code=None)) == []
    assert applicable(measure(tier="local", region_code="")) == []


def test_art24_an_organ_of_no_known_region_implements_no_local_measure() -> None:
    regionless = Organ("X", "organ", None, "housing_construction")
    assert applicable(measure(tier="local", region_code="520000"), organ=regionless) == []
    # A national measure does not depend on the organ's region.
    assert applicable(measure(), organ=regionless) == ["m"]


# --- MEA-5: an unrated subject gets an incentive only from a positive criterion ---------------


def test_mea5_an_unrated_subject_gets_no_incentive_that_rests_on_no_record() -> None:
    # A trigger may ask for "at least 0" positive records: it then holds for everyone, so for an
    # unrated subject nothing supports the incentive.
    anyone = measure(kind="incentive", triggers=[{"polarity": "positive", "min_count": 0}])
    assert applicable(anyone, grade=None, records=[]) == []
    assert applicable(anyone, grade="A", records=[]) == ["m"]


def test_mea5_an_unrated_subject_gets_an_incentive_from_a_positive_record_or_entry() -> None:
    honour = RecordFact(7, "honours_awards", "positive")
    by_record = measure(kind="incentive", triggers=[{"polarity": "positive", "min_count": 0}])
    assert applicable(by_record, grade=None, records=[honour]) == ["m"]
    by_list = measure(kind="incentive", triggers=[{"list_kinds": ["red_list"]}])
    red = [ListEntryFact("red_list:1", "red_list")]
    assert applicable(by_list, grade=None, records=[], entries=red) == ["m"]


def test_mea5_an_unrated_subject_is_never_held_to_a_grade_trigger() -> None:
    by_grade = measure(kind="incentive", triggers=[{"grades": ["A"]}])
    assert applicable(by_grade, grade=None, records=[]) == []
    assert applicable(by_grade, grade="A", records=[]) == ["m"]


def test_mea5_a_regulatory_measure_may_rest_on_a_trigger_alone_for_an_unrated_subject() -> None:
    # Only incentives need a positive criterion; the exception is not widened to other kinds.
    anyone = measure(kind="regulatory", triggers=[{"polarity": "negative", "min_count": 0}])
    assert applicable(anyone, grade=None, records=[]) == ["m"]


def test_mea5_without_rated_by_every_record_counts_for_grading() -> None:
    grading = {
        "order": ["A", "B"],
        "rules": [],
        "unrated_reason": "no records",
        "default_reason": "nothing against",
        "red_list_reason": "red list",
    }
    licence = RecordFact(1, "admin_licensing", "neutral")
    assert rules.graded_record(licence, grading)
    grade, reasons = rules.grade_of([licence], [], grading)
    assert grade == "A"
    assert [r.rule for r in reasons] == ["default"]
    restricted = {**grading, "rated_by": [{"polarity": "negative"}]}
    assert not rules.graded_record(licence, restricted)
    assert rules.grade_of([licence], [], restricted)[0] is None


# --- Art. 23, 29: no wildcard for organs or matters -------------------------------------------


@pytest.mark.parametrize(
    ("organs", "matters", "problems"),
    [
        (["tax"], ["licensing"], []),
        (["*"], ["licensing"], ["implementing_organs: name the organ kinds, no wildcard"]),
        (["tax"], ["*"], ["matters: name the matters, no wildcard"]),
        (
            ["tax", "*"],
            ["*", "licensing"],
            [
                "implementing_organs: name the organ kinds, no wildcard",
                "matters: name the matters, no wildcard",
            ],
        ),
    ],
)
def test_art29_a_measure_names_its_organs_and_matters(
    organs: list[str], matters: list[str], problems: list[str]
) -> None:
    assert rules.unauthorised_problems(organs, matters) == problems


# --- Art. 24 para. 2–3, Art. 35: what a measure needs to be published -----------------------


def test_art35_a_measure_without_a_period_is_not_published() -> None:
    with pytest.raises(rules.PeriodRequired) as refused:
        rules.ensure_publishable(tier="national", legal_basis="《条例》", period_months=None)
    assert refused.value.code == "period_required"
    assert refused.value.details == [{"field": "period_months", "reason": "required"}]


@pytest.mark.parametrize("basis", [None, "", "   "])
def test_art24_a_local_measure_without_its_legal_basis_is_not_published(
    basis: str | None,
) -> None:
    with pytest.raises(rules.LegalBasisRequired) as refused:
        rules.ensure_publishable(tier="local", legal_basis=basis, period_months=12)
    assert refused.value.code == "legal_basis_required"
    assert refused.value.details == [
        {"field": "legal_basis", "reason": "required for a local measure"}
    ]


def test_art24_a_period_is_asked_for_before_a_legal_basis() -> None:
    with pytest.raises(rules.PeriodRequired):
        rules.ensure_publishable(tier="local", legal_basis=None, period_months=None)


def test_art24_a_national_or_founded_local_measure_with_a_period_is_published() -> None:
    rules.ensure_publishable(tier="national", legal_basis=None, period_months=36)
    rules.ensure_publishable(tier="local", legal_basis="《贵州省社会信用条例》第二十四条")
    rules.ensure_publishable(
        tier="local", legal_basis="《贵州省社会信用条例》第二十四条", period_months=12
    )


# --- Art. 8: a commitment is decided once ------------------------------------------------------


def test_art8_an_open_commitment_may_be_decided() -> None:
    rules.ensure_open("open")


@pytest.mark.parametrize("status", ["fulfilled", "breached"])
def test_art8_a_decided_commitment_is_not_decided_again(status: str) -> None:
    with pytest.raises(rules.CommitmentClosed) as refused:
        rules.ensure_open(status)
    assert refused.value.code == "commitment_closed"
    assert status in str(refused.value)
