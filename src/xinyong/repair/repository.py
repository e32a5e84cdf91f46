"""Queries of repair applications; never commits."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.catalogue.models import CatalogueItem, CatalogueItemVersion, VersionStatus
from xinyong.handling import store
from xinyong.handling.access import ListScope
from xinyong.handling.access import org_name as handling_org_name
from xinyong.records.models import Record, RecordStatus
from xinyong.repair.models import RepairApplication, RepairEvidence, RepairStatus

#: An application is open until decided.
_OPEN = RepairApplication.status == RepairStatus.RECEIVED

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
    return handling_org_name(session, org_id)


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
    session: Session, *, scope: ListScope, status: str | None = None, limit: int = 500
) -> Sequence[RepairApplication]:
    """Applications by due date, undecided first, scoped by who asks."""
    return store.listing(
        session, RepairApplication, scope=scope, open_clause=_OPEN, status=status, limit=limit
    )


def overdue_unescalated(session: Session, *, today: date) -> Sequence[RepairApplication]:
    return store.overdue_unescalated(session, RepairApplication, open_clause=_OPEN, today=today)


def evidence_file(session: Session, *, repair_id: int, file_id: int) -> RepairEvidence | None:
    found = session.get(RepairEvidence, file_id)
    return found if found is not None and found.repair_id == repair_id else None
