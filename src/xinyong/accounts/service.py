"""Accounts use cases. (Stub: resolves everyone as the public until accounts land.)"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from xinyong.core.actor import ANONYMOUS, Actor
from xinyong.core.config import Settings

SESSION_COOKIE = "xinyong_session"


def resolve_actor(
    session: Session,
    *,
    bearer: str | None,
    session_cookie: str | None,
    at: datetime,
    settings: Settings,
) -> Actor:
    return ANONYMOUS
