"""HTML → PDF for every document the platform issues (PLT-4), through WeasyPrint.

The CJK font set-up lives here, once: WeasyPrint draws only glyphs its fonts have, and a
document without a CJK family prints Chinese as empty boxes. The family is repeated in the
``@page`` margin boxes because they do not inherit from ``body`` (running headers and page
numbers would otherwise fall back to a Latin font). Needs ``fonts-noto-cjk`` on the host.

Speed: give margin boxes that carry content an explicit ``width``; with ``auto`` WeasyPrint
measures every margin box on every page, which can cost more than the body. Prefer paragraphs
to tables for long listings (tables are laid out several times). Everything that can be
built once is built once per process: the shared stylesheet and each document's own
stylesheet file (``file_stylesheet``), and the font configurations (a scan of the system
fonts), lent to one render at a time (``_FONTS``); a render is one parse of the HTML and one
layout pass. The cyclic garbage collector waits while a document renders (``_COLLECTOR``).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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


class _FontConfigurations:
    """Font configurations lent to one render at a time, built when none is free.

    A configuration wraps a Pango font map, which is not to be used by two threads at once
    (Pango gives each thread its own default map). Requests render in a thread pool whose
    idle threads end after a few seconds, so one configuration per thread would scan the
    fonts and load the CJK faces again on most requests; lending keeps them warm and never
    shares one between renders running together. There are as many as renders ever ran at
    once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._free: list[FontConfiguration] = []

    @contextmanager
    def lent(self) -> Iterator[FontConfiguration]:
        with self._lock:
            fonts = self._free.pop() if self._free else None
        if fonts is None:
            fonts = FontConfiguration()  # scans the system fonts
        try:
            yield fonts
        finally:
            with self._lock:
                self._free.append(fonts)


_FONTS = _FontConfigurations()


class _CollectorPause:
    """Holds the cyclic garbage collector off while any thread renders a document.

    A render allocates several hundred thousand objects that live until it ends (boxes,
    styles, glyph runs): the collector would run hundreds of times over them and, on a
    process holding a database session's objects, take a sixth of a report's time. The
    cycles a render leaves are collected once when the last render running ends. The
    collector's switch is process-wide, so renders in several threads count themselves in
    and out under a lock; it is switched back on only if it was on."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._renders = 0
        self._switch_back = False

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._lock:
            if self._renders == 0:
                self._switch_back = gc.isenabled()
                gc.disable()
            self._renders += 1
        try:
            yield
        finally:
            with self._lock:
                self._renders -= 1
                if self._renders == 0 and self._switch_back:
                    gc.enable()


_COLLECTOR = _CollectorPause()


# Stylesheets are parsed without a font configuration (it only loads @font-face rules, which
# these do not have: the fonts are the system's) and shared by every render: WeasyPrint only
# reads a parsed stylesheet, as it does its own user-agent sheets.
@cache
def _shared_stylesheet() -> CSS:
    return CSS(string=SHARED_CSS)


@cache
def file_stylesheet(path: Path) -> CSS:
    """The stylesheet in ``path``, parsed once per process (a document's own typography)."""
    return CSS(string=path.read_text(encoding="utf-8"))


def _layout(
    html: str, base_url: str | None, stylesheets: Sequence[CSS], fonts: FontConfiguration
) -> Document:
    return HTML(string=html, base_url=base_url).render(
        stylesheets=[_shared_stylesheet(), *stylesheets], font_config=fonts
    )


def render_document(
    html: str, *, base_url: str | None = None, stylesheets: Sequence[CSS] = ()
) -> Document:
    """Lay ``html`` out with the shared stylesheet, then ``stylesheets`` (parsed once by the
    caller, e.g. ``file_stylesheet``), to inspect the pages. The document keeps a font
    configuration of its own (the caller may still draw it), so this costs a font scan more
    than ``render_pdf``."""
    with _COLLECTOR.held():
        return _layout(html, base_url, stylesheets, FontConfiguration())


def render_pdf(html: str, *, base_url: str | None = None, stylesheets: Sequence[CSS] = ()) -> bytes:
    """``html`` rendered to PDF bytes with the shared CJK stylesheet (and ``stylesheets``)."""
    with _FONTS.lent() as fonts, _COLLECTOR.held():
        pdf = _layout(html, base_url, stylesheets, fonts).write_pdf()
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
