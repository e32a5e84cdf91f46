"""What an objection's notices say it is about (Art. 32 ¶1: an objection to a record, to an
omission, or to how information was collected, disclosed or used)."""

from __future__ import annotations

import pytest

from xinyong.objections import rules


def test_art32_a_record_objection_names_the_record() -> None:
    assert rules.objection_matter(kind="record", record_id=42, item=None, channel=None) == (
        "信用记录 #42",
        "record #42",
    )


def test_art32_an_omission_names_the_missing_item() -> None:
    zh, en = rules.objection_matter(
        kind="omission", record_id=None, item="administrative_penalty", channel=None
    )
    assert zh == "信息项 administrative_penalty 的遗漏"
    assert en == "the omission of administrative_penalty"


def test_art32_a_handling_objection_names_item_and_channel_in_chinese() -> None:
    zh, en = rules.objection_matter(
        kind="handling", record_id=None, item="tax_arrears", channel="publicity"
    )
    assert zh == "信息（tax_arrears、公示）的采集、公开或使用"
    assert en == "how its information (tax_arrears, publicity) was collected, disclosed or used"


@pytest.mark.parametrize(
    ("item", "channel", "where_zh", "where_en"),
    [
        (None, "authorized", "授权查询", "authorized"),  # a channel only
        ("tax_arrears", None, "tax_arrears", "tax_arrears"),  # an item only
        (None, None, "", ""),  # neither: no dangling separator
        (None, "elsewhere", "elsewhere", "elsewhere"),  # an unknown channel is named as given
    ],
)
def test_art32_a_handling_objection_leaves_out_what_it_does_not_name(
    item: str | None, channel: str | None, where_zh: str, where_en: str
) -> None:
    zh, en = rules.objection_matter(kind="handling", record_id=None, item=item, channel=channel)
    assert zh == f"信息（{where_zh}）的采集、公开或使用"
    assert en == f"how its information ({where_en}) was collected, disclosed or used"


def test_art32_every_handling_channel_has_a_chinese_name() -> None:
    assert set(rules.CHANNEL_ZH) == set(rules.HANDLING_CHANNELS)
