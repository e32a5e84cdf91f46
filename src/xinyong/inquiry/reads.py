"""Logged looks at non-public information outside an inquiry (Art. 20, 31; INQ-2).

An inquiry is not the only way non-public information reaches a person: the credit office opens
a record with its versions or a list procedure, a provider opens the record it delivered, a
system reads the change feed, an export carries a whole item. Each such look writes, in the
caller's transaction, one inquiry-log row per subject seen (organisation, account, purpose,
channel, the items and records seen), so the subject finds it under "who looked" (Art. 31) and
the auditors in the log. Rows are inserted in bulk: a feed page or an export covering many
subjects costs one statement per thousand subjects, and one audit entry for the whole look.

A look at public information only (an item whose publicity is ``public``) writes no row; the
caller filters with :func:`xinyong.inquiry.rules.read_is_logged`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from xinyong.audit.binding import id_ranges, row_digest, rows_sha256
from xinyong.audit.service import record_event
from xinyong.core.actor import Actor
from xinyong.inquiry import repository as repo
from xinyong.inquiry import rules
from xinyong.inquiry.models import Inquiry, InquiryChannel, Outcome
from xinyong.records.models import Record
from xinyong.subjects.models import Subject

#: Rows per INSERT statement.
CHUNK = 1000


@dataclass(frozen=True, slots=True)
class Seen:
    """One piece of non-public information a look showed: about which subject, of which item,
    and the record (``None`` for what is not a record, e.g. a list procedure)."""

    subject_id: int
    subject_code: str
    item: str
    record_id: int | None = None


def log_look(
    session: Session,
    *,
    actor: Actor,
    channel: InquiryChannel,
    at: datetime,
    seen: Iterable[Seen],
    purpose: str | None = None,
    address: str | None = None,
) -> int:
    """Write one answered inquiry-log row per subject in ``seen`` and one audit entry for the
    look; flushes, never commits. Returns the number of rows written (0: nothing to log)."""
    by_subject: dict[int, tuple[str, set[str], list[int]]] = {}
    for s in seen:
        _code, items, record_ids = by_subject.setdefault(s.subject_id, (s.subject_code, set(), []))
        items.add(s.item)
        if s.record_id is not None and s.record_id not in record_ids:
            record_ids.append(s.record_id)
    if not by_subject:
        return 0
    why = purpose or rules.internal_purpose(actor.role.value)
    asker = repo.asker_columns(actor, at, address)
    rows: list[dict[str, Any]] = [
        {
            **asker,
            "subject_id": subject_id,
            "subject_code": code[:64],
            "purpose": why,
            "channel": channel,
            "outcome": Outcome.ANSWERED,
            "items": sorted(items),
            "record_ids": record_ids,
        }
        for subject_id, (code, items, record_ids) in by_subject.items()
    ]
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        stmt = insert(Inquiry).returning(Inquiry.id, sort_by_parameter_order=True)
        ids.extend(int(i) for i in session.scalars(stmt, rows[start : start + CHUNK]))
    record_event(
        session,
        actor=actor,
        tag=f"inquiry:look:{channel.value}",
        at=at,
        object_type="inquiry",
        subject_id=rows[0]["subject_id"] if len(rows) == 1 else None,
        after={
            "channel": channel.value,
            "purpose": why,
            "subjects": len(rows),
            "items": sorted({i for r in rows for i in r["items"]}),
            "records": sum(len(r["record_ids"]) for r in rows),
            # Binds every row written here to this entry (audit.binding).
            "row_ids": id_ranges(ids),
            "rows_sha256": rows_sha256(_digests(ids, rows)),
        },
    )
    return len(rows)


def _digests(ids: Sequence[int], rows: Sequence[dict[str, Any]]) -> list[tuple[int, str]]:
    columns = [c.name for c in cast(Table, Inquiry.__table__).columns]
    out = []
    for row_id, row in zip(ids, rows, strict=True):
        values: dict[str, Any] = dict.fromkeys(columns)
        values.update(row, id=row_id)
        out.append((row_id, row_digest(values)))
    return out


def seen_records(session: Session, record_ids: Sequence[int]) -> list[Seen]:
    """The non-public ones among these records, as :class:`Seen` (one query per thousand)."""
    found: list[Seen] = []
    ids = sorted(set(record_ids))
    for start in range(0, len(ids), CHUNK):
        query = (
            select(Record.id, Record.subject_id, Record.item_code, Record.publicity, Subject.code)
            .join(Subject, Subject.id == Record.subject_id)
            .where(Record.id.in_(ids[start : start + CHUNK]))
        )
        for rid, subject_id, item, publicity, code in session.execute(query):
            if rules.read_is_logged(publicity):
                found.append(Seen(subject_id, code, item, rid))
    return found
