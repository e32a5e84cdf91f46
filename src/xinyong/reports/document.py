"""The credit report as a document: its HTML (``web/templates/reports/report.html``), the QR
code that leads to the verification page, and the PDF (RGT-1; PLT-4).

The template is read as a file rather than through the web package, so that the service can
issue a report from the CLI or a job as well as from a request.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from jinja2 import Environment, FileSystemLoader, select_autoescape

from xinyong.core import labels
from xinyong.core.clock import PLATFORM_ZONE
from xinyong.documents.pdf import render_pdf
from xinyong.reports.rules import SECTIONS

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "web" / "templates"
REPORT_TEMPLATE = "reports/report.html"
VERIFY_PATH = "/reports/verify"


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["localtime"] = _localtime
    return env


def _localtime(value: str) -> str:
    return datetime.fromisoformat(value).astimezone(PLATFORM_ZONE).strftime("%Y-%m-%d %H:%M")


def verify_url(base: str, number: str) -> str:
    """Where the QR code and the printed link lead: the public verification page."""
    return f"{base.rstrip('/')}{VERIFY_PATH}?{urlencode({'number': number})}"


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG data URI (vector: sharp at any print size, no Pillow)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    svg = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _field_name(lang: str) -> Callable[[str], str]:
    """A printed field name (the content holds the Chinese one) in ``lang``."""
    english = {zh: en for zh, en in labels.vocabulary("field").values()}

    def name(zh: str) -> str:
        return zh if lang == "zh" else english.get(zh, zh)

    return name


def _item_name(lang: str) -> Callable[[str, str], str]:
    items = labels.vocabulary("item")

    def name(code: str, stored: str) -> str:
        known = items.get(code)
        if known is None or lang == "zh":
            return stored or (known[0] if known else code)
        return known[1]

    return name


def report_html(content: dict[str, Any], *, digest: str, lang: str = "zh") -> str:
    """The report's HTML, from exactly the ``content`` whose digest is printed on it, in the
    requester's language (``zh`` or ``en``)."""
    en = lang == "en"
    template = _environment().get_template(REPORT_TEMPLATE)
    return template.render(
        c=content,
        digest=digest,
        sections=SECTIONS,
        qr=qr_data_uri(content["verify_url"]),
        en=en,
        t=lambda zh, english: english if en else zh,
        label=lambda vocabulary, code: labels.label(vocabulary, code, lang),
        item_name=_item_name(lang),
        field_name=_field_name(lang),
    )


def report_pdf(content: dict[str, Any], *, digest: str, lang: str = "zh") -> bytes:
    return render_pdf(report_html(content, digest=digest, lang=lang))


SPECIAL_TEMPLATE = "reports/special_report.html"


def special_html(content: dict[str, Any], *, digest: str) -> str:
    """The special credit report's HTML, from exactly the ``content`` whose digest it prints."""
    template = _environment().get_template(SPECIAL_TEMPLATE)
    return template.render(c=content, digest=digest, qr=qr_data_uri(content["verify_url"]))


def special_pdf(content: dict[str, Any], *, digest: str) -> bytes:
    return render_pdf(special_html(content, digest=digest))
