"""Measure lists (Art. 21, 23, 24; MEA-1): draft → public comment → reported → published,
mirroring the catalogue's lifecycle and its transition rule. A local supplementary measure is
published only with its legal basis (Art. 24 para. 2–4).

The other use cases live beside this module and are re-exported here: credit checks and applied
measures (``checks``), notice-then-decision of disciplinary measures (``procedure``), lifting
measures with their ground (``lifting``), spot-check draws (``spotchecks``), commitments
(``commitments``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from xinyong.audit.service import record_event
from xinyong.catalogue.models import VersionStatus
from xinyong.catalogue.rules import transition_allowed
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, InvalidInput, NotFound
from xinyong.measures import reference, rules
from xinyong.measures import repository as repo
from xinyong.measures.access import MANAGE, READ_LISTS, require_role
from xinyong.measures.checks import grade_subject, my_measures, record_applied, run_check
from xinyong.measures.commitments import (
    list_commitments,
    mark_breached,
    mark_fulfilled,
    record_commitment,
)
from xinyong.measures.lifting import lift_measures_grounded_on
from xinyong.measures.models import Measure, MeasureOpinion, MeasureTier
from xinyong.measures.procedure import (
    answer_statement,
    check_measures,
    decide_measure,
    state_defence,
)
from xinyong.measures.schemas import MeasureCreate, MeasureRead, OpinionCreate
from xinyong.measures.spotchecks import draw_spot_check, get_draw, rederive_draw

__all__ = [
    "advance_measure",
    "answer_statement",
    "check_measures",
    "decide_measure",
    "draft_measure",
    "draw_spot_check",
    "get_draw",
    "grade_subject",
    "lift_measures_grounded_on",
    "list_commitments",
    "list_measures",
    "load_shipped_measures",
    "mark_breached",
    "mark_fulfilled",
    "my_measures",
    "publish_measure",
    "record_applied",
    "record_commitment",
    "record_measure_opinion",
    "rederive_draw",
    "run_check",
    "state_defence",
]

REASON = "随平台发布的措施清单 / measure list shipped with the platform"
S = VersionStatus


class MeasureExists(Conflict, code="measure_exists"): ...


class IllegalTransition(Conflict, code="illegal_transition"): ...


def draft_measure(
    session: Session, *, actor: Actor, data: MeasureCreate, at: datetime, reason: str | None = None
) -> Measure:
    """Put a new measure on the list as a draft."""
    require_role(actor, MANAGE, "measures:manage")
    if data.tier is MeasureTier.LOCAL and not data.region_code:
        raise InvalidInput(
            "地方补充措施须写明适用区域。 A local measure names the region it applies to.",
            details=[{"field": "region_code", "reason": "required for a local measure"}],
        )
    if repo.measure_by_code(session, data.code) is not None:
        raise MeasureExists(f"措施代码 {data.code} 已存在。 Measure {data.code} already exists.")
    measure = Measure(**data.model_dump(mode="json"), version=1, status=S.DRAFT, created_at=at)
    measure.kind = data.kind
    measure.tier = data.tier
    session.add(measure)
    session.flush()
    _audit(session, actor, "measures:measure:draft", at, measure, None, reason)
    session.flush()
    return measure


def advance_measure(
    session: Session, *, actor: Actor, code: str, to: VersionStatus, at: datetime,
    reason: str | None = None,
) -> Measure:  # fmt: skip
    """Open public comment, or report to the higher authority (Art. 24 para. 4)."""
    if to not in (S.PUBLIC_COMMENT, S.REPORTED):
        raise InvalidInput(f"不能直接转为 {to.value}。 Use publish to publish a measure.")
    require_role(actor, MANAGE, "measures:manage")
    measure = _load(session, code)
    before = _ensure_step(measure, to)
    measure.status = to
    session.flush()
    _audit(session, actor, f"measures:measure:{to.value}", at, measure, before, reason)
    session.flush()
    return measure


def record_measure_opinion(
    session: Session, *, actor: Actor, code: str, opinion: OpinionCreate, at: datetime
) -> MeasureOpinion:
    """Record an opinion solicited on a measure under public comment (Art. 24 para. 4)."""
    require_role(actor, MANAGE, "measures:manage")
    measure = _load(session, code)
    if measure.status is not S.PUBLIC_COMMENT:
        raise Conflict(
            f"措施 {code} 不在征求意见阶段。 Measure {code} is not under public comment.",
            code="comment_closed",
        )
    row = MeasureOpinion(
        measure_id=measure.id, source_name=opinion.source_name, content=opinion.content,
        at=at, recorded_by=actor.display_name,
    )  # fmt: skip
    session.add(row)
    session.flush()
    record_event(
        session, actor=actor, tag="measures:opinion:record", at=at,
        object_type="measure_opinion", object_id=row.id,
        after={"measure": code, "source_name": row.source_name},
    )  # fmt: skip
    session.flush()
    return row


def publish_measure(
    session: Session, *, actor: Actor, code: str, effective_on: date, at: datetime,
    reason: str | None = None,
) -> Measure:  # fmt: skip
    """Publish a reported measure: from ``effective_on`` it is on the list (Art. 24)."""
    require_role(actor, MANAGE, "measures:manage")
    measure = _load(session, code)
    before = _ensure_step(measure, S.PUBLISHED)
    rules.ensure_publishable(
        tier=measure.tier.value, legal_basis=measure.legal_basis,
        period_months=measure.period_months,
    )  # fmt: skip
    measure.status = S.PUBLISHED
    measure.effective_on = effective_on
    measure.published_at = at
    session.flush()
    _audit(session, actor, "measures:measure:publish", at, measure, before, reason)
    session.flush()
    return measure


def list_measures(
    session: Session, *, actor: Actor, published_only: bool = False
) -> list[MeasureRead]:
    """The measure lists with their lifecycle state; staff read them all (MEA-1)."""
    if not published_only:
        require_role(actor, READ_LISTS, "measures:read")
    rows = repo.all_measures(session)
    if published_only:
        rows = [m for m in rows if m.status is S.PUBLISHED]
    return [measure_read(m) for m in rows]


def measure_read(measure: Measure) -> MeasureRead:
    return MeasureRead.model_validate(measure, from_attributes=True)


@dataclass
class LoadResult:
    published: list[str] = field(default_factory=list)
    drafted: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def load_shipped_measures(session: Session, *, actor: Actor, at: datetime) -> LoadResult:
    """Load the shipped national list and Guizhou supplement through the lifecycle, so the
    audit log shows how each measure entered the list. Idempotent by code."""
    result = LoadResult()
    existing = repo.existing_codes(session)
    for name in reference.SHIPPED_FILES:
        data = reference.read_data_file(name)
        default_on = date.fromisoformat(data["effective_on"])
        for raw in data["measures"]:
            body = dict(raw)
            status = body.pop("status", "published")
            effective = date.fromisoformat(body.pop("effective_on", None) or default_on.isoformat())
            body.setdefault("tier", "national")
            spec = _validated(name, body)
            if spec.code in existing:
                result.skipped.append(spec.code)
                continue
            draft_measure(session, actor=actor, data=spec, at=at, reason=REASON)
            if status == "draft":
                result.drafted.append(spec.code)
                continue
            for step in (S.PUBLIC_COMMENT, S.REPORTED):
                advance_measure(session, actor=actor, code=spec.code, to=step, at=at, reason=REASON)
            publish_measure(
                session, actor=actor, code=spec.code, effective_on=effective, at=at, reason=REASON
            )
            result.published.append(spec.code)
    return result


def _validated(name: str, body: dict[str, Any]) -> MeasureCreate:
    try:
        return MeasureCreate.model_validate(body)
    except ValidationError as exc:
        raise InvalidInput(
            f"随附措施清单 {name} 中的 {body.get('code')} 无效。"
            f" Shipped measure list {name}: {body.get('code')} is invalid: {exc}"
        ) from None


def _load(session: Session, code: str) -> Measure:
    measure = repo.measure_by_code(session, code)
    if measure is None:
        raise NotFound(f"措施 {code} 不存在。 There is no measure {code}.")
    return measure


def _ensure_step(measure: Measure, to: VersionStatus) -> dict[str, Any]:
    if not transition_allowed(measure.status, to):
        raise IllegalTransition(
            f"措施状态不能从 {measure.status.value} 变为 {to.value}。"
            f" A measure cannot go from {measure.status.value} to {to.value}.",
            details=[{"from": measure.status.value, "to": to.value}],
        )
    return {"status": measure.status.value, "version": measure.version}


def _audit(
    session: Session, actor: Actor, tag: str, at: datetime, measure: Measure,
    before: dict[str, Any] | None, reason: str | None,
) -> None:  # fmt: skip
    record_event(
        session, actor=actor, tag=tag, at=at, object_type="measure", object_id=measure.id,
        before=before, reason=reason,
        after={
            "code": measure.code, "status": measure.status.value, "version": measure.version,
            "effective_on": measure.effective_on.isoformat() if measure.effective_on else None,
        },
    )  # fmt: skip
