"""Writes to the publication store (the publisher's repository). Never commits."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from xinyong.publication.documents import SubjectDocument
from xinyong.publication.models import (
    PubCatalogueItem,
    PubCheckpoint,
    PubNameGram,
    PubOpenData,
    PubRecord,
    PubReport,
    PubSubject,
)
from xinyong.publication.store import STATE_ID, code_key


def store_subjects(
    session: Session,
    ids: Collection[int],
    documents: Iterable[SubjectDocument],
    grams: Iterable[tuple[str, str, int]],
    *,
    at: datetime,
) -> tuple[int, set[tuple[str, date]]]:
    """Make the store hold exactly ``documents`` for the subjects ``ids`` (a subject without a
    document is removed); returns how many subject rows changed and the ``(item, day)`` of
    every record added, changed or removed (their open-data files are out of date)."""
    wanted = sorted(ids)
    docs = {d.subject_id: d for d in documents}
    held = {
        row.subject_id: row
        for row in session.scalars(select(PubSubject).where(PubSubject.subject_id.in_(wanted)))
    }
    changed = 0
    for sid in wanted:
        doc, row = docs.get(sid), held.get(sid)
        if doc is None:
            if row is not None:
                session.delete(row)
                changed += 1
            continue
        key = code_key(doc.code)
        if row is not None and row.code_key != key:
            session.delete(row)
            session.flush()
            row = None
        if row is None:
            session.add(
                PubSubject(
                    code_key=key, subject_id=sid, type=doc.type, brief=doc.brief, body=doc.body,
                    refresh_on=doc.refresh_on, published_at=at,
                )
            )  # fmt: skip
            changed += 1
        elif (row.body, row.brief, row.refresh_on) != (doc.body, doc.brief, doc.refresh_on):
            row.body, row.brief, row.refresh_on, row.published_at = (
                doc.body, doc.brief, doc.refresh_on, at,
            )  # fmt: skip
            changed += 1
    stale = _store_records(session, wanted, docs.values())
    _store_grams(session, wanted, grams)
    session.flush()
    return changed, stale


def _store_records(
    session: Session, ids: list[int], docs: Iterable[SubjectDocument]
) -> set[tuple[str, date]]:
    held = {
        r.record_id: r
        for r in session.scalars(select(PubRecord).where(PubRecord.subject_id.in_(ids)))
    }
    stale: set[tuple[str, date]] = set()
    seen: set[int] = set()
    for doc in docs:
        for rec in doc.records:
            seen.add(rec.record_id)
            row = held.get(rec.record_id)
            if row is None:
                session.add(
                    PubRecord(
                        record_id=rec.record_id, subject_id=doc.subject_id, item=rec.item,
                        day=rec.day, body=rec.body,
                    )
                )  # fmt: skip
                stale.add((rec.item, rec.day))
            elif (row.item, row.day, row.body) != (rec.item, rec.day, rec.body):
                stale.update({(row.item, row.day), (rec.item, rec.day)})
                row.item, row.day, row.body = rec.item, rec.day, rec.body
    for record_id, row in held.items():
        if record_id not in seen:
            stale.add((row.item, row.day))
            session.delete(row)
    return stale


def _store_grams(session: Session, ids: list[int], grams: Iterable[tuple[str, str, int]]) -> None:
    wanted = set(grams)
    rows = session.execute(
        select(PubNameGram.gram, PubNameGram.name_key, PubNameGram.subject_id).where(
            PubNameGram.subject_id.in_(ids)
        )
    ).all()
    held = {(str(g), str(k), int(s)) for g, k, s in rows}
    gone = held - wanted
    if gone:
        for gram, key, sid in gone:
            session.execute(
                delete(PubNameGram).where(
                    PubNameGram.gram == gram, PubNameGram.name_key == key,
                    PubNameGram.subject_id == sid,
                )
            )  # fmt: skip
    new = sorted(wanted - held)
    if new:
        session.execute(
            insert(PubNameGram), [{"gram": g, "name_key": k, "subject_id": s} for g, k, s in new]
        )


def due_for_refresh(session: Session, today: date) -> list[int]:
    """Subjects whose answer changes by itself on or before ``today`` (windows ending)."""
    return [
        int(i)
        for i in session.scalars(
            select(PubSubject.subject_id).where(PubSubject.refresh_on <= today)
        )
    ]


def open_data_days(session: Session) -> set[tuple[str, date]]:
    """Every ``(item, day)`` that has records or a file (a rebuild rewrites them all)."""
    held = session.execute(select(PubRecord.item, PubRecord.day).distinct()).all()
    files = session.execute(select(PubOpenData.item, PubOpenData.day).distinct()).all()
    return {(str(i), d) for i, d in (*held, *files)}


def store_reports(session: Session, rows: list[tuple[str, str]]) -> None:
    """``(number, verification JSON)`` of issued reports; again the same number replaces its
    row (a store rebuilt from scratch copies every report again)."""
    numbers = [number for number, _ in rows]
    session.execute(delete(PubReport).where(PubReport.number.in_(numbers)))
    session.execute(insert(PubReport), [{"number": n, "body": body} for n, body in rows])


def store_catalogue(session: Session, items: Iterable[tuple[str, str, str]]) -> int:
    """Make the store hold exactly ``items``, ``(code, tier, item JSON)`` (an item no longer in
    the core is removed); returns how many rows changed (0 when nothing did)."""
    wanted = {code: (tier, body) for code, tier, body in items}
    held = {row.code: row for row in session.scalars(select(PubCatalogueItem))}
    changed = 0
    for code, gone in held.items():
        if code not in wanted:
            session.delete(gone)
            changed += 1
    for code, (tier, body) in wanted.items():
        row = held.get(code)
        if row is None:
            session.add(PubCatalogueItem(code=code, tier=tier, body=body))
            changed += 1
        elif (row.tier, row.body) != (tier, body):
            row.tier, row.body = tier, body
            changed += 1
    return changed


def store_checkpoint(session: Session, checkpoint: tuple[int, str] | None) -> bool:
    """Hold ``(size, checkpoint JSON)`` as the latest checkpoint (``None``: none signed yet);
    True when the row changed."""
    row = session.get(PubCheckpoint, STATE_ID)
    if checkpoint is None:
        if row is None:
            return False
        session.delete(row)
        return True
    size, body = checkpoint
    if row is None:
        session.add(PubCheckpoint(id=STATE_ID, size=size, body=body))
        return True
    if (row.size, row.body) == (size, body):
        return False
    row.size, row.body = size, body
    return True
