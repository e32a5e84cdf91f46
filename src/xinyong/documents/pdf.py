"""HTML → PDF for every document the platform issues (PLT-4), through WeasyPrint.

The CJK font set-up lives here, once: WeasyPrint draws only glyphs its fonts have, and a
document without a CJK family prints Chinese as empty boxes. The family is repeated in the
``@page`` margin boxes because they do not inherit from ``body`` (running headers and page
numbers would otherwise fall back to a Latin font). Needs ``fonts-noto-cjk`` on the host.

Speed: give margin boxes that carry content an explicit ``width``; with ``auto`` WeasyPrint
measures every margin box on every page, which can cost more than the body. Prefer paragraphs
to tables for long listings (tables are laid out several times). Everything that can be
built once is built once per process: the font configuration (a scan of the system fonts),
the shared stylesheet and each document's own stylesheet file (``file_stylesheet``), so a
render is one parse of the HTML and one layout pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from weasyprint import CSS, HTML, Document
from weasyprint.text.fonts import FontConfiguration

#: Sans first (screen-like body text), serif as the fallback some hosts ship alone.
CJK_FONT_FAMILY = '"Noto Sans CJK SC", "Noto Serif CJK SC", "Noto Sans SC", sans-serif'

SHARED_CSS = f"""
@page {{
  size: A4;
  margin: 22mm 16mm 20mm 16mm;
  @top-left {{ font-family: {CJK_FONT_FAMILY}; font-size: 8pt; color: #555; }}
  @top-center {{ font-family: {CJK_FONT_FAMILY}; font-size: 8pt; color: #555; }}
  @top-right {{ font-family: {CJK_FONT_FAMILY}; font-size: 8pt; color: #555; }}
  @bottom-left {{ font-family: {CJK_FONT_FAMILY}; font-size: 8pt; color: #555; }}
  @bottom-center {{ font-family: {CJK_FONT_FAMILY}; font-size: 8pt; color: #555; }}
  @bottom-right {{ font-family: {CJK_FONT_FAMILY}; font-size: 8pt; color: #555; }}
}}
html {{ font-family: {CJK_FONT_FAMILY}; font-size: 10pt; line-height: 1.45; color: #111; }}
h1, h2, h3, h4 {{ font-family: {CJK_FONT_FAMILY}; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 0.5pt solid #999; padding: 2pt 4pt; vertical-align: top; text-align: left; }}
"""


@cache
def _fonts() -> FontConfiguration:
    # Building the font configuration scans the system fonts; one per process is enough.
    return FontConfiguration()


@cache
def _shared_stylesheet() -> CSS:
    return CSS(string=SHARED_CSS, font_config=_fonts())


@cache
def file_stylesheet(path: Path) -> CSS:
    """The stylesheet in ``path``, parsed once per process (a document's own typography)."""
    return CSS(string=path.read_text(encoding="utf-8"), font_config=_fonts())


def render_document(
    html: str, *, base_url: str | None = None, stylesheets: Sequence[CSS] = ()
) -> Document:
    """Lay ``html`` out with the shared stylesheet, then ``stylesheets`` (parsed once by the
    caller, e.g. ``file_stylesheet``); the pages can be inspected before writing."""
    return HTML(string=html, base_url=base_url).render(
        stylesheets=[_shared_stylesheet(), *stylesheets], font_config=_fonts()
    )


def render_pdf(html: str, *, base_url: str | None = None, stylesheets: Sequence[CSS] = ()) -> bytes:
    """``html`` rendered to PDF bytes with the shared CJK stylesheet (and ``stylesheets``)."""
    pdf = render_document(html, base_url=base_url, stylesheets=stylesheets).write_pdf()
    assert isinstance(pdf, bytes), "write_pdf without a target returns the bytes"
    return pdf


def page_texts(document: Document) -> list[str]:
    """The text laid out on each page, margin boxes (running headers, numbers) included —
    what a reader sees on the page, for checks such as "the number is on every page"."""
    texts: list[str] = []
    for page in document.pages:
        parts: list[str] = []
        _collect(page._page_box, parts)
        texts.append("".join(parts))
    return texts


def _collect(box: object, parts: list[str]) -> None:
    text = getattr(box, "text", None)
    if isinstance(text, str):
        parts.append(text)
    for child in getattr(box, "children", ()) or ():
        _collect(child, parts)
