"""Languages of the web pages (PLT-3): Chinese by default, English by a switch.

Templates write English msgids, ``{{ _("Credit search") }}``, with ``%(name)s`` placeholders
filled from keyword arguments: ``{{ _("Clock frozen at %(when)s", when=t) }}``. The Chinese
catalogue is ``web/locale/zh_Hans_CN/LC_MESSAGES/messages.po``; English needs no catalogue
because the msgids are English.

Why the catalogues are compiled at run time: only the ``.po`` files live in the repository and
they are compiled in memory on first use (``read_po`` → ``write_mo`` → ``Translations``), once
per process. A committed ``.mo`` would be a second copy that silently drifts from the ``.po``
when someone forgets to rebuild it, and a build step is one more thing a newcomer must know.
Compiling a few hundred messages takes milliseconds.

Adding or changing a message::

    .venv/bin/pybabel extract -F src/xinyong/web/babel.cfg -o /tmp/xinyong.pot src/xinyong/web
    .venv/bin/pybabel update -i /tmp/xinyong.pot -d src/xinyong/web/locale -l zh_Hans_CN \\
        --no-fuzzy-matching

then fill in the empty ``msgstr`` lines. ``tests/unit/web/test_i18n.py`` fails while a msgid
used in a template has no Chinese translation.

The language of a request: ``?lang=`` in the query, else the ``lang`` cookie (set by
``GET /lang/{code}``), else Chinese. ``Accept-Language`` is deliberately ignored: the platform
is a Chinese public service and Chinese is its default for everyone, whatever the browser says.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
#: Name of the cookie that remembers the chosen language.
LANG_COOKIE = "lang"


@dataclass(frozen=True, slots=True)
class Language:
    """A language the pages are offered in."""

    #: Short code used in URLs and the cookie (``/lang/en``, ``?lang=zh``).
    code: str
    #: Babel locale identifier (names the catalogue directory).
    locale: str
    #: BCP 47 tag for ``<html lang>`` and ``Content-Language``.
    html_lang: str
    #: The language's name in itself, as the switch shows it.
    label: str


ZH = Language(code="zh", locale="zh_Hans_CN", html_lang="zh-CN", label="中文")
EN = Language(code="en", locale="en", html_lang="en", label="English")
DEFAULT = ZH
LANGUAGES: tuple[Language, ...] = (ZH, EN)

_ALIASES = {
    "zh": ZH,
    "zh-cn": ZH,
    "zh_cn": ZH,
    "zh-hans": ZH,
    "zh_hans": ZH,
    "zh-hans-cn": ZH,
    "zh_hans_cn": ZH,
    "en": EN,
    "en-us": EN,
    "en_us": EN,
    "en-gb": EN,
    "en_gb": EN,
}


def parse_language(value: str | None) -> Language | None:
    """The language a code names (``zh``, ``zh-CN``, ``zh_Hans_CN``, ``en``…), or None."""
    if not value:
        return None
    return _ALIASES.get(value.strip().lower())


def choose_language(query_value: str | None, cookie_value: str | None) -> Language:
    """The query parameter wins over the cookie; anything unknown falls back to Chinese."""
    return parse_language(query_value) or parse_language(cookie_value) or DEFAULT


@cache
def translations(locale: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``locale``; identity translations when there is none."""
    po_path = LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.is_file():
        return gettext.NullTranslations()
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=locale, domain=DOMAIN)
    buffer = io.BytesIO()
    # Fuzzy entries are guesses by ``pybabel update``: showing them would be worse than English.
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def _format(text: str, values: dict[str, Any]) -> str:
    return text % values if values else text


def make_gettext(t: gettext.NullTranslations) -> Callable[..., str]:
    def _(message: str, **values: Any) -> str:
        return _format(t.gettext(message), values)

    return _


def make_ngettext(t: gettext.NullTranslations) -> Callable[..., str]:
    def ngettext(singular: str, plural: str, n: int, **values: Any) -> str:
        return _format(t.ngettext(singular, plural, n), {"num": n, **values})

    return ngettext


def make_pgettext(t: gettext.NullTranslations) -> Callable[..., str]:
    """For a msgid that means two things: ``pgettext("publicity", "Public")``."""

    def pgettext(context: str, message: str, **values: Any) -> str:
        return _format(t.pgettext(context, message), values)

    return pgettext


def gettext_callables(language: Language) -> dict[str, Callable[..., str]]:
    """``_``, ``gettext``, ``ngettext`` and ``pgettext`` bound to ``language``, for a render
    context."""
    t = translations(language.locale)
    _ = make_gettext(t)
    return {"_": _, "gettext": _, "ngettext": make_ngettext(t), "pgettext": make_pgettext(t)}


# The language being rendered, for code that has no render context: macros imported without
# ``with context`` see only the environment's globals, whose ``_`` reads this variable. A context
# variable (not a mutable global) keeps concurrent requests apart.
_active: ContextVar[Language] = ContextVar("xinyong_language", default=DEFAULT)


@contextmanager
def activate(language: Language) -> Iterator[None]:
    token = _active.set(language)
    try:
        yield
    finally:
        _active.reset(token)


def active_language() -> Language:
    return _active.get()


def gettext_active(message: str, **values: Any) -> str:
    """``_`` for the environment's globals: translates into the active language."""
    return make_gettext(translations(_active.get().locale))(message, **values)


def ngettext_active(singular: str, plural: str, n: int, **values: Any) -> str:
    return make_ngettext(translations(_active.get().locale))(singular, plural, n, **values)


def pgettext_active(context: str, message: str, **values: Any) -> str:
    return make_pgettext(translations(_active.get().locale))(context, message, **values)
