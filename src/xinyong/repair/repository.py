"""Queries of repair applications; never commits."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.accounts.models import Organisation
from xinyong.catalogue.models import CatalogueItem, CatalogueItemVersion, VersionStatus
from xinyong.records.models import Record, RecordStatus
from xinyong.repair.models import RepairApplication, RepairEvidence, RepairStatus

#: Bind-parameter lists stay well inside SQLite's and PostgreSQL's limits.
CHUNK = 900


def get(session: Session, repair_id: int) -> RepairApplication | None:
    return session.get(RepairApplication, repair_id)


def record(session: Session, record_id: int) -> Record | None:
    return session.get(Record, record_id)


def item_version(session: Session, record: Record) -> CatalogueItemVersion | None:
    """The catalogue version the record was delivered under (CAT-3: a new version never
    rewrites old records), else the item's latest published version."""
    if record.item_version_id is not None:
        found = session.get(CatalogueItemVersion, record.item_version_id)
        if found is not None:
            return found
    stmt = (
        select(CatalogueItemVersion)
        .join(CatalogueItem, CatalogueItem.id == CatalogueItemVersion.item_id)
        .where(
            CatalogueItem.code == record.item_code,
            CatalogueItemVersion.status == VersionStatus.PUBLISHED,
        )
        .order_by(CatalogueItemVersion.version.desc())
    )
    return session.scalars(stmt).first()


def org_name(session: Session, org_id: int | None) -> str:
    if org_id is None:
        return "信用主管部门 credit office"
    org = session.get(Organisation, org_id)
    return org.name if org is not None else f"#{org_id}"


def open_on_record(session: Session, record_id: int) -> RepairApplication | None:
    stmt = select(RepairApplication).where(
        RepairApplication.record_id == record_id,
        RepairApplication.status == RepairStatus.RECEIVED,
    )
    return session.scalars(stmt).first()


def repaired(session: Session, record_ids: Collection[int]) -> set[int]:
    ids = list(set(record_ids))
    found: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        stmt = select(RepairApplication.record_id).where(
            RepairApplication.record_id.in_(ids[start : start + CHUNK]),
            RepairApplication.status == RepairStatus.REPAIRED,
        )
        found.update(int(r) for r in session.scalars(stmt))
    return found


def negative_records(session: Session, subject_id: int) -> Sequence[Record]:
    """The subject's active negative records, newest decision first (what repair is for)."""
    stmt = select(Record).where(
        Record.subject_id == subject_id,
        Record.polarity == "negative",
        Record.status == RecordStatus.ACTIVE,
    )
    return session.scalars(stmt.order_by(Record.decided_on.desc(), Record.id.desc())).all()


def listing(
    session: Session,
    *,
    provider_org_id: int | None = None,
    subject_id: int | None = None,
    everything: bool = False,
    status: str | None = None,
    limit: int = 500,
) -> Sequence[RepairApplication]:
    """Applications by due date, undecided first, scoped by who asks."""
    stmt = select(RepairApplication)
    if not everything:
        if provider_org_id is not None:
            stmt = stmt.where(RepairApplication.provider_org_id == provider_org_id)
        elif subject_id is not None:
            stmt = stmt.where(RepairApplication.subject_id == subject_id)
        else:
            return []
    if status == "open":
        stmt = stmt.where(RepairApplication.status == RepairStatus.RECEIVED)
    elif status:
        stmt = stmt.where(RepairApplication.status == status)
    decided_last = RepairApplication.status != RepairStatus.RECEIVED
    stmt = stmt.order_by(decided_last, RepairApplication.due_on, RepairApplication.id)
    return session.scalars(stmt.limit(limit)).all()


def overdue_unescalated(session: Session, *, today: date) -> Sequence[RepairApplication]:
    stmt = select(RepairApplication).where(
        RepairApplication.status == RepairStatus.RECEIVED,
        RepairApplication.due_on < today,
        RepairApplication.escalated_at.is_(None),
    )
    return session.scalars(stmt.order_by(RepairApplication.due_on, RepairApplication.id)).all()


def evidence_file(session: Session, *, repair_id: int, file_id: int) -> RepairEvidence | None:
    found = session.get(RepairEvidence, file_id)
    return found if found is not None and found.repair_id == repair_id else None
