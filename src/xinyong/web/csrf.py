"""CSRF protection for the web pages' POST forms.

The token is an HMAC, under the secret key, of what binds the form to this browser: the session
cookie once logged in, else a random pre-login cookie (signed double submit). A site that cannot
read this browser's cookies cannot compute it, and it needs no storage and no database lookup,
so any template can print it with ``{{ csrf_token() }}``.

Page routers protect a POST with ``dependencies=[Depends(require_csrf)]`` (or ``CsrfDep``); the
form carries ``<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">``, htmx sends
the ``X-CSRF-Token`` header instead.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from jinja2 import pass_context

from xinyong.accounts.service import SESSION_COOKIE
from xinyong.core.config import Settings
from xinyong.core.errors import PermissionDenied
from xinyong.web.pages import templates

CSRF_COOKIE = "xinyong_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class CsrfFailed(PermissionDenied):
    code = "csrf_failed"


def _sign(request: Request, binding: str) -> str:
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    key = settings.secret_key.encode()
    return hmac.new(key, b"csrf\x00" + binding.encode(), hashlib.sha256).hexdigest()


def _cookie_binding(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or request.cookies.get(CSRF_COOKIE)


def csrf_token(request: Request) -> str:
    """The token this browser's forms must send back. Creates the pre-login cookie's value when
    the browser has none (the page's router then calls :func:`set_csrf_cookie`)."""
    binding = _cookie_binding(request)
    if binding is None:
        binding = getattr(request.state, "csrf_nonce", None)
        if binding is None:
            binding = secrets.token_urlsafe(32)
            request.state.csrf_nonce = binding
    return _sign(request, binding)


def set_csrf_cookie(request: Request, response: Response) -> None:
    """Send the pre-login cookie if this request created one."""
    nonce = getattr(request.state, "csrf_nonce", None)
    if nonce is not None and _cookie_binding(request) is None:
        response.set_cookie(
            CSRF_COOKIE,
            nonce,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )


async def require_csrf(request: Request) -> None:
    """Refuse (403 ``csrf_failed``) a state-changing form that does not carry this browser's
    token."""
    binding = _cookie_binding(request)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if binding is None or not sent or not hmac.compare_digest(sent, _sign(request, binding)):
        raise CsrfFailed(
            "表单已失效，请刷新页面后重试 / the form has expired; reload the page and try again"
        )


CsrfDep = Annotated[None, Depends(require_csrf)]


@pass_context
def _template_csrf_token(context: Any) -> str:
    return csrf_token(context["request"])


templates.env.globals["csrf_token"] = _template_csrf_token
