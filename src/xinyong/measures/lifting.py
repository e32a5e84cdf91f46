"""Repair undoes consequences (Art. 36): lift every measure in force that rests on a record that
was repaired or corrected, or on a list entry that ended or was removed, and tell the organs
that applied them.

Deliberately light on imports (measures' tables and queries, documents, audit) so that the
repair, objections and lists contexts can call it without an import cycle. Runs inside the
caller's transaction: flushes, audits, never commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from xinyong.audit.service import record_event
from xinyong.core.actor import SYSTEM, Actor
from xinyong.core.clock import local_date
from xinyong.measures import notices
from xinyong.measures import repository as repo
from xinyong.measures.models import AppliedMeasure, AppliedStatus

LIFTABLE = frozenset({AppliedStatus.PENDING, AppliedStatus.APPLIED})


def _rests_on(row: AppliedMeasure, record_id: int | None, list_entry_id: str | None) -> bool:
    if record_id is not None and record_id in (row.record_ids or []):
        return True
    return list_entry_id is not None and list_entry_id in (row.list_entry_ids or [])


def lift_measures_grounded_on(
    session: Session,
    *,
    subject_id: int,
    reason: str,
    at: datetime,
    record_id: int | None = None,
    list_entry_id: str | None = None,
    actor: Actor = SYSTEM,
) -> list[int]:
    """Lift the subject's pending or in-force measures resting on ``record_id`` or on
    ``list_entry_id`` (as checks name entries: ``"<list kind>:<entry id>"``, e.g.
    ``"serious_dishonesty:12"``), with the reason and instant recorded and audited, and a
    numbered notice to each applying organ's inbox (Art. 36). Returns the lifted ids."""
    today = local_date(at)
    lifted: list[int] = []
    for row in repo.applied_of_subject(session, subject_id):
        if row.status not in LIFTABLE or not _rests_on(row, record_id, list_entry_id):
            continue
        if row.ends_on is not None and row.ends_on < today:
            continue  # over by its period already
        before = row.status.value
        row.status = AppliedStatus.LIFTED
        row.lifted_at = at
        row.lift_reason = reason
        session.flush()
        number = notices.issue_lifted(session, actor=actor, row=row, reason=reason, at=at)
        record_event(
            session, actor=actor, tag="measures:measure:lift", at=at,
            object_type="applied_measure", object_id=row.id, subject_id=subject_id,
            before={"status": before},
            after={"status": AppliedStatus.LIFTED.value, "measure": row.measure_code,
                   "record_id": record_id, "list_entry_id": list_entry_id, "notice": number},
            reason=reason,
        )  # fmt: skip
        lifted.append(row.id)
    return lifted
