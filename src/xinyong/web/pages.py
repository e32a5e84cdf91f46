"""Template environment shared by every page router, and ``render``.

Every page gets in its context: ``actor`` (core.actor.Actor, never None), ``frozen_at``
(platform-local datetime, or None on a live clock), ``lang`` (web.i18n.Language),
``languages``, ``lang_next`` (where the language switch returns to), ``request_id``, and the
per-request ``_``/``gettext``/``ngettext``/``pgettext`` of web.i18n. Filter: ``localtime``
(aware datetime → ``YYYY-MM-DD HH:MM`` in the platform zone); ``label`` (a stable code → its
label in the page language, from ``core.labels``: ``{{ item.code|label("item") }}``);
``one_language`` (a service's "中文 / English" message → the half in the page language).
Stable codes also get their label with
``{% from "partials/vocabulary.html" import term %}{{ term("publicity", item.publicity) }}``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import SQLAlchemyError

from xinyong.accounts import service as accounts
from xinyong.core import labels
from xinyong.core.actor import ANONYMOUS, Actor
from xinyong.core.clock import PLATFORM_ZONE, Clock
from xinyong.core.config import Settings
from xinyong.core.context import current_request_id
from xinyong.core.errors import XinyongError
from xinyong.web import i18n, terms
from xinyong.web.kept import kept_on

TEMPLATES_DIR = Path(__file__).parent / "templates"
templates = Jinja2Templates(directory=TEMPLATES_DIR)
# The templates ship with the package and change only with a new release (a restart): no
# checking every template's file on every render (issue 16 item 1).
templates.env.auto_reload = False
# Each render passes its own ``_`` in the context; these globals only serve macros imported
# without context, and read the language of the render in progress (web.i18n.activate).
templates.env.globals["_"] = i18n.gettext_active
templates.env.globals["gettext"] = i18n.gettext_active
templates.env.globals["ngettext"] = i18n.ngettext_active
templates.env.globals["pgettext"] = i18n.pgettext_active
templates.env.globals["term_label"] = terms.term_label


def localtime(value: datetime | None) -> str:
    """An instant as platform-local ``YYYY-MM-DD HH:MM`` (what staff read on paper notices)."""
    if value is None:
        return ""
    return value.astimezone(PLATFORM_ZONE).strftime("%Y-%m-%d %H:%M")


templates.env.filters["localtime"] = localtime


def _lang_code() -> str:
    return i18n.active_language().code


def label_filter(code: object, vocabulary: str) -> str:
    """``{{ item.severity|label("severity") }}`` → 一般失信 / General dishonesty: the label of a
    stable code in the page's language (core.labels, one registry for pages, errors, PDFs)."""
    return labels.label(vocabulary, code, _lang_code())


def one_language_filter(message: object) -> str:
    """``{{ problem.message|one_language }}``: the half of a service's "中文 / English"
    message in the page's language (core.labels.one_language)."""
    return labels.one_language(None if message is None else str(message), _lang_code())


def item_name_filter(code: object, stored: str | None = None) -> str:
    """``{{ r.item|item_name(r.item_name) }}``: a catalogue item's name in the page language —
    the stored (Chinese) name in Chinese, the registry's English name in English; an item the
    registry does not know (added by the credit office) keeps its stored name."""
    code = getattr(code, "value", code)
    return _registry_name(code, stored, labels.lookup("item"), _lang_code() == "zh")


def _registry_name(code: object, stored: str | None, names: Mapping[str, Any], zh: bool) -> str:
    """An item's or a field's name: the stored (Chinese) one in Chinese, the registry's
    English one in English; a code the registry does not know keeps its stored name."""
    known = names.get(str(code))
    if known is None:
        return stored or str(code)
    return (stored or known[0]) if zh else known[1]


def field_name_filter(code: object, stored: str | None = None) -> str:
    """``{{ code|field_name(r.field_names.get(code)) }}``: a field's name in the page language."""
    return _registry_name(code, stored, labels.lookup("field"), _lang_code() == "zh")


def field_rows_filter(record: Any) -> list[tuple[str, Any]]:
    """``{% for name, value in r|field_rows %}``: a record's fields as (name in the page
    language, value), in one call per record rather than a filter call per field (a subject
    page lists hundreds of fields; issue 16 item 1)."""
    names, stored = labels.lookup("field"), record.field_names or {}
    zh = _lang_code() == "zh"
    return [
        (_registry_name(code, stored.get(code), names, zh), value)
        for code, value in record.fields.items()
    ]


templates.env.filters["label"] = label_filter
templates.env.filters["field_rows"] = field_rows_filter
templates.env.filters["item_name"] = item_name_filter
templates.env.filters["field_name"] = field_name_filter
templates.env.filters["one_language"] = one_language_filter


def request_language(request: Request) -> i18n.Language:
    return i18n.choose_language(
        request.query_params.get("lang"), request.cookies.get(i18n.LANG_COOKIE)
    )


def safe_next(target: str | None) -> str:
    """A local path to return to; anything else (other hosts, ``//evil``, ``\\``) becomes ``/``."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _return_path(request: Request) -> str:
    """This page's path and query without ``lang``, for the language switch to come back to."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return request.url.path + (f"?{urlencode(query)}" if query else "")


def current_actor(request: Request) -> Actor:
    """The actor a dependency already resolved, else resolved here (error pages, pages whose
    router did not ask for ``ActorDep``), so the header never shows "log in" to a logged-in user.
    """
    actor = getattr(request.state, "actor", None)
    if isinstance(actor, Actor):
        return actor
    factory: Callable[[], Any] | None = getattr(request.app.state, "session_factory", None)
    clock = getattr(request.app.state, "clock", None)
    settings = getattr(request.app.state, "settings", None)
    cookie = request.cookies.get(accounts.SESSION_COOKIE)
    if factory is None or cookie is None or not isinstance(clock, Clock):
        return ANONYMOUS
    if not isinstance(settings, Settings):
        return ANONYMOUS
    session = factory()
    try:
        resolved = accounts.resolve_actor(
            session, bearer=None, session_cookie=cookie, at=clock.now(), settings=settings
        )
    except (XinyongError, SQLAlchemyError):
        # An expired session or an unreachable database must not turn a page into a 500.
        resolved = ANONYMOUS
    finally:
        session.rollback()
        session.close()
    request.state.actor = resolved
    return resolved


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    language = request_language(request)
    ctx: dict[str, Any] = {
        "actor": current_actor(request),
        "lang": language,
        "languages": i18n.LANGUAGES,
        "lang_next": _return_path(request),
        "request_id": current_request_id(),
    }
    clock = getattr(request.app.state, "clock", None)
    ctx["frozen_at"] = clock.local_now() if isinstance(clock, Clock) and clock.frozen else None
    settings = getattr(request.app.state, "settings", None)
    ctx["dev_secret"] = isinstance(settings, Settings) and settings.uses_dev_secret()
    ctx.update(i18n.gettext_callables(language))
    ctx.update(context or {})
    if ctx["actor"] is None:
        ctx["actor"] = ANONYMOUS
    all_headers = {"Content-Language": language.html_lang, "Vary": "Cookie"}
    all_headers.update(headers or {})
    # Starlette renders inside TemplateResponse(), so the active language covers the render.
    with i18n.activate(language):
        return templates.TemplateResponse(
            request, name, ctx, status_code=status_code, headers=all_headers
        )


def render_shared(
    request: Request, name: str, context_of: Callable[[], dict[str, Any]], *, key: str
) -> HTMLResponse:
    """A page every visitor without an account sees alike, rendered once per ``key``.

    ``key`` names everything the page shows besides the language, this path and the frozen
    clock — for a public subject page, its stored document as published (issue 16 item 1):
    a new publication is a new key, so a kept page is never older than the store. A visitor
    with an account gets a fresh render (the header names them). Nothing request-specific is
    on such a page: the CSRF token is written for accounts only, the request id on error
    pages only.
    """
    if not current_actor(request).is_anonymous:
        return render(request, name, context_of())
    language = request_language(request)
    clock = getattr(request.app.state, "clock", None)
    frozen = clock.local_now() if isinstance(clock, Clock) and clock.frozen else None
    # The key's digest, not the key: a stored document can be tens of kilobytes.
    digest = hashlib.blake2b(key.encode(), digest_size=16).digest()
    cache_key = (name, language.code, _return_path(request), frozen, digest)
    pages = kept_on(request.app.state, "shared_pages")
    body = pages.get(cache_key)
    if body is not None:
        headers = {"Content-Language": language.html_lang, "Vary": "Cookie"}
        return HTMLResponse(body, headers=headers)
    response = render(request, name, context_of())
    pages.put(cache_key, bytes(response.body))
    return response


def render_error_page(
    request: Request,
    status: int,
    code: str,
    message: str,
    *,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    # Starlette's own 404/405 carry only the English status phrase as message; the page shows
    # its translated title instead of repeating that phrase.
    shown = "" if message in (phrase, code) else message
    return render(
        request,
        "error.html",
        {"status": status, "code": code, "message": shown},
        status_code=status,
        headers=headers,
    )
