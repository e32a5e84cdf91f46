"""HTML → PDF for every document the platform issues (PLT-4), through WeasyPrint.

The CJK font set-up lives here, once: WeasyPrint draws only glyphs its fonts have, and a
document without a CJK family prints Chinese as empty boxes. The family is repeated in the
``@page`` margin boxes because they do not inherit from ``body`` (running headers and page
numbers would otherwise fall back to a Latin font). Needs ``fonts-noto-cjk`` on the host.

Speed: give margin boxes that carry content an explicit ``width``; with ``auto`` WeasyPrint
measures every margin box on every page, which can cost more than the body. Prefer paragraphs
to tables for long listings (tables are laid out several times). Everything that can be
built once is built once per thread: the font configuration (a scan of the system fonts),
the shared stylesheet and each document's own stylesheet file (``file_stylesheet``), so a
render is one parse of the HTML and one layout pass. The cyclic garbage collector waits
while a document renders (``_COLLECTOR``).

Threads: requests render in a thread pool. A font configuration wraps a Pango font map,
which Pango keeps one per thread (a map is not to be shared between threads), so each
thread builds its own configuration and the stylesheets parsed against it (about 10 ms,
once per thread) and nothing WeasyPrint builds is shared between threads.
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


class _ThreadFonts(threading.local):
    """This thread's font configuration and the stylesheets parsed against it."""

    def __init__(self) -> None:
        self.config: FontConfiguration | None = None
        self.sheets: dict[str, CSS] = {}

    def fonts(self) -> FontConfiguration:
        if self.config is None:
            self.config = FontConfiguration()  # scans the system fonts
        return self.config

    def stylesheet(self, text: str) -> CSS:
        sheet = self.sheets.get(text)
        if sheet is None:
            sheet = self.sheets[text] = CSS(string=text, font_config=self.fonts())
        return sheet


_THREAD = _ThreadFonts()


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


@cache
def _stylesheet_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def file_stylesheet(path: Path) -> CSS:
    """The stylesheet in ``path``, parsed once per thread (a document's own typography); to
    be used in the thread that asked for it."""
    return _THREAD.stylesheet(_stylesheet_text(path))


def render_document(
    html: str, *, base_url: str | None = None, stylesheets: Sequence[CSS] = ()
) -> Document:
    """Lay ``html`` out with the shared stylesheet, then ``stylesheets`` (parsed once by the
    caller, e.g. ``file_stylesheet``); the pages can be inspected (and written) in the same
    thread."""
    with _COLLECTOR.held():
        return HTML(string=html, base_url=base_url).render(
            stylesheets=[_THREAD.stylesheet(SHARED_CSS), *stylesheets],
            font_config=_THREAD.fonts(),
        )


def render_pdf(html: str, *, base_url: str | None = None, stylesheets: Sequence[CSS] = ()) -> bytes:
    """``html`` rendered to PDF bytes with the shared CJK stylesheet (and ``stylesheets``)."""
    with _COLLECTOR.held():
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
