"""Collection rules (Art. 2, 13, 18, 26, 33, 34, 44; COL-1, COL-5; SUB-2): field schemas, the
party a double-publicity row is about, decision dates, and the conditions of correction."""

from __future__ import annotations

from datetime import date

import pytest

from xinyong.core.errors import InvalidInput, RuleViolation
from xinyong.records import rules
from xinyong.records.rules import FieldRule, Problem
from xinyong.subjects.rules import SubjectRef

TODAY = date(2026, 9, 30)
USCC = "91520000214434146R"
ORGAN_USCC = "11520000000000001Q"  # registration authority 1, type 1: a state organ
PERSON_ID = "11010519491231002X"


# --- field schemas (Art. 13, 26) ------------------------------------------------------------


def test_art13_a_field_spec_defaults_to_an_optional_string_named_by_its_code() -> None:
    assert FieldRule.from_spec({"code": "CF_NR"}) == FieldRule("CF_NR", "CF_NR", "string")


def test_art13_a_field_spec_carries_its_name_type_requirement_and_values() -> None:
    spec = {
        "code": "XDR_LB",
        "name_zh": "行政相对人类别",
        "type": "enum",
        "required": True,
        "enum": ["自然人", "法人及非法人组织"],
        "source_required": True,
    }
    assert FieldRule.from_spec(spec) == FieldRule(
        "XDR_LB", "行政相对人类别", "enum", True, ("自然人", "法人及非法人组织"), True
    )


def test_art26_a_source_required_field_is_required_of_a_delivery() -> None:
    notice = FieldRule("HM_GZRQ", "告知送达日期", "date", source_required=True)
    assert not notice.required  # the platform's own list procedure may leave it out
    assert notice.for_source().required
    assert notice.for_source().code == "HM_GZRQ"
    required = FieldRule("HM_RDRQ", "认定日期", "date", required=True, source_required=True)
    assert required.for_source() is required
    plain = FieldRule("HM_BZ", "备注", "string")
    assert plain.for_source() is plain


def test_art13_a_value_longer_than_the_text_limit_is_refused() -> None:
    rule = FieldRule("CF_SY", "处罚事由", "string")
    clean, problems = rules.validate_fields(
        [rule], {"CF_SY": "违" * (rules.MAX_TEXT + 1)}, today=TODAY
    )
    assert clean == {}
    assert problems == [Problem("CF_SY", "超过 4000 字 / longer than 4000 characters")]
    clean, problems = rules.validate_fields([rule], {"CF_SY": "违" * rules.MAX_TEXT}, today=TODAY)
    assert problems == []
    assert clean == {"CF_SY": "违" * rules.MAX_TEXT}


def test_art13_an_enumerated_field_takes_one_of_its_values_as_given() -> None:
    rule = FieldRule("XDR_LB", "行政相对人类别", "enum", enum=("自然人", "法人及非法人组织"))
    clean, problems = rules.validate_fields([rule], {"XDR_LB": " 自然人 "}, today=TODAY)
    assert problems == []
    assert clean == {"XDR_LB": "自然人"}
    clean, problems = rules.validate_fields([rule], {"XDR_LB": "个人"}, today=TODAY)
    assert clean == {}
    assert [p.field for p in problems] == ["XDR_LB"]
    assert "'个人' is not one of 自然人 / 法人及非法人组织" in problems[0].reason


def test_sub2_an_id_number_under_another_id_type_is_kept_as_given() -> None:
    rule = FieldRule("XDR_ZJHM", "证件号码", "identifier")
    passport = {"XDR_ZJLX": "护照", "XDR_ZJHM": "E12345678"}
    assert rules.field_value(rule, "E12345678", frozenset(), TODAY, passport) == "E12345678"


def test_sub2_an_id_number_under_the_resident_card_is_checked() -> None:
    rule = FieldRule("XDR_ZJHM", "证件号码", "identifier")
    card = {"XDR_ZJLX": "身份证", "XDR_ZJHM": "110105194912310021"}
    with pytest.raises(ValueError):
        rules.field_value(rule, "110105194912310021", frozenset(), TODAY, card)
    assert rules.field_value(rule, PERSON_ID, frozenset(), TODAY, card) == PERSON_ID


def test_col1_a_problem_names_its_line_in_the_file() -> None:
    problem = Problem("CF_JDRQ", "not a date").at_line(7)
    assert problem == Problem("CF_JDRQ", "not a date", 7)
    assert problem.as_dict() == {"line": 7, "field": "CF_JDRQ", "reason": "not a date"}
    assert Problem(None, "no identity").as_dict() == {
        "line": None,
        "field": None,
        "reason": "no identity",
    }


# --- the party of a double-publicity row (Art. 2; SUB-2) --------------------------------------


def party(**fields: str) -> tuple[SubjectRef | None, list[Problem]]:
    return rules.subject_from_fields({"XDR_MC": "贵州示例商贸有限公司", **fields})


def only_problem(result: tuple[SubjectRef | None, list[Problem]]) -> Problem:
    ref, problems = result
    assert ref is None
    assert len(problems) == 1
    return problems[0]


def test_art2_an_unknown_party_category_is_refused() -> None:
    problem = only_problem(party(XDR_LB="外国企业", XDR_SHXYM=USCC))
    assert problem.field == "XDR_LB"
    assert "'外国企业'" in problem.reason


def test_art2_without_a_category_a_lone_id_number_is_a_person() -> None:
    ref, problems = party(XDR_ZJHM=PERSON_ID)
    assert problems == []
    assert ref == SubjectRef("natural_person", PERSON_ID, "贵州示例商贸有限公司", "resident_id")


def test_art2_without_a_category_a_credit_code_is_an_organisation() -> None:
    ref, problems = party(XDR_SHXYM=USCC, XDR_ZJHM=PERSON_ID)  # the code wins
    assert problems == []
    assert ref == SubjectRef("legal_person", USCC, "贵州示例商贸有限公司", "uscc")


def test_art2_without_a_category_or_identifier_an_organisation_s_code_is_asked_for() -> None:
    assert only_problem(party()).field == "XDR_SHXYM"


@pytest.mark.parametrize("name", ["", "   "])
def test_art2_a_party_without_a_name_is_refused(name: str) -> None:
    problem = only_problem(rules.subject_from_fields({"XDR_MC": name, "XDR_SHXYM": USCC}))
    assert problem == Problem("XDR_MC", "行政相对人名称为空 / XDR_MC (party name) is required")


def test_sub2_a_person_s_resident_number_must_be_valid() -> None:
    problem = only_problem(party(XDR_LB="自然人", XDR_ZJLX="身份证", XDR_ZJHM="110105194912310021"))
    assert problem.field == "XDR_ZJHM"
    assert problem.reason


def test_sub2_an_organisation_needs_its_credit_code() -> None:
    problem = only_problem(party(XDR_LB="法人及非法人组织"))
    assert problem.field == "XDR_SHXYM"
    assert "Unified Social Credit Code" in problem.reason


def test_sub2_an_organisation_s_credit_code_must_be_valid() -> None:
    problem = only_problem(party(XDR_LB="法人", XDR_SHXYM=USCC[:-1] + "0"))
    assert problem.field == "XDR_SHXYM"
    assert problem.reason


def test_sub2_a_credit_code_of_an_organ_makes_a_state_organ() -> None:
    ref, problems = party(XDR_LB="法人及非法人组织", XDR_SHXYM=ORGAN_USCC)
    assert problems == []
    assert ref is not None
    assert ref.type == "state_organ"


def test_sub2_an_individual_business_registers_as_an_unincorporated_body() -> None:
    ref, problems = party(XDR_LB="个体工商户", XDR_SHXYM=USCC)
    assert problems == []
    assert ref is not None
    assert (ref.type, ref.id_kind) == ("unincorporated_org", "uscc")


def test_art2_an_item_takes_only_the_subject_types_it_covers() -> None:
    fields = {"XDR_MC": "张三", "XDR_LB": "自然人", "XDR_ZJHM": PERSON_ID}
    ref, problems = rules.subject_from_fields(fields, allowed_types={"legal_person"})
    assert ref is None
    assert problems == [
        Problem(
            "XDR_LB",
            "该事项不收集 natural_person 类主体 / the item does not cover subjects of type "
            "natural_person",
        )
    ]
    ref, problems = rules.subject_from_fields(fields, allowed_types={"natural_person"})
    assert problems == []
    assert ref is not None


# --- decision dates (Art. 18; issue 12 item 3) ------------------------------------------------


def test_art18_no_decision_is_dated_before_1949_10_01() -> None:
    problem = rules.check_decided_on(date(1949, 9, 30), today=TODAY)
    assert problem is not None
    assert "decision date 1949-09-30 is before 1949-10-01" in problem.reason
    assert rules.check_decided_on(date(1949, 10, 1), today=TODAY) is None


def test_art18_no_decision_is_dated_after_today() -> None:
    assert rules.check_decided_on(TODAY, today=TODAY) is None
    problem = rules.check_decided_on(date(2026, 10, 1), today=TODAY)
    assert problem is not None
    assert problem.reason.endswith("decision date 2026-10-01 is in the future")
    assert rules.check_decided_on(None, today=TODAY) is None


# --- corrections and withdrawals (Art. 33, 34, 44; COL-5) -------------------------------------


def test_art33_a_correction_keeps_its_stated_reason_trimmed() -> None:
    assert rules.require_reason("  金额录入错误 ", what="更正") == "金额录入错误"


@pytest.mark.parametrize("reason", [None, "", "  "])
def test_art33_a_correction_without_a_reason_is_refused(reason: str | None) -> None:
    with pytest.raises(InvalidInput) as refused:
        rules.require_reason(reason, what="更正")
    assert refused.value.code == "reason_required"


def test_art34_a_withdrawal_keeps_its_stated_basis_trimmed() -> None:
    assert rules.require_basis(" 黔市监撤〔2026〕3号 ") == "黔市监撤〔2026〕3号"


@pytest.mark.parametrize("basis", [None, "", "  "])
def test_art34_a_withdrawal_without_its_basis_is_refused(basis: str | None) -> None:
    with pytest.raises(InvalidInput) as refused:
        rules.require_basis(basis)
    assert refused.value.code == "basis_required"


def test_col5_an_active_record_may_be_corrected_a_withdrawn_one_not() -> None:
    rules.ensure_active("active")
    with pytest.raises(RuleViolation) as refused:
        rules.ensure_active("withdrawn")
    assert refused.value.code == "record_withdrawn"
