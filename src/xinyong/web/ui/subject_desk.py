"""The credit subject's desk additions (DESIGN §6): beside each record of "my credit", its
objections and repair applications with their state, and the buttons to object and to apply for
repair (``record_procedures``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.core.actor import Actor
from xinyong.objections import service as objections
from xinyong.repair import service as repairs


def record_procedures(session: Session, actor: Actor, at: datetime) -> dict[str, Any]:
    """``objections_by_record``, ``repairs_by_record`` (record id → list, newest first) and
    ``repairable_ids`` (the records a repair may be applied for) of the acting subject."""
    by_objection: dict[int, list[Any]] = {}
    for o in objections.list_objections(session, actor=actor, at=at).items:
        if o.record_id is not None:
            by_objection.setdefault(o.record_id, []).append(o)
    by_repair: dict[int, list[Any]] = {}
    for r in repairs.list_repairs(session, actor=actor, at=at).items:
        by_repair.setdefault(r.record_id, []).append(r)
    for rows in (*by_objection.values(), *by_repair.values()):
        rows.sort(key=lambda x: x.id, reverse=True)
    repairable = {
        e.record_id for e in repairs.repairable_records(session, actor=actor, at=at) if e.repairable
    }
    return {
        "objections_by_record": by_objection,
        "repairs_by_record": by_repair,
        "repairable_ids": repairable,
    }
