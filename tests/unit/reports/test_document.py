"""The report document: the number on every page, the subject variants, the QR code, and the
shared CJK PDF renderer (PLT-4). No database."""

from __future__ import annotations

import base64
import gc
import io
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import qrcode
from PIL import Image

from tests.factories.reports import pdf_objects
from xinyong.documents import pdf as renderer
from xinyong.documents.pdf import page_texts, render_pdf
from xinyong.reports import document
from xinyong.reports.rules import SECTION_CODES

NUMBER = "XYBG-20260930-7K3QX9MD"


def content(*, person: bool, records: int) -> dict[str, Any]:
    record = {
        "item_name": "行政处罚",
        "document_no": "黔市监罚〔2026〕1号",
        "decided_on": "2026-06-01",
        "severity": "general",
        "under_objection": True,
        "window_ends_on": "2027-06-01",
        "fields": [
            ["处罚内容", "罚款人民币伍仟元整"],
            ["违法事实", "经查，当事人未按规定履行义务。"],
        ],
        "source": {
            "provider": "贵阳市市场监督管理局",
            "provider_code": "GY-SJJ",
            "channel": "api",
            "batch_id": None,
            "received_at": "2026-09-01T10:00:00+08:00",
        },
        "changes": [
            {"version": 2, "at": "2026-09-02T02:00:00+00:00", "actor": "李四", "reason": "更正"}
        ],
    }
    sections: list[dict[str, Any]] = [{"code": c, "records": []} for c in SECTION_CODES]
    sections[1]["records"] = [record] * records
    return {
        "number": NUMBER,
        "issued_at": "2026-09-30T10:00:00+08:00",
        "issued_to": "王小明",
        "subject": (
            {"type": "natural_person", "code": "11010519491231002X", "name": "王小明"}
            if person
            else {"type": "legal_person", "code": "91520000214434146R", "name": "贵州测试有限公司"}
        ),
        "records_count": records,
        "sections": sections,
        "verify_url": document.verify_url("https://xinyong.test/", NUMBER),
    }


def test_the_number_is_on_every_page_of_a_long_report() -> None:
    html = document.report_html(content(person=False, records=60), digest="ab" * 32)
    pages = page_texts(document.render_report(html))
    assert len(pages) >= 3
    for text in pages:
        assert f"报告编号 {NUMBER}" in text
    assert "统一社会信用代码" in pages[0]
    assert "异议处理中" in pages[0]
    assert "ab" * 32 in pages[0]
    assert "无记录" in pages[-1]  # empty sections say so
    assert "第 1 页 / 共" in pages[0]


def test_person_variant_and_times_in_beijing_time() -> None:
    html = document.report_html(content(person=True, records=1), digest="0" * 64)
    assert "公民身份号码" in html
    assert "统一社会信用代码" not in html
    assert "自然人" in html
    assert "2026-09-02 10:00" in html  # 02:00 UTC printed in the platform zone


def test_the_qr_code_leads_to_the_verification_page() -> None:
    url = document.verify_url("https://xinyong.test/", NUMBER)
    assert url == f"https://xinyong.test/reports/verify?number={NUMBER}"
    uri = document.qr_data_uri(url)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).startswith(b"<svg")


def test_the_printed_qr_code_is_the_code_module_for_module_and_not_smoothed() -> None:
    """The PDF's QR code (a PNG, one pixel per module) carries exactly the modules of the
    verification address's code, and the PDF tells viewers not to smooth it."""
    url = document.verify_url("https://xinyong.test/", NUMBER)
    uri = document.qr_png_data_uri(url)
    assert uri.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("L")
    code = qrcode.QRCode(border=4)
    code.add_data(url)
    code.make(fit=True)
    expected = code.get_matrix()
    assert image.size == (len(expected), len(expected))
    dark = [[image.getpixel((x, y)) == 0 for x in range(image.width)] for y in range(image.height)]
    assert dark == expected
    html = document.report_html(content(person=False, records=1), digest="ab" * 32)
    assert uri in html
    objects = pdf_objects(render_pdf(html, stylesheets=[document.report_stylesheet()]))
    assert re.search(rb"/Subtype\s*/Image", objects)
    assert re.search(rb"/Interpolate\s*false", objects)
    assert not re.search(rb"/Interpolate\s*true", objects)


def test_render_pdf_gives_a_pdf_with_chinese_text() -> None:
    pdf = render_pdf("<p>信用报告</p>")
    assert pdf.startswith(b"%PDF-")
    # The CJK font of the shared stylesheet is embedded: Chinese is drawn, not tofu boxes.
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+Noto-Sans-CJK-SC", pdf_objects(pdf))


def test_reports_render_side_by_side_in_threads() -> None:
    """Two reports rendered at once (each with a font configuration of its own) read as the
    one rendered alone, and the collector is back on after."""
    html = document.report_html(content(person=False, records=12), digest="cd" * 32)
    alone = page_texts(document.render_report(html))
    start = threading.Barrier(2)

    def render(_: int) -> tuple[list[str], bytes]:
        start.wait()
        data = content(person=False, records=12)
        return page_texts(document.render_report(html)), document.report_pdf(data, digest="cd" * 32)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(render, range(2)))
    for texts, pdf in results:
        assert texts == alone
        assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+Noto-Sans-CJK-SC", pdf_objects(pdf))
    assert gc.isenabled()


def test_a_font_configuration_is_lent_to_one_render_at_a_time() -> None:
    with renderer._FONTS.lent() as first, renderer._FONTS.lent() as second:
        assert second is not first  # a render running alongside gets another one
    with renderer._FONTS.lent() as again:
        assert again is first or again is second  # warm: not scanned anew


def test_the_collector_waits_for_the_last_render_running() -> None:
    assert gc.isenabled()
    with renderer._COLLECTOR.held():
        assert not gc.isenabled()
        # Another thread's render begins and ends inside this one: still off after it.
        worker = threading.Thread(target=render_pdf, args=("<p>信用报告</p>",))
        worker.start()
        worker.join()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()  # switched off by someone else: a render leaves it off
    try:
        render_pdf("<p>信用报告</p>")
        assert not gc.isenabled()
    finally:
        gc.enable()


def _text(html: str) -> str:
    body = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def test_the_report_is_printed_in_one_language() -> None:
    """Issue 14 item 3: no "一般 general" labels; Chinese or English, the digest the same."""
    data = content(person=False, records=1)
    data["sections"][1]["records"][0]["item"] = "admin_penalty"
    zh = _text(document.report_html(data, digest="0" * 64, lang="zh"))
    assert "一般失信" in zh
    assert "行政处罚" in zh
    words = re.sub(r"\S*[0-9/-]\S*", " ", zh)  # numbers, codes, addresses, SHA-256
    assert re.findall(r"[A-Za-z]{3,}", words) == []
    en = _text(document.report_html(data, digest="0" * 64, lang="en"))
    assert "General dishonesty" in en
    assert "Administrative penalty" in en
    assert "Report number" in en
    assert "报告编号" not in en
    assert "一般" not in en
