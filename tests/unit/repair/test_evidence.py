"""Proof attached to a repair application: strings, links, base64 files (Art. 36)."""

from __future__ import annotations

import base64
import hashlib

import pytest

from xinyong.core.errors import InvalidInput
from xinyong.repair.evidence import MAX_FILE_BYTES, MAX_ITEMS, parse_evidence


def test_strings_links_and_files() -> None:
    pdf = b"%PDF-1.4 receipt"
    items = parse_evidence(
        [
            "罚款缴纳凭证已线下提交",
            "https://example.org/receipt/1",
            {"name": "缴款书.pdf", "content_base64": base64.b64encode(pdf).decode()},
            {"name": "整改报告", "description": "已完成整改"},
        ]
    )
    assert items[0].description == "罚款缴纳凭证已线下提交"
    assert items[0].url == ""
    assert items[1].url == "https://example.org/receipt/1"
    assert items[2].content == pdf
    assert items[2].content_type == "application/pdf"
    assert items[2].metadata(7) == {
        "name": "缴款书.pdf",
        "description": "",
        "url": "",
        "content_type": "application/pdf",
        "size": len(pdf),
        "sha256": hashlib.sha256(pdf).hexdigest(),
        "file_id": 7,
    }
    assert items[3].content is None
    assert items[3].name == "整改报告"


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ({"name": "a.pdf", "content_base64": "not base64!"}, "not valid base64"),
        ({"content_base64": "AAAA"}, "needs its name"),
        ({"name": "x", "colour": "red"}, "unknown keys colour"),
        ("   ", "empty"),
        (42, "a string or an object"),
        ({}, "required"),
    ],
)
def test_bad_entries_are_named(entry: object, reason: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_evidence(["ok", entry])
    assert caught.value.details[0]["field"] == "evidence[1]"
    assert reason in caught.value.details[0]["reason"]


def test_limits() -> None:
    with pytest.raises(InvalidInput):
        parse_evidence(["x"] * (MAX_ITEMS + 1))
    big = base64.b64encode(b"0" * (MAX_FILE_BYTES + 1)).decode()
    with pytest.raises(InvalidInput, match="larger than"):
        parse_evidence([{"name": "big.bin", "content_base64": big}])
