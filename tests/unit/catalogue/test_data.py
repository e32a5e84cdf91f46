"""The shipped catalogues and publicity rules (CAT-4, DESIGN §3a)."""

from datetime import date

import pytest

from xinyong.catalogue import reference
from xinyong.catalogue.loader import shipped_entries
from xinyong.catalogue.models import FieldDisclosure, Polarity, Publicity, Tier
from xinyong.catalogue.rules import SOURCE_KINDS
from xinyong.catalogue.schemas import ItemCreate

ENTRIES = {item.code: (item, status) for item, status, _ in shipped_entries()}
STABLE_CODES = [
    "registration_basic",
    "admin_licensing",
    "admin_penalty",
    "business_abnormality",
    "serious_dishonesty",
    "judgment_default",
    "credit_commitment",
    "red_list",
]
DOUBLE_PUBLICITY_PARTY = {
    "XDR_MC": "行政相对人名称",
    "XDR_LB": "行政相对人类别",
    "XDR_SHXYM": "统一社会信用代码",
    "XDR_GSZC": "工商注册号",
    "XDR_ZZJG": "组织机构代码",
    "XDR_SWDJ": "税务登记号",
    "XDR_SYDW": "事业单位证书号",
    "XDR_SHZZ": "社会组织登记证号",
    "FRDB": "法定代表人",
    "FR_ZJLX": "法定代表人证件类型",
    "FR_ZJHM": "法定代表人证件号码",
    "XDR_ZJLX": "证件类型",
    "XDR_ZJHM": "证件号码",
    "BZ": "备注",
}
LICENSING = {
    "XK_XKWS": "行政许可决定文书名称",
    "XK_WSH": "行政许可决定文书号",
    "XK_XKLB": "许可类别",
    "XK_XKZS": "许可证书名称",
    "XK_XKBH": "许可编号",
    "XK_NR": "许可内容",
    "XK_JDRQ": "许可决定日期",
    "XK_YXQZ": "有效期自",
    "XK_YXQZI": "有效期至",
    "XK_XKJG": "许可机关",
    "XK_XKJGDM": "许可机关统一社会信用代码",
    "XK_ZT": "当前状态",
    "XK_LYDW": "数据来源单位",
    "XK_LYDWDM": "数据来源单位统一社会信用代码",
}
PENALTY = {
    "CF_WSH": "行政处罚决定书文号",
    "CF_WFXW": "违法行为类型",
    "CF_SY": "违法事实",
    "CF_YJ": "处罚依据",
    "CF_CFLB": "处罚类别",
    "CF_NR": "处罚内容",
    "CF_NR_FK": "罚款金额（万元）",
    "CF_NR_WFFF": "没收违法所得、没收非法财物的金额（万元）",
    "CF_NR_ZKDX": "暂扣或吊销证照名称及编号",
    "CF_JDRQ": "处罚决定日期",
    "CF_YXQ": "处罚有效期",
    "CF_GSJZQ": "公示截止期",
    "CF_CFJG": "处罚机关",
    "CF_CFJGDM": "处罚机关统一社会信用代码",
    "CF_SJLY": "数据来源单位",
    "CF_SJLYDM": "数据来源单位统一社会信用代码",
}


def _fields(item: ItemCreate) -> dict[str, tuple[str, FieldDisclosure]]:
    return {f.code: (f.name_zh, f.disclosure) for f in item.fields}


def test_thirteen_categories_with_stable_codes() -> None:
    cats = reference.categories()
    assert len(cats) == 13
    assert {"registration_basic", "judicial", "administrative", "intellectual_property"} <= set(
        cats
    )
    assert all(c["name_zh"] and c["name_en"] for c in cats.values())


@pytest.mark.parametrize("code", STABLE_CODES)
def test_stable_codes_ship_as_published_national_items(code: str) -> None:
    item, status = ENTRIES[code]
    assert item.tier is Tier.NATIONAL
    assert status == "published"
    assert item.category in reference.categories()


@pytest.mark.parametrize(
    ("code", "layout"), [("admin_licensing", LICENSING), ("admin_penalty", PENALTY)]
)
def test_double_publicity_layout_with_chinese_column_names(
    code: str, layout: dict[str, str]
) -> None:
    fields = _fields(ENTRIES[code][0])
    for field_code, name_zh in {**DOUBLE_PUBLICITY_PARTY, **layout}.items():
        assert fields[field_code][0] == name_zh, field_code


def test_identity_numbers_are_private_and_amounts_public() -> None:
    fields = _fields(ENTRIES["admin_penalty"][0])
    assert fields["XDR_ZJHM"][1] is FieldDisclosure.PRIVACY
    assert fields["FR_ZJHM"][1] is FieldDisclosure.PRIVACY
    assert fields["CF_NR_FK"][1] is FieldDisclosure.PUBLIC
    assert fields["XDR_MC"][1] is FieldDisclosure.PUBLIC


def test_publicity_attributes_cover_all_three_kinds() -> None:
    assert ENTRIES["admin_penalty"][0].publicity is Publicity.PUBLIC
    assert ENTRIES["tax_arrears"][0].publicity is Publicity.SHARED
    kinds = {item.publicity for item, _ in ENTRIES.values()}
    assert kinds == set(Publicity)


def test_every_negative_item_has_a_severity_field_and_a_known_rule() -> None:
    rule_codes = reference.disclosure_rule_codes()
    negatives = [i for i, _ in ENTRIES.values() if i.polarity is Polarity.NEGATIVE]
    assert len(negatives) >= 4
    for item in negatives:
        assert item.default_severity is not None
        assert item.disclosure_rule in rule_codes, item.code
        severity = _fields(item).get("severity")
        assert severity is not None, item.code
    for item, _ in ENTRIES.values():
        assert item.disclosure_rule in rule_codes, item.code


def test_judgment_defaults_cannot_be_repaired_by_the_platform() -> None:
    item = ENTRIES["judgment_default"][0]
    assert item.repairable is False
    assert "最高人民法院" in item.legal_basis
    assert ENTRIES["admin_penalty"][0].repairable is True


def test_guizhou_items_are_local_and_published_ones_cite_their_basis() -> None:
    local = [(i, s) for i, s in ENTRIES.values() if i.tier is Tier.LOCAL]
    assert len(local) >= 3
    assert all(i.region_code == "520000" for i, _ in local)
    for item, status in local:
        if status == "published":
            assert "贵州省社会信用条例" in item.legal_basis, item.code
    drafts = [i for i, s in local if s == "draft"]
    assert [i.legal_basis for i in drafts] == [""]


def test_rule_sets_change_on_2026_04_01() -> None:
    sets = {s["code"]: s for s in reference.publicity_rules()["rule_sets"]}
    assert sets["order58"]["effective_until"] == "2026-03-31"
    assert sets["order36"]["effective_from"] == "2026-04-01"
    assert date.fromisoformat(sets["order58"]["effective_until"]) < date.fromisoformat(
        sets["order36"]["effective_from"]
    )
    classes = sets["order36"]["classes"]
    assert (classes["general"]["min_months"], classes["general"]["max_months"]) == (3, 12)
    assert (classes["serious"]["min_months"], classes["serious"]["max_months"]) == (12, 36)
    assert classes["minor"]["max_months"] == 3


def test_market_regulation_override_is_data() -> None:
    rules = {r["code"]: r for r in reference.publicity_rules()["disclosure_rules"]}
    override = rules["admin_penalty"]["sector_overrides"][0]
    assert override["sector"] == "market_regulation"
    cases = {c["code"]: c for c in override["cases"]}
    assert cases["criticism_or_small_fine"]["publicity_months"] == 3
    assert cases["other"]["publicity_months"] == 36
    assert cases["licence_revoked"]["early_end"] is False


# --- collection sources (issue 11 item 2; Art. 12 para. 2, Art. 25, 26) ---------------------


@pytest.mark.parametrize("code", sorted(ENTRIES))
def test_every_shipped_item_names_the_kinds_of_unit_that_deliver_it(code: str) -> None:
    """No item leaves its collection sources empty to mean "anyone": it names kinds of unit
    (the credit office binds real organisations to them); no shipped data names an
    organisation code, which is deployment data, not catalogue data."""
    item, _ = ENTRIES[code]
    assert item.collection_source, code
    for source in item.collection_source:
        assert source.kind in SOURCE_KINDS, (code, source.kind)
        assert source.description.strip(), code
        assert source.codes == [], code


def test_list_items_and_judgment_defaulters_accept_only_registered_sources() -> None:
    restricted = {code for code, (item, _) in ENTRIES.items() if item.restricted_sources}
    assert {"serious_dishonesty", "red_list", "judgment_default"} <= restricted
    for code in ("serious_dishonesty", "red_list"):
        item, _ = ENTRIES[code]
        assert [s.kind for s in item.collection_source] == ["listing_department"]
        # A registered source gives the document number, the decision date and the day the
        # prior notice was served (Art. 26).
        wanted = {f.code for f in item.fields if f.source_required or f.required}
        document, decided, notice = {
            "serious_dishonesty": ("YZ_RDWH", "YZ_JDRQ", "YZ_GZSDRQ"),
            "red_list": ("HM_RDWH", "HM_RDRQ", "HM_GZSDRQ"),
        }[code]
        assert {document, decided, notice} <= wanted
        assert {f.code for f in item.fields if f.source_required} >= {notice}


def test_an_item_cannot_name_a_kind_meaning_anyone() -> None:
    item, _ = ENTRIES["admin_penalty"]
    raw = item.model_dump(mode="json")
    raw["collection_source"] = [{"kind": "anyone", "description": "任何单位"}]
    with pytest.raises(ValueError, match="unknown collection source kind"):
        ItemCreate.model_validate(raw)
    raw["collection_source"] = []
    with pytest.raises(ValueError):
        ItemCreate.model_validate(raw)
