"""Queries of the register of credit service institutions; never commits.

Status changes and supervision records are only ever added: there is no update or delete here.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinyong.accounts.models import Organisation
from xinyong.accounts.rules import OrgKind
from xinyong.institutions.models import InstitutionFiling, StatusChange, SupervisionRecord
from xinyong.institutions.rules import FilingStatus


def add(session: Session, row: InstitutionFiling | StatusChange | SupervisionRecord) -> None:
    session.add(row)
    session.flush()


def filing_by_id(session: Session, filing_id: int) -> InstitutionFiling | None:
    return session.get(InstitutionFiling, filing_id)


def filing_of_org(session: Session, org_id: int) -> InstitutionFiling | None:
    return session.scalars(
        select(InstitutionFiling).where(InstitutionFiling.org_id == org_id)
    ).first()


def filing_by_uscc(session: Session, uscc: str) -> InstitutionFiling | None:
    return session.scalars(select(InstitutionFiling).where(InstitutionFiling.uscc == uscc)).first()


def status_of_org(session: Session, org_id: int) -> FilingStatus | None:
    """The current status of an organisation's filing, ``None`` without one (one indexed read:
    every authorized inquiry asks)."""
    return session.scalar(
        select(InstitutionFiling.status).where(InstitutionFiling.org_id == org_id)
    )


def page(
    session: Session, *, status: FilingStatus | None, offset: int, limit: int | None
) -> tuple[Sequence[InstitutionFiling], int]:
    query = select(InstitutionFiling)
    if status is not None:
        query = query.where(InstitutionFiling.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    query = query.order_by(InstitutionFiling.filing_number).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return session.scalars(query).all(), total


def history(session: Session, filing_id: int) -> Sequence[StatusChange]:
    return session.scalars(
        select(StatusChange)
        .where(StatusChange.filing_id == filing_id)
        .order_by(StatusChange.at, StatusChange.id)
    ).all()


def supervision(session: Session, filing_id: int) -> Sequence[SupervisionRecord]:
    return session.scalars(
        select(SupervisionRecord)
        .where(SupervisionRecord.filing_id == filing_id)
        .order_by(SupervisionRecord.supervised_on.desc(), SupervisionRecord.id.desc())
    ).all()


def organisation_by_code(session: Session, code: str) -> Organisation | None:
    return session.scalars(select(Organisation).where(Organisation.code == code)).first()


def unfiled_institutions(session: Session) -> Sequence[Organisation]:
    """Institution organisations without a filing, by code."""
    filed = select(InstitutionFiling.org_id)
    return session.scalars(
        select(Organisation)
        .where(Organisation.kind == OrgKind.INSTITUTION, Organisation.id.not_in(filed))
        .order_by(Organisation.code)
    ).all()
