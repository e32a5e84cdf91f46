"""``/watches`` (关注) and ``/me/watchers``: organisations follow subjects they may see."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from xinyong.watches import service
from xinyong.web.deps import ActingDep, ActorDep, SessionDep
from xinyong.web.params import Id

router = APIRouter(tags=["watches"])


class WatchCreate(BaseModel):
    subject: str = Field(min_length=1, max_length=64)


@router.post("/watches", status_code=201)
def add_watch(body: WatchCreate, request: Request, acting: ActingDep) -> dict[str, Any]:
    limit = request.app.state.settings.max_watches
    return service.watch_read(acting(service.add_watch, subject_code=body.subject, limit=limit))


@router.get("/watches")
def list_watches(session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    return {"items": [service.watch_read(w) for w in service.list_watches(session, actor=actor)]}


@router.delete("/watches/{watch_id}", status_code=204)
def end_watch(watch_id: Id, acting: ActingDep) -> None:
    acting(service.end_watch, watch_id=watch_id)


@router.get("/me/watchers")
def my_watchers(session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    return {"items": [service.watch_read(w) for w in service.my_watchers(session, actor=actor)]}
