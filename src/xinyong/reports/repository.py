"""Queries of the reports context. Never commits.

The self view reads a subject's records with their provenance and every version in a fixed
number of queries (one per table), whatever the number of records: a report of a subject
with 100 records must render within a second (DESIGN §5).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from xinyong.accounts.models import Organisation
from xinyong.catalogue.models import CatalogueItem
from xinyong.records.models import Record, RecordVersion
from xinyong.reports.models import CreditReport


def records_of(session: Session, subject_id: int) -> dict[int, Record]:
    rows = session.scalars(select(Record).where(Record.subject_id == subject_id))
    return {r.id: r for r in rows}


def versions_of(session: Session, subject_id: int) -> dict[int, list[RecordVersion]]:
    """Every version of every record of the subject, oldest first (``subject_id`` is carried on
    versions so this is one range of the subject's rows)."""
    rows = session.scalars(
        select(RecordVersion)
        .where(RecordVersion.subject_id == subject_id)
        .order_by(RecordVersion.record_id, RecordVersion.version)
    )
    found: dict[int, list[RecordVersion]] = defaultdict(list)
    for v in rows:
        found[v.record_id].append(v)
    return found


def _keyed(
    session: Session, key: InstrumentedAttribute[Any], keys: Collection[Any], *columns: Any
) -> Sequence[Sequence[Any]]:
    """``(key, *columns)`` of the rows whose ``key`` is one of ``keys`` (none asked: no query)."""
    if not keys:
        return []
    return session.execute(select(key, *columns).where(key.in_(list(keys)))).all()


def organisations(session: Session, org_ids: Collection[int]) -> dict[int, tuple[str, str]]:
    """Organisation id → (code, name)."""
    rows = _keyed(session, Organisation.id, org_ids, Organisation.code, Organisation.name)
    return {i: (code, name) for i, code, name in rows}


def sectors(session: Session, org_ids: Collection[int]) -> dict[int, str | None]:
    """Organisation id → its domain (sector) code."""
    return {
        i: sector for i, sector in _keyed(session, Organisation.id, org_ids, Organisation.sector)
    }


def item_tiers(session: Session, codes: Collection[str]) -> dict[str, tuple[str, str]]:
    """Catalogue item code → (category, tier)."""
    rows = _keyed(session, CatalogueItem.code, codes, CatalogueItem.category, CatalogueItem.tier)
    return {code: (category, str(tier)) for code, category, tier in rows}


def by_number(session: Session, number: str) -> CreditReport | None:
    return session.scalar(select(CreditReport).where(CreditReport.number == number))


def issued_after(session: Session, *, after: int, limit: int) -> list[CreditReport]:
    query = select(CreditReport).where(CreditReport.id > after).order_by(CreditReport.id)
    return list(session.scalars(query.limit(limit)))


def number_taken(session: Session, number: str) -> bool:
    return session.scalar(select(CreditReport.id).where(CreditReport.number == number)) is not None


def add(session: Session, report: CreditReport) -> None:
    session.add(report)
    session.flush()
