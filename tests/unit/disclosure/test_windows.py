"""Disclosure windows (DIS-4; Art. 35): rule set by date, class maxima, sector cases."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.catalogue.reference import publicity_rules
from xinyong.disclosure.windows import (
    Remembered,
    WindowInputs,
    add_months,
    disclosure_window,
    extended_until,
    rule_set_for,
)

RULES = publicity_rules()


def window(**kw: object):  # type: ignore[no-untyped-def]
    args: dict[str, object] = {
        "rule_code": "admin_penalty",
        "polarity": "negative",
        "severity": "general",
        "decided_on": date(2026, 5, 31),
        "fields": {},
        "sector": None,
        "rules": RULES,
    }
    args.update(kw)
    return disclosure_window(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 5, 31), 1, date(2026, 6, 30)),  # no corresponding day: month end
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 11, 15), 3, date(2026, 2, 15)),
        (date(2026, 1, 1), 0, date(2026, 1, 1)),
    ],
)
def test_add_months_follows_the_civil_code(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 1, 1)), st.integers(0, 60))
def test_add_months_never_goes_back_and_lands_in_the_right_month(d: date, n: int) -> None:
    result = add_months(d, n)
    assert result >= d
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == n


@pytest.mark.parametrize(
    ("decided", "code"),
    [
        (date(2020, 1, 1), "order58"),  # older than every set: the oldest
        (date(2026, 3, 31), "order58"),
        (date(2026, 4, 1), "order36"),
        (date(2030, 1, 1), "order36"),
    ],
)
def test_rule_set_is_chosen_by_decision_date(decided: date, code: str) -> None:
    assert rule_set_for(decided, RULES)["code"] == code


def test_class_maxima() -> None:
    assert window(severity="general").ends_on == date(2027, 5, 31)
    assert window(severity="serious").ends_on == date(2029, 5, 31)
    minor = window(severity="minor")
    assert (minor.ends_on, minor.publishable) == (date(2026, 8, 31), False)
    old_minor = window(severity="minor", decided_on=date(2026, 3, 1))
    assert (old_minor.rule_set, old_minor.ends_on) == ("order58", date(2026, 3, 1))


def test_positive_neutral_and_open_rules_have_no_window() -> None:
    assert window(polarity="positive").ends_on is None
    assert window(polarity="neutral").ends_on is None
    assert window(rule_code="unlimited").ends_on is None
    assert window(rule_code="while_listed").ends_on is None


def test_fixed_periods_and_missing_dates() -> None:
    assert window(rule_code="judgment_default").ends_on == date(2028, 5, 31)
    assert window(rule_code="serious_dishonesty_list").ends_on == date(2029, 5, 31)
    undated = window(decided_on=None)
    assert undated.ends_on == date.min
    assert not undated.publishable


def test_market_regulation_sector_cases() -> None:
    small = {"CF_CFLB": "警告、罚款", "CF_NR_FK": "0.8"}
    big = {"CF_CFLB": "罚款", "CF_NR_FK": "5"}
    revoked = {"CF_CFLB": "罚款；吊销营业执照", "CF_NR_FK": "0.5"}
    sector = "market_regulation"
    assert window(fields=small, sector=sector).ends_on == date(2026, 8, 31)
    assert window(fields=big, sector=sector).ends_on == date(2029, 5, 31)
    assert window(fields=revoked, sector=sector).basis.endswith("licence_revoked")
    # Other sectors and items follow the class maximum.
    assert window(fields=small, sector="tax").ends_on == date(2027, 5, 31)
    assert window(fields=small, rule_code="by_class", sector=sector).ends_on == date(2027, 5, 31)


def test_running_disciplinary_period_extends_the_window() -> None:
    end = date(2027, 5, 31)
    assert extended_until(end, []) == end
    assert extended_until(end, [(date(2027, 1, 1), date(2028, 1, 1))]) == date(2028, 1, 1)
    # Chained: the second period is running when the first one ends.
    chain = [(date(2027, 1, 1), date(2028, 1, 1)), (date(2027, 12, 1), date(2029, 1, 1))]
    assert extended_until(end, chain) == date(2029, 1, 1)
    # A period that starts after the window ended does not revive it.
    assert extended_until(end, [(date(2027, 6, 1), date(2030, 1, 1))]) == end
    assert extended_until(end, [(date(2027, 1, 1), None)]) == date.max
    assert extended_until(None, [(date(2027, 1, 1), None)]) is None


def test_a_minor_record_is_never_published_whatever_period_applies() -> None:
    """Order 36: the minor class is normally not published; a sector case or a fixed period
    sets how long it is shared with the government, never that it is published."""
    small = {"CF_CFLB": "警告", "CF_NR_FK": "0.1"}
    by_sector = window(severity="minor", fields=small, sector="market_regulation")
    assert by_sector.ends_on == date(2026, 8, 31)  # shared for the sector's 3 months
    assert not by_sector.publishable
    fixed = window(severity="minor", rule_code="judgment_default")
    assert fixed.ends_on == date(2028, 5, 31)
    assert not fixed.publishable
    by_class = window(severity="minor")
    assert by_class.ends_on == date(2026, 8, 31)  # Order 36: at most 3 months
    assert not by_class.publishable
    # The same record decided under Order 58 was not shared beyond its decision day.
    assert window(severity="minor", decided_on=date(2025, 5, 31)).ends_on == date(2025, 5, 31)
    assert window(severity="general", fields=small, sector="market_regulation").publishable


_PENALTIES = st.sampled_from(["罚款", "警告、罚款", "罚款；吊销营业执照", None])
_FINES = st.one_of(
    st.none(),
    st.sampled_from(["0.8", "1", "1.0", "5", "abc", "", 1, 1.0, True]),
    st.decimals(min_value=0, max_value=20, places=2).map(str),
)


@given(
    st.lists(
        st.tuples(
            st.fixed_dictionaries(
                {"CF_CFLB": _PENALTIES, "CF_NR_FK": _FINES},
                optional={"CF_WFXW": st.text(max_size=5)},
            ),
            st.sampled_from(["general", "minor", None]),
            st.sampled_from([date(2026, 1, 31), date(2026, 5, 31)]),
            st.sampled_from(["market_regulation", "market_regulation", None]),
            st.sampled_from(["admin_penalty", "admin_penalty", "by_class"]),
        ),
        max_size=40,
    )
)
def test_a_batch_remembers_windows_only_for_records_a_case_cannot_tell_apart(
    batch: list[tuple[dict[str, object], str | None, date, str | None, str]],
) -> None:
    """One batch's windows, each remembered by its inputs, are each record's own window:
    records that differ only in a field no sector case reads share one, records whose fine or
    penalty types differ do not (with the fine left out of the inputs this goes red)."""
    remembered = Remembered(RULES)
    for fields, severity, decided, sector, rule_code in batch:
        inputs = WindowInputs(rule_code, "negative", severity, decided, sector)
        direct = disclosure_window(**inputs._asdict(), fields=fields, rules=RULES)
        assert remembered(inputs, fields) == direct


def test_records_apart_only_in_their_fine_do_not_share_a_remembered_window() -> None:
    remembered = Remembered(RULES)
    inputs = WindowInputs(
        "admin_penalty", "negative", "general", date(2026, 5, 31), "market_regulation"
    )
    small = remembered(inputs, {"CF_CFLB": "罚款", "CF_NR_FK": "0.8"})
    big = remembered(inputs, {"CF_CFLB": "罚款", "CF_NR_FK": "5"})
    other = {"CF_CFLB": "罚款", "CF_NR_FK": "0.8", "CF_WFXW": "另一事实"}
    assert (small.ends_on, big.ends_on) == (date(2026, 8, 31), date(2029, 5, 31))
    assert remembered(inputs, other) is small
    # Without a sector no case applies: the fine does not matter.
    general = inputs._replace(sector=None)
    assert remembered(general, {"CF_NR_FK": "0.8"}) is remembered(general, {"CF_NR_FK": "5"})
