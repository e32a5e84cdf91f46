"""Queries of the measures context; never commits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.accounts.models import Organisation
from xinyong.measures.models import (
    AppliedMeasure,
    Commitment,
    CreditCheck,
    Measure,
    MeasureOpinion,
    SpotCheckDraw,
)
from xinyong.records.models import Record
from xinyong.subjects.models import Subject


def measure_by_code(session: Session, code: str) -> Measure | None:
    return session.scalar(select(Measure).where(Measure.code == code))


def all_measures(session: Session) -> Sequence[Measure]:
    return session.scalars(select(Measure).order_by(Measure.code)).all()


def existing_codes(session: Session) -> set[str]:
    return set(session.scalars(select(Measure.code)).all())


def opinions_of(session: Session, measure_id: int) -> Sequence[MeasureOpinion]:
    stmt = select(MeasureOpinion).where(MeasureOpinion.measure_id == measure_id)
    return session.scalars(stmt.order_by(MeasureOpinion.id)).all()


def get_check(session: Session, check_id: int) -> CreditCheck | None:
    return session.get(CreditCheck, check_id)


def applied_of_subject(session: Session, subject_id: int) -> Sequence[AppliedMeasure]:
    stmt = select(AppliedMeasure).where(AppliedMeasure.subject_id == subject_id)
    return session.scalars(stmt.order_by(AppliedMeasure.id.desc())).all()


def applied_of_check(session: Session, check_id: int) -> Sequence[AppliedMeasure]:
    stmt = select(AppliedMeasure).where(AppliedMeasure.check_id == check_id)
    return session.scalars(stmt.order_by(AppliedMeasure.id)).all()


def checks_of_org(session: Session, org_id: int | None, limit: int = 50) -> Sequence[CreditCheck]:
    stmt = select(CreditCheck).where(CreditCheck.org_id == org_id)
    return session.scalars(stmt.order_by(CreditCheck.id.desc()).limit(limit)).all()


def providers_of(session: Session, record_ids: Iterable[int]) -> dict[int, str]:
    """Record id → name of the organisation that provided it (Art. 28: the provider)."""
    ids = list(record_ids)
    if not ids:
        return {}
    stmt = (
        select(Record.id, Organisation.name)
        .join(Organisation, Organisation.id == Record.provider_org_id)
        .where(Record.id.in_(ids))
    )
    return {rid: name for rid, name in session.execute(stmt).all()}


def organisation(session: Session, org_id: int | None) -> Organisation | None:
    return None if org_id is None else session.get(Organisation, org_id)


def organisation_subject_ids(session: Session, limit: int) -> list[int]:
    """Organisations in the register (the default spot-check population)."""
    stmt = (
        select(Subject.id)
        .where(Subject.type.in_(("legal_person", "unincorporated_org")))
        .order_by(Subject.id)
        .limit(limit)
    )
    return list(session.scalars(stmt).all())


def subject_codes(session: Session, subject_ids: Iterable[int]) -> dict[int, str]:
    ids = list(subject_ids)
    if not ids:
        return {}
    stmt = select(Subject.id, Subject.code).where(Subject.id.in_(ids))
    return {i: c for i, c in session.execute(stmt).all()}


def get_draw(session: Session, draw_id: int) -> SpotCheckDraw | None:
    return session.get(SpotCheckDraw, draw_id)


def recent_draws(session: Session, limit: int = 50) -> Sequence[SpotCheckDraw]:
    stmt = select(SpotCheckDraw).order_by(SpotCheckDraw.id.desc()).limit(limit)
    return session.scalars(stmt).all()


def get_commitment(session: Session, commitment_id: int) -> Commitment | None:
    return session.get(Commitment, commitment_id)


def commitments(
    session: Session, *, subject_id: int | None = None, org_id: int | None = None
) -> Sequence[Commitment]:
    stmt = select(Commitment)
    if subject_id is not None:
        stmt = stmt.where(Commitment.subject_id == subject_id)
    if org_id is not None:
        stmt = stmt.where(Commitment.org_id == org_id)
    return session.scalars(stmt.order_by(Commitment.id.desc()).limit(500)).all()
