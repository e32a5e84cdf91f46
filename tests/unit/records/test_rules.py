"""Pure rules of collection: values, fields, subject, identity, corrections (COL-1, COL-5)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.core.errors import InvalidInput, RuleViolation
from xinyong.records import rules, values
from xinyong.records.rows import ItemSpec, validate_row
from xinyong.records.rules import FieldRule
from xinyong.subjects.rules import SubjectRef

TODAY = date(2026, 9, 30)
SCHEMA = (
    FieldRule("XDR_MC", "行政相对人名称", "string", required=True),
    FieldRule(
        "XDR_LB", "行政相对人类别", "enum", True, ("法人及非法人组织", "自然人", "个体工商户")
    ),
    FieldRule("XDR_SHXYM", "统一社会信用代码", "identifier"),
    FieldRule("XDR_ZJLX", "证件类型", "enum", False, ("身份证", "护照号")),
    FieldRule("XDR_ZJHM", "证件号码", "identifier"),
    FieldRule("CF_WSH", "行政处罚决定书文号", "string", required=True),
    FieldRule("CF_NR_FK", "罚款金额（万元）", "decimal"),
    FieldRule("CF_JDRQ", "处罚决定日期", "date", required=True),
)
ITEM = ItemSpec(
    code="admin_penalty",
    version_id=1,
    fields=SCHEMA,
    polarity="negative",
    default_severity="general",
    publicity="public",
    subject_types=frozenset({"natural_person", "legal_person", "unincorporated_org"}),
)
COMPANY = {
    "XDR_MC": "贵州示例商贸有限公司",
    "XDR_LB": "法人及非法人组织",
    "XDR_SHXYM": "91520000214434146R",
    "CF_WSH": "黔市监罚〔2026〕1号",
    "CF_NR_FK": "1.50",
    "CF_JDRQ": "2026-09-01",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-09-01", date(2026, 9, 1)),
        ("2026/9/1", date(2026, 9, 1)),
        ("2026年9月1日", date(2026, 9, 1)),
        ("２０２６－０９－０１", date(2026, 9, 1)),  # full-width, as typed on a phone
        ("2026-09-01 00:00:00", date(2026, 9, 1)),
        (datetime(2026, 9, 1, 0, 0), date(2026, 9, 1)),  # an Excel date cell
        ("20260901", date(2026, 9, 1)),
    ],
)
def test_dates_in_the_layouts_providers_use(text: object, expected: date) -> None:
    assert values.parse_date(text) == expected


def test_a_date_that_does_not_exist_is_named() -> None:
    with pytest.raises(ValueError, match="date 2026-02-30 does not exist"):
        values.parse_date("2026-02-30")
    with pytest.raises(ValueError, match="not a date"):
        values.parse_date("yesterday")


@pytest.mark.parametrize("bad", ["-1", "abc", "1.1234567", "NaN", "Infinity"])
def test_bad_amounts(bad: str) -> None:
    with pytest.raises(ValueError):
        values.parse_amount(bad)


@given(st.decimals(min_value=0, max_value=10**9, places=6, allow_nan=False))
def test_amounts_round_trip(value: Decimal) -> None:
    assert values.parse_amount(str(value)) == value


def test_valid_row_gives_subject_identity_and_hash() -> None:
    row = validate_row(ITEM, COMPANY, today=TODAY)
    assert not isinstance(row, list)
    assert row.subject == SubjectRef(
        "legal_person", "91520000214434146R", COMPANY["XDR_MC"], "uscc"
    )
    assert row.source_key == "doc:admin_penalty|黔市监罚〔2026〕1号|91520000214434146R"
    assert row.fields["CF_NR_FK"] == "1.5"
    assert row.severity == "general"
    assert row.decided_on == date(2026, 9, 1)
    same = validate_row(ITEM, {**COMPANY, "CF_NR_FK": "1.5", "CF_JDRQ": "2026/09/01"}, today=TODAY)
    assert not isinstance(same, list)
    assert same.content_hash == row.content_hash  # the same content, written differently
    with_id = validate_row(ITEM, COMPANY, source_id="SJJ-9", today=TODAY)
    assert not isinstance(with_id, list)
    assert with_id.source_key == "sid:SJJ-9"


def test_every_problem_of_a_row_is_reported() -> None:
    row = validate_row(
        ITEM,
        {**COMPANY, "XDR_SHXYM": "91520000214434146A", "CF_JDRQ": "2026-02-30", "CF_WSH": ""},
        today=TODAY,
    )
    assert isinstance(row, list)
    by_field = {p.field: p.reason for p in row}
    assert "check character should be R" in by_field["XDR_SHXYM"]
    assert "does not exist" in by_field["CF_JDRQ"]
    assert "required" in by_field["CF_WSH"]


def test_natural_person_is_identified_by_resident_id() -> None:
    person = {**COMPANY, "XDR_LB": "自然人", "XDR_SHXYM": "", "XDR_ZJHM": "11010519491231002x"}
    row = validate_row(ITEM, person, today=TODAY)
    assert not isinstance(row, list)
    assert row.subject.type == "natural_person"
    assert row.subject.id_value == "11010519491231002X"
    missing = validate_row(ITEM, {**person, "XDR_ZJHM": ""}, today=TODAY)
    assert isinstance(missing, list)
    assert missing[0].field == "XDR_ZJHM"
    passport = validate_row(ITEM, {**person, "XDR_ZJLX": "护照号", "XDR_ZJHM": "E12345678"},
                            today=TODAY)  # fmt: skip
    assert not isinstance(passport, list)
    assert passport.subject.id_kind == "passport"


def test_individual_business_and_state_organ_types() -> None:
    biz = validate_row(ITEM, {**COMPANY, "XDR_LB": "个体工商户"}, today=TODAY)
    assert not isinstance(biz, list)
    assert biz.subject.type == "unincorporated_org"
    assert rules.org_subject_type("11520000000000001Q") == "state_organ"


def test_future_decision_and_unknown_fields_are_refused() -> None:
    row = validate_row(ITEM, {**COMPANY, "CF_JDRQ": "2026-10-01", "XX": "1"}, today=TODAY)
    assert isinstance(row, list)
    assert {p.field for p in row} == {"CF_JDRQ", "XX"}


def test_severity() -> None:
    row = validate_row(ITEM, COMPANY, severity="严重", today=TODAY)
    assert not isinstance(row, list)
    assert row.severity == "serious"
    bad = validate_row(ITEM, COMPANY, severity="很严重", today=TODAY)
    assert isinstance(bad, list)
    neutral = ItemSpec("x", 1, SCHEMA, "neutral", None, "public", ITEM.subject_types)
    refused = validate_row(neutral, COMPANY, severity="serious", today=TODAY)
    assert isinstance(refused, list)


def test_row_without_identity_is_refused() -> None:
    schema = tuple(f for f in SCHEMA if f.code != "CF_WSH")
    item = ItemSpec("x", 1, schema, "neutral", None, "public", ITEM.subject_types)
    fields = {k: v for k, v in COMPANY.items() if k != "CF_WSH"}
    row = validate_row(item, fields, today=TODAY)
    assert isinstance(row, list)
    assert "no identity" in row[0].reason


def test_corrections_need_reason_and_basis() -> None:
    with pytest.raises(InvalidInput):
        rules.require_reason("  ", what="更正 amendment")
    with pytest.raises(InvalidInput):
        rules.require_basis(None)
    with pytest.raises(RuleViolation):
        rules.ensure_active("withdrawn")
    assert rules.merge_fields({"a": 1, "b": 2}, {"b": None, "c": 3}) == {"a": 1, "c": 3}


def test_chunk_digest_commits_to_order() -> None:
    assert rules.chunk_digest(["a", "b"]) != rules.chunk_digest(["b", "a"])
