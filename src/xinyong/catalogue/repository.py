"""Every query of the catalogue context. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from xinyong.catalogue.models import (
    CatalogueItem,
    CatalogueItemVersion,
    CatalogueOpinion,
    SourceRegistration,
    Tier,
    VersionStatus,
)
from xinyong.catalogue.rules import EVER_PUBLISHED

V = CatalogueItemVersion


def item_by_code(session: Session, code: str) -> CatalogueItem | None:
    return session.scalar(select(CatalogueItem).where(CatalogueItem.code == code))


def version_by_id(session: Session, version_id: int) -> CatalogueItemVersion | None:
    return session.get(CatalogueItemVersion, version_id)


def latest_version(session: Session, item_id: int) -> CatalogueItemVersion | None:
    return session.scalar(select(V).where(V.item_id == item_id).order_by(V.version.desc()).limit(1))


def versions_of(session: Session, item_id: int) -> Sequence[CatalogueItemVersion]:
    return session.scalars(select(V).where(V.item_id == item_id).order_by(V.version)).all()


def opinions_of(session: Session, version_id: int) -> Sequence[CatalogueOpinion]:
    return session.scalars(
        select(CatalogueOpinion)
        .where(CatalogueOpinion.version_id == version_id)
        .order_by(CatalogueOpinion.id)
    ).all()


def last_published(session: Session, item_id: int) -> CatalogueItemVersion | None:
    """The most recently published version, whether or not it has taken effect yet."""
    return session.scalar(
        select(V)
        .where(V.item_id == item_id, V.status == VersionStatus.PUBLISHED)
        .order_by(V.version.desc())
        .limit(1)
    )


def _in_force(at: datetime, on: date) -> list[ColumnElement[bool]]:
    return [
        V.status.in_(sorted(EVER_PUBLISHED)),
        V.published_at <= at,
        V.effective_on <= on,
    ]


def current_versions(
    session: Session, *, at: datetime, on: date, tier: Tier | None = None
) -> Sequence[CatalogueItemVersion]:
    """Per item, the version in force at ``at``: published by then and effective by ``on``,
    the latest such version winning (a superseded version stays in force until its successor
    takes effect)."""
    return _newest_of_each_item(session, _in_force(at, on), tier)


def current_version(
    session: Session, *, code: str, at: datetime, on: date
) -> CatalogueItemVersion | None:
    return session.scalar(
        select(V)
        .join(CatalogueItem, CatalogueItem.id == V.item_id)
        .where(CatalogueItem.code == code, *_in_force(at, on))
        .order_by(V.version.desc())
        .limit(1)
    )


def latest_versions_with_status(
    session: Session, *, status: VersionStatus, tier: Tier | None = None
) -> Sequence[CatalogueItemVersion]:
    return _newest_of_each_item(session, [V.status == status], tier)


def _newest_of_each_item(
    session: Session, criteria: list[ColumnElement[bool]], tier: Tier | None
) -> Sequence[CatalogueItemVersion]:
    """Per item, its newest version meeting ``criteria`` (items of ``tier`` only, if given),
    by item code."""
    newest = (
        select(V.item_id, func.max(V.version).label("version"))
        .where(*criteria)
        .group_by(V.item_id)
        .subquery()
    )
    query = (
        select(V)
        .join(newest, (V.item_id == newest.c.item_id) & (V.version == newest.c.version))
        .join(CatalogueItem, CatalogueItem.id == V.item_id)
        .order_by(CatalogueItem.code)
    )
    if tier is not None:
        query = query.where(CatalogueItem.tier == tier)
    return session.scalars(query).all()


def existing_codes(session: Session) -> set[str]:
    return set(session.scalars(select(CatalogueItem.code)))


def registration(session: Session, item_id: int, org_id: int) -> SourceRegistration | None:
    return session.scalar(
        select(SourceRegistration).where(
            SourceRegistration.item_id == item_id, SourceRegistration.org_id == org_id
        )
    )


def registrations_of(
    session: Session, item_id: int, *, include_ended: bool = False
) -> Sequence[SourceRegistration]:
    query = select(SourceRegistration).where(SourceRegistration.item_id == item_id)
    if not include_ended:
        query = query.where(SourceRegistration.ended_at.is_(None))
    return session.scalars(query.order_by(SourceRegistration.org_code)).all()


def is_registered(session: Session, item_code: str, org_id: int) -> bool:
    found = session.scalar(
        select(SourceRegistration.id)
        .join(CatalogueItem, CatalogueItem.id == SourceRegistration.item_id)
        .where(
            CatalogueItem.code == item_code,
            SourceRegistration.org_id == org_id,
            SourceRegistration.ended_at.is_(None),
        )
        .limit(1)
    )
    return found is not None
