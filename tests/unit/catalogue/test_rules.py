from datetime import date
from itertools import product

import pytest

from xinyong.catalogue import rules
from xinyong.catalogue.models import Tier, VersionStatus
from xinyong.core.errors import Conflict, RuleViolation

S = VersionStatus
LEGAL = {
    (S.DRAFT, S.PUBLIC_COMMENT),
    (S.PUBLIC_COMMENT, S.REPORTED),
    (S.REPORTED, S.PUBLISHED),
    (S.PUBLISHED, S.SUPERSEDED),
}
ILLEGAL = sorted(set(product(S, S)) - LEGAL)


@pytest.mark.parametrize(("current", "target"), sorted(LEGAL))
def test_the_lifecycle_steps_are_allowed(current: S, target: S) -> None:
    assert rules.transition_allowed(current, target)
    rules.ensure_transition(current, target)


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_every_other_step_is_refused(current: S, target: S) -> None:
    assert not rules.transition_allowed(current, target)
    with pytest.raises(rules.IllegalTransition) as err:
        rules.ensure_transition(current, target)
    assert isinstance(err.value, Conflict)
    assert err.value.code == "illegal_transition"
    assert current.value in err.value.message
    assert target.value in err.value.message


def test_publishing_skips_no_step() -> None:
    # Publishing straight from a draft would skip public comment and the report (Art. 12).
    assert not rules.transition_allowed(S.DRAFT, S.PUBLISHED)
    assert not rules.transition_allowed(S.PUBLIC_COMMENT, S.PUBLISHED)


@pytest.mark.parametrize("basis", [None, "", "   "])
def test_local_item_without_legal_basis_cannot_be_published(basis: str | None) -> None:
    with pytest.raises(RuleViolation) as err:
        rules.ensure_publishable(tier=Tier.LOCAL, legal_basis=basis)
    assert err.value.code == "legal_basis_required"
    assert "legal basis" in err.value.message
    assert "法规依据" in err.value.message


def test_local_item_with_legal_basis_and_national_items_may_be_published() -> None:
    rules.ensure_publishable(tier=Tier.LOCAL, legal_basis="《贵州省社会信用条例》第十二条")
    rules.ensure_publishable(tier=Tier.NATIONAL, legal_basis="")


def test_new_version_must_take_effect_after_the_current_one() -> None:
    rules.ensure_effective_after(date(2026, 10, 2), date(2026, 10, 1))
    rules.ensure_effective_after(date(2026, 10, 2), None)
    with pytest.raises(rules.EffectiveDateOrder):
        rules.ensure_effective_after(date(2026, 10, 1), date(2026, 10, 1))


@pytest.mark.parametrize("status", [s for s in S if s is not S.PUBLIC_COMMENT])
def test_opinions_only_during_public_comment(status: S) -> None:
    rules.ensure_comment_open(S.PUBLIC_COMMENT)
    with pytest.raises(rules.CommentClosed):
        rules.ensure_comment_open(status)


FIELDS = [
    {"code": "CF_WSH", "name_zh": "行政处罚决定书文号"},
    {"code": "CF_NR_FK", "name_zh": "罚款金额（万元）"},
]


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("CF_WSH", "CF_WSH"),
        ("cf_wsh", "CF_WSH"),
        ("\ufeffCF_WSH", "CF_WSH"),
        ("行政处罚决定书文号", "CF_WSH"),
        (" 行政处罚决定书文号 ", "CF_WSH"),
        ("罚款金额（万元）", "CF_NR_FK"),
        ("罚款金额(万元)", "CF_NR_FK"),
        ("ＣＦ＿ＮＲ＿ＦＫ", "CF_NR_FK"),
    ],
)
def test_headers_match_by_code_or_chinese_name(header: str, code: str) -> None:
    spec = rules.match_field(FIELDS, header)
    assert spec is not None
    assert spec["code"] == code


@pytest.mark.parametrize("header", ["", "  ", "CF", "处罚决定书"])
def test_unknown_headers_match_nothing(header: str) -> None:
    assert rules.match_field(FIELDS, header) is None


def test_duplicate_codes_and_names_are_found() -> None:
    fields = [*FIELDS, {"code": "X", "name_zh": "罚款金额(万元)"}]
    assert rules.duplicate_names(fields) == ["罚款金额(万元)"]
    assert rules.duplicate_names(FIELDS) == []


def test_a_source_is_registered_as_a_kind_the_item_names() -> None:
    """Issue 11 item 2 (Art. 12 para. 2): the credit office binds an organisation to one of
    the kinds of unit an item names; a single kind is the default; the subject is no unit."""
    from xinyong.catalogue.rules import SourceKindMismatch, source_kind

    assert source_kind(None, ["court"]) == "court"
    assert source_kind("tax", ["department", "tax"]) == "tax"
    for requested, kinds in ((None, ["department", "tax"]), ("court", ["department"]),
                             (None, ["subject"]), ("subject", ["subject"])):  # fmt: skip
        with pytest.raises(SourceKindMismatch):
            source_kind(requested, kinds)
