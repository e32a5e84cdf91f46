"""Report sections, record states, numbers, digests and verification masking (RGT-1)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.reports import rules
from xinyong.reports.rules import RecordState

TODAY = date(2026, 9, 30)


@pytest.mark.parametrize(
    ("category", "tier", "section"),
    [
        ("registration_basic", "national", "registration"),
        ("administrative", "national", "administrative"),
        ("qualification", "national", "administrative"),
        ("honours", "national", "honours"),
        ("serious_dishonesty_list", "national", "serious_dishonesty"),
        ("abnormal_operation", "national", "abnormality"),
        ("credit_commitment", "national", "commitments"),
        ("credit_evaluation", "national", "evaluation"),
        ("judicial", "national", "judicial"),
        ("compliance", "national", "other"),
        ("intellectual_property", "national", "other"),
        ("honours", "local", "local"),
        ("compliance", "local", "local"),
    ],
)
def test_items_map_to_the_sections_of_the_report_standard(
    category: str, tier: str, section: str
) -> None:
    assert rules.section_of(category=category, tier=tier) == section


def test_there_are_ten_sections_in_the_standards_order() -> None:
    assert rules.SECTION_CODES[0] == "registration"
    assert rules.SECTION_CODES[-1] == "local"
    assert len(set(rules.SECTION_CODES)) == 10


@pytest.mark.parametrize(
    ("withdrawn", "repaired", "ends_on", "state"),
    [
        (False, False, None, RecordState.IN_EFFECT),
        (False, False, TODAY, RecordState.IN_EFFECT),  # the last day still counts
        (False, False, date(2026, 9, 29), RecordState.EXPIRED),
        (False, True, None, RecordState.REPAIRED),
        (True, True, date(2020, 1, 1), RecordState.WITHDRAWN),
    ],
)
def test_record_state(
    withdrawn: bool, repaired: bool, ends_on: date | None, state: RecordState
) -> None:
    got = rules.record_state(
        withdrawn=withdrawn, repaired=repaired, window_ends_on=ends_on, today=TODAY
    )
    assert got is state
    assert rules.in_report(got) is (state is RecordState.IN_EFFECT)


def test_numbers_carry_the_date_and_are_read_back_however_typed() -> None:
    number = rules.report_number(TODAY, "7K3QX9MD")
    assert number == "XYBG-20260930-7K3QX9MD"
    assert rules.normalise_number(" xybg-20260930-7k3qx9md ") == number
    assert rules.normalise_number("ＸＹＢＧ-20260930-7K3QX9MD") == number  # full-width
    assert rules.normalise_number("XYBG-20260930-7K3QX9M") is None
    assert rules.normalise_number("XYBG-20260930-7K3QX9MI") is None  # I is not in the alphabet
    assert rules.normalise_number("") is None


def test_the_digest_is_of_the_canonical_json() -> None:
    at = datetime(2026, 9, 30, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    a = {"b": [1, 2], "a": {"at": at, "name": "贵州"}}
    b = {"a": {"name": "贵州", "at": at.isoformat()}, "b": [1, 2]}
    assert rules.canonical_json(a) == rules.canonical_json(b)
    assert rules.canonical_json(a).decode() == (
        '{"a":{"at":"2026-09-30T10:00:00+08:00","name":"贵州"},"b":[1,2]}'
    )
    assert rules.content_digest(a) == rules.content_digest(b)
    assert rules.content_digest(a) != rules.content_digest({**b, "b": [2, 1]})


@given(st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=5))
def test_digest_ignores_key_order(content: dict[str, object]) -> None:
    reordered = dict(reversed(list(content.items())))
    assert rules.content_digest(content) == rules.content_digest(reordered)


def test_verification_masks_persons_and_codes() -> None:
    person = rules.masked_subject(type_="natural_person", code="11010519491231002X", name="张三丰")
    assert person == "张某（110105***********X）"
    company = rules.masked_subject(
        type_="legal_person", code="91520000214434146R", name="贵州某某公司"
    )
    assert company == "贵州某某公司（915200***********R）"


def test_the_report_prints_neither_empty_fields_nor_repetitions() -> None:
    heading = {"黔市监罚〔2026〕1号", "2026-06-01"}
    assert rules.printed_field("CF_NR", "罚款", section="administrative", heading=heading)
    assert not rules.printed_field("CF_NR", "", section="administrative")
    assert not rules.printed_field("CF_NR", None, section="administrative")
    assert not rules.printed_field(
        "CF_WSH", "黔市监罚〔2026〕1号", section="administrative", heading=heading
    )
    # The subject's own name and code: already in the report's head …
    assert not rules.printed_field("XDR_MC", "贵州某公司", section="administrative")
    assert not rules.printed_field("FR_ZJHM", "11010519491231002X", section="judicial")
    # … except where they are the registration information itself.
    assert rules.printed_field("XDR_MC", "贵州某公司", section="registration")
