"""The credit report as a document: its HTML (``web/templates/reports/report.html``), the QR
code that leads to the verification page, and the PDF (RGT-1; PLT-4).

The template is read as a file rather than through the web package, so that the service can
issue a report from the CLI or a job as well as from a request.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import qrcode
from jinja2 import Environment, FileSystemLoader, Template, select_autoescape
from PIL import Image
from weasyprint import CSS, Document

from xinyong.core import labels
from xinyong.core.clock import PLATFORM_ZONE
from xinyong.documents.pdf import file_stylesheet, render_document, render_pdf
from xinyong.reports.rules import SECTIONS

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "web" / "templates"
REPORT_TEMPLATE = "reports/report.html"
#: The report's typography, parsed once per process (the template keeps the page furniture).
REPORT_CSS = TEMPLATES_DIR / "reports" / "report.css"
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


@cache
def _template(name: str) -> Template:
    """A template compiled once per process."""
    return _environment().get_template(name)


def report_stylesheet() -> CSS:
    """The credit report's own stylesheet (``report.css``), parsed once per process."""
    return file_stylesheet(REPORT_CSS)


def _localtime(value: str) -> str:
    return datetime.fromisoformat(value).astimezone(PLATFORM_ZONE).strftime("%Y-%m-%d %H:%M")


def verify_url(base: str, number: str) -> str:
    """Where the QR code and the printed link lead: the public verification page."""
    return f"{base.rstrip('/')}{VERIFY_PATH}?{urlencode({'number': number})}"


def _qr_matrix(text: str) -> list[list[bool]]:
    """The modules of a QR code of ``text``, dark ``True``, quiet zone of 4 included."""
    code = qrcode.QRCode(border=4)
    code.add_data(text)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    return matrix


def qr_png_data_uri(text: str) -> str:
    """A QR code of ``text`` as a PNG data URI, one pixel per module, for the PDF documents.

    Their stylesheet draws it with ``image-rendering: pixelated``: the PDF marks the image not
    to be smoothed, so each module prints as a sharp square at any size. WeasyPrint embeds the
    pixels as they are, where the SVG of :func:`qr_data_uri` cost it about 10 ms of path
    parsing per report (issue 16: the report PDF's 0.5 s)."""
    matrix = _qr_matrix(text)
    size = len(matrix)
    image = Image.new("1", (size, size), 1)
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG data URI (vector: sharp at any size on a page).

    One path with a rectangle per horizontal run of dark modules (quiet zone of 4 included):
    the same picture as one square per module, with a fraction of the path commands."""
    matrix = _qr_matrix(text)
    size = len(matrix)
    parts: list[str] = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < size and row[x]:
                x += 1
            parts.append(f"M{start} {y}h{x - start}v1h{start - x}z")
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}mm" height="{size}mm" '
        f'viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
        f'<path d="{"".join(parts)}" fill="#000"/></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


@cache
def _field_name(lang: str) -> Callable[[str], str]:
    """A printed field name (the content holds the Chinese one) in ``lang``."""
    english = {zh: en for zh, en in labels.vocabulary("field").values()}

    def name(zh: str) -> str:
        return zh if lang == "zh" else english.get(zh, zh)

    return name


@cache
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
    return _template(REPORT_TEMPLATE).render(
        c=content,
        digest=digest,
        sections=SECTIONS,
        qr=qr_png_data_uri(content["verify_url"]),
        en=en,
        t=lambda zh, english: english if en else zh,
        label=lambda vocabulary, code: labels.label(vocabulary, code, lang),
        item_name=_item_name(lang),
        field_name=_field_name(lang),
    )


def render_report(html: str) -> Document:
    """The report's pages laid out as they are printed (for checks of what is on each page)."""
    return render_document(html, stylesheets=[report_stylesheet()])


def report_pdf(content: dict[str, Any], *, digest: str, lang: str = "zh") -> bytes:
    """The report as PDF: its HTML laid out once with the cached fonts and stylesheets."""
    html = report_html(content, digest=digest, lang=lang)
    return render_pdf(html, stylesheets=[report_stylesheet()])


SPECIAL_TEMPLATE = "reports/special_report.html"


def special_html(content: dict[str, Any], *, digest: str) -> str:
    """The special credit report's HTML, from exactly the ``content`` whose digest it prints."""
    template = _environment().get_template(SPECIAL_TEMPLATE)
    return template.render(c=content, digest=digest, qr=qr_png_data_uri(content["verify_url"]))


def special_pdf(content: dict[str, Any], *, digest: str) -> bytes:
    return render_pdf(special_html(content, digest=digest))
