"""The label registry (issue 14 item 3): one label per code and language, and the services'
"中文 / English" messages shown in one language."""

from __future__ import annotations

from xinyong.core import labels


def test_codes_have_a_label_in_each_language() -> None:
    assert labels.label("item", "admin_penalty", "zh") == "行政处罚"
    assert labels.label("item", "admin_penalty", "en") == "Administrative penalty"
    assert labels.label("version_status", "published", "zh") == "已发布"
    assert labels.label("tier", "national", "en") == "National basic catalogue"
    assert labels.label("error", "subject_not_found", "zh") == "未找到该主体"
    assert labels.label("field", "CF_JDRQ", "en") != "CF_JDRQ"
    assert labels.label("severity", "unknown_code", "zh") == "unknown_code"  # shown as it is


def test_article_references_are_written_the_language_s_way() -> None:
    assert labels.article("Art. 26 ¶1", "zh") == "第二十六条第一款"
    assert labels.article("Art. 26 ¶1", "en") == "Article 26(1)"
    assert labels.article("Art. 33-34", "zh") == "第三十三条至第三十四条"
    assert labels.label("article", "Art. 14", "zh") == "第十四条"


def test_a_bilingual_message_keeps_the_half_in_the_page_language() -> None:
    assert labels.one_language("文件为空 / the file is empty", "zh") == "文件为空"
    assert labels.one_language("文件为空 / the file is empty", "en") == "the file is empty"
    joined = (
        "记录未通过校验 / the record is invalid — XDR_ZJHM: 自然人须填写证件号码 / a natural "
        "person needs an identity number; YZ_JDRQ: 必填项为空 / required"
    )
    zh = labels.one_language(joined, "zh")
    assert "invalid" not in zh
    assert "XDR_ZJHM" not in zh
    assert zh.startswith("记录未通过校验")
    en = labels.one_language(joined, "en")
    assert en.startswith("the record is invalid")
    assert "记录" not in en
    # one sentence each, with Chinese punctuation inside the Chinese half
    note = "期满后可申请修复；吊销证照的不得提前移出 / repairable after the period (Art. 36)"
    assert labels.one_language(note, "en") == "repairable after the period (Art. 36)"
    assert labels.one_language("不符合 / refused (Art. 26 ¶1)", "zh") == "不符合"
    # not bilingual: left as it is
    assert labels.one_language("张三丰", "en") == "张三丰"


def test_known_codes_are_what_pages_must_not_show_raw() -> None:
    codes = labels.known_codes()
    assert {"admin_penalty", "subject_not_found", "public_comment"} <= codes
    assert "published" not in codes  # one word: too common in prose to test for
