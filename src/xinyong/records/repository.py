"""Queries of the collection context. Never commits.

Writes to ``record_version`` are inserts only; this module holds no UPDATE or DELETE of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from xinyong.db.bulk import one_of
from xinyong.records.models import (
    BatchStatus,
    DeliveryAgreement,
    DeliveryBatch,
    DeliveryRejection,
    Record,
    RecordVersion,
)

#: Bound parameters per IN (...) list.
_SLICE = 5000


def get(session: Session, record_id: int) -> Record | None:
    return session.get(Record, record_id)


def by_source_key(
    session: Session, *, provider_org_id: int | None, item_code: str, source_key: str
) -> Record | None:
    org = (
        Record.provider_org_id.is_(None)
        if provider_org_id is None
        else Record.provider_org_id == provider_org_id
    )
    return session.scalar(
        select(Record).where(org, Record.item_code == item_code, Record.source_key == source_key)
    )


def existing_keys(
    session: Session, *, provider_org_id: int | None, item_code: str, keys: Sequence[str]
) -> dict[str, tuple[int, str]]:
    """source_key → (record id, head content hash), for the keys already delivered."""
    org = (
        Record.provider_org_id.is_(None)
        if provider_org_id is None
        else Record.provider_org_id == provider_org_id
    )
    found: dict[str, tuple[int, str]] = {}
    # One parameter, not a literal per key: a chunk looks up thousands.
    wanted = one_of(session.get_bind().dialect, Record.source_key, "keys")
    for i in range(0, len(keys), _SLICE):
        rows = session.execute(
            select(Record.source_key, Record.id, Record.content_hash).where(
                org, Record.item_code == item_code, wanted
            ),
            {"keys": keys[i : i + _SLICE]},
        )
        for key, rid, h in rows:
            found[key] = (rid, h)
    return found


def records_with_version_hashes(
    session: Session, pairs: Iterable[tuple[int, str]]
) -> set[tuple[int, str]]:
    """Which (record id, content hash) pairs match some version of the record: content
    delivered before an amendment, delivered again, is unchanged rather than a conflict."""
    wanted = list(pairs)
    found: set[tuple[int, str]] = set()
    for i in range(0, len(wanted), 500):
        part = wanted[i : i + 500]
        rows = session.execute(
            select(RecordVersion.record_id, RecordVersion.content_hash).where(
                or_(
                    *(
                        and_(RecordVersion.record_id == r, RecordVersion.content_hash == h)
                        for r, h in part
                    )
                )
            )
        )
        found.update((r, h) for r, h in rows)
    return found


def versions(session: Session, record_id: int) -> Sequence[RecordVersion]:
    return session.scalars(
        select(RecordVersion)
        .where(RecordVersion.record_id == record_id)
        .order_by(RecordVersion.version)
    ).all()


def head_version(session: Session, record: Record) -> RecordVersion:
    found = session.scalar(
        select(RecordVersion).where(
            RecordVersion.record_id == record.id, RecordVersion.version == record.current_version
        )
    )
    assert found is not None, "a record always has its head version"
    return found


def active_agreement(
    session: Session, *, org_id: int, item_code: str, on: date
) -> DeliveryAgreement | None:
    """The agreement under which ``org_id`` may deliver ``item_code`` on ``on`` (Art. 14)."""
    candidates = session.scalars(
        select(DeliveryAgreement)
        .where(
            DeliveryAgreement.org_id == org_id,
            DeliveryAgreement.valid_from <= on,
            or_(DeliveryAgreement.valid_to.is_(None), DeliveryAgreement.valid_to >= on),
        )
        .order_by(DeliveryAgreement.valid_from.desc(), DeliveryAgreement.id.desc())
    ).all()
    return next((a for a in candidates if item_code in (a.items or [])), None)


def agreement_by_basis(session: Session, *, org_id: int, basis: str) -> DeliveryAgreement | None:
    """The agreement of ``org_id`` recorded under the reference ``basis`` (unique per unit)."""
    stmt = select(DeliveryAgreement).where(
        DeliveryAgreement.org_id == org_id, DeliveryAgreement.reference == basis
    )
    return session.scalars(stmt).first()


def agreements(session: Session, *, limit: int = 1000) -> Sequence[DeliveryAgreement]:
    """Every agreement, the most recent first."""
    stmt = select(DeliveryAgreement).order_by(
        DeliveryAgreement.valid_from.desc(), DeliveryAgreement.id.desc()
    )
    return session.scalars(stmt.limit(limit)).all()


def running_batch(
    session: Session, *, provider_org_id: int | None, item_code: str, file_sha256: str
) -> DeliveryBatch | None:
    """An interrupted import of the same file, to be resumed after its last committed chunk."""
    org = (
        DeliveryBatch.provider_org_id.is_(None)
        if provider_org_id is None
        else DeliveryBatch.provider_org_id == provider_org_id
    )
    return session.scalar(
        select(DeliveryBatch)
        .where(
            org,
            DeliveryBatch.item_code == item_code,
            DeliveryBatch.file_sha256 == file_sha256,
            DeliveryBatch.status == BatchStatus.RUNNING,
        )
        .order_by(DeliveryBatch.id.desc())
        .limit(1)
    )


def rejections(
    session: Session, batch_id: int, *, limit: int | None = None
) -> list[dict[str, Any]]:
    """The batch's problems in file order, the first ``limit`` of them (all when ``None``)."""
    rows = session.execute(
        select(DeliveryRejection.line, DeliveryRejection.field, DeliveryRejection.reason)
        .where(DeliveryRejection.batch_id == batch_id)
        .order_by(DeliveryRejection.line, DeliveryRejection.id)
        .limit(limit)
    )
    return [{"line": line, "field": f, "reason": r} for line, f, r in rows]


def rejection_count(session: Session, batch_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(DeliveryRejection)
            .where(DeliveryRejection.batch_id == batch_id)
        )
        or 0
    )
