"""Queries of the disclosure context. Never commits.

The reads serving a channel are one indexed range per subject: ``record.subject_id``
(``ix_record_subject_id``) joined to the head version and to ``record_window`` by primary key.
The window predicate compares the stored last day with today, so no periodic job is needed;
rows whose stored window is missing or was computed from an older version pass the filter and
are decided by the pure policy on the fly.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session

from xinyong.accounts.models import Organisation
from xinyong.catalogue.models import CatalogueItem, CatalogueItemVersion
from xinyong.disclosure.models import RecordWindow
from xinyong.records.models import Record, RecordStatus, RecordVersion
from xinyong.subjects.models import Subject, SubjectName

Row = tuple[Record, RecordVersion, RecordWindow | None]

PERSON = "natural_person"


def _like(key: str) -> str:
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def organisations_by_name(
    session: Session, key: str, *, limit: int, offset: int
) -> Sequence[Subject]:
    """Subjects other than natural persons whose current or a former name key contains
    ``key``; exact matches first, then by name. Persons are never found by name (DIS-3)."""
    pattern = _like(key)
    former = exists().where(
        SubjectName.subject_id == Subject.id, SubjectName.name_key.like(pattern, escape="\\")
    )
    query = (
        select(Subject)
        .where(Subject.type != PERSON, or_(Subject.name_key.like(pattern, escape="\\"), former))
        .order_by(Subject.name_key != key, Subject.name_key, Subject.id)
        .limit(limit)
        .offset(offset)
    )
    return session.scalars(query).all()


def subject_by_code(session: Session, code: str) -> Subject | None:
    return session.scalars(select(Subject).where(Subject.code == code)).one_or_none()


def person_names(session: Session, codes: Collection[str]) -> list[str]:
    """Current and former names of the natural persons with these codes."""
    if not codes:
        return []
    ids = select(Subject.id).where(Subject.type == PERSON, Subject.code.in_(list(codes)))
    current = session.scalars(select(Subject.name).where(Subject.id.in_(ids))).all()
    former = session.scalars(select(SubjectName.name).where(SubjectName.subject_id.in_(ids))).all()
    return [*current, *former]


def head_rows(
    session: Session,
    subject_id: int,
    *,
    publicity: Collection[str] | None = None,
    items: Collection[str] | None = None,
    active_only: bool = False,
    served_on: date | None = None,
) -> list[Row]:
    """A subject's records at their head version with their stored window.

    ``served_on``: drop records whose *current* stored window ended before that day (the
    caller passes it only when no disciplinary period can extend a window).
    """
    conditions: list[ColumnElement[bool]] = [Record.subject_id == subject_id]
    if publicity is not None:
        conditions.append(Record.publicity.in_(list(publicity)))
    if items is not None:
        conditions.append(Record.item_code.in_(list(items)))
    if active_only:
        conditions.append(Record.status == RecordStatus.ACTIVE)
    if served_on is not None:
        conditions.append(
            or_(
                RecordWindow.record_id.is_(None),
                RecordWindow.version != Record.current_version,
                RecordWindow.window_ends_on.is_(None),
                RecordWindow.window_ends_on >= served_on,
            )
        )
    query = (
        select(Record, RecordVersion, RecordWindow)
        .join(
            RecordVersion,
            and_(
                RecordVersion.record_id == Record.id,
                RecordVersion.version == Record.current_version,
            ),
        )
        .outerjoin(RecordWindow, RecordWindow.record_id == Record.id)
        .where(*conditions)
        .order_by(Record.decided_on.desc(), Record.id.desc())
    )
    return [(r, v, w) for r, v, w in session.execute(query).all()]


def records_by_ids(session: Session, record_ids: Collection[int]) -> list[Row]:
    query = (
        select(Record, RecordVersion, RecordWindow)
        .join(
            RecordVersion,
            and_(
                RecordVersion.record_id == Record.id,
                RecordVersion.version == Record.current_version,
            ),
        )
        .outerjoin(RecordWindow, RecordWindow.record_id == Record.id)
        .where(Record.id.in_(list(record_ids)))
    )
    return [(r, v, w) for r, v, w in session.execute(query).all()]


def item_versions(
    session: Session, version_ids: Collection[int]
) -> dict[int, CatalogueItemVersion]:
    if not version_ids:
        return {}
    rows = session.scalars(
        select(CatalogueItemVersion).where(CatalogueItemVersion.id.in_(list(version_ids)))
    )
    return {v.id: v for v in rows}


def latest_versions_by_code(
    session: Session, codes: Collection[str]
) -> dict[str, CatalogueItemVersion]:
    """For records without a version id: the newest version of each item."""
    if not codes:
        return {}
    rows = session.scalars(
        select(CatalogueItemVersion)
        .join(CatalogueItem, CatalogueItem.id == CatalogueItemVersion.item_id)
        .where(CatalogueItem.code.in_(list(codes)))
        .order_by(CatalogueItemVersion.version)
    )
    return {v.item.code: v for v in rows}


def organisation_codes(session: Session, org_ids: Collection[int]) -> dict[int, str]:
    if not org_ids:
        return {}
    rows = session.execute(
        select(Organisation.id, Organisation.code).where(Organisation.id.in_(list(org_ids)))
    )
    return {i: c for i, c in rows.all()}


def upsert_window(session: Session, window: RecordWindow) -> None:
    existing = session.get(RecordWindow, window.record_id)
    if existing is None:
        session.add(window)
        return
    existing.subject_id = window.subject_id
    existing.window_ends_on = window.window_ends_on
    existing.publishable = window.publishable
    existing.rule_set = window.rule_set
    existing.basis = window.basis
    existing.version = window.version
    existing.computed_at = window.computed_at


# --- hooks for features that come later --------------------------------------------------


# The three hooks below read contexts that themselves use disclosure (objections, repair
# and lists serve records through it), so they import those contexts when called.


def under_objection_ids(session: Session, record_ids: Collection[int]) -> set[int]:
    """Records with an objection being handled (Art. 32; DIS-5): marked from filing until
    the decision."""
    from xinyong.objections.service import under_objection_record_ids

    return under_objection_record_ids(session, record_ids)


def repaired_ids(session: Session, record_ids: Collection[int]) -> set[int]:
    """Records whose credit repair was granted (Art. 36; RGT-5)."""
    from xinyong.repair.service import repaired_record_ids

    return repaired_record_ids(session, record_ids)


def disciplinary_periods(session: Session, subject_id: int) -> list[tuple[date, date | None]]:
    """(start, end) of the subject's serious-dishonesty list periods (Art. 24–26), which
    extend windows running into them (DIS-4); an entry removed early ends on its removal."""
    from xinyong.lists.models import ListEntry, ListKind

    rows = session.execute(
        select(ListEntry.period_start_on, ListEntry.period_end_on, ListEntry.ended_on)
        .where(
            ListEntry.subject_id == subject_id,
            ListEntry.list_kind == ListKind.SERIOUS_DISHONESTY,
        )
        .order_by(ListEntry.period_start_on)
    ).all()
    return [(start, min(end, ended) if ended else end) for start, end, ended in rows]
