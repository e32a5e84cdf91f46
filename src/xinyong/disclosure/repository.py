"""Queries of the disclosure context. Never commits.

The reads serving a channel are one indexed range per subject: ``record.subject_id``
(``ix_record_subject_id``) joined to the head version and to ``record_window`` by primary key.
The window predicate compares the stored last day with today, so no periodic job is needed;
rows whose stored window is missing or was computed from an older version pass the filter and
are decided by the pure policy on the fly. The marks other contexts put on records (objection,
repair, list periods) are correlated ``EXISTS`` columns of the same statement, so a channel's
read costs one statement (DESIGN §5).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any, NamedTuple, TypeVar, TypeVarTuple, cast

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    Table,
    and_,
    bindparam,
    or_,
    select,
)
from sqlalchemy.engine import Row as DbRow
from sqlalchemy.orm import InstrumentedAttribute, Session

from xinyong.accounts.models import Organisation
from xinyong.catalogue.models import CatalogueItem, CatalogueItemVersion
from xinyong.db.bulk import insert_mappings
from xinyong.db.statements import run
from xinyong.disclosure.models import RecordWindow
from xinyong.marks import repository as marks
from xinyong.marks import service as marks_service
from xinyong.marks.rules import EntryPeriod
from xinyong.records.models import Channel as RecordChannel
from xinyong.records.models import Record, RecordStatus, RecordVersion, Severity
from xinyong.subjects import name_index
from xinyong.subjects.models import Subject, SubjectName

PERSON = "natural_person"

K = TypeVar("K")
M = TypeVar("M")
Ts = TypeVarTuple("Ts")


def organisations_by_name(
    session: Session, key: str, *, limit: int, offset: int
) -> Sequence[Subject]:
    """Subjects other than natural persons whose current or a former name key contains
    ``key``; exact matches first, then by name. Persons are never found by name (DIS-3):
    the name index holds organisations only (``subjects.name_index``)."""
    return name_index.search(session, key, limit=limit, offset=offset)


#: Built once: building the statement anew cost about a twentieth of a public read by code.
_SUBJECT_BY_CODE = select(Subject).where(Subject.code == bindparam("code"))


def subject_by_code(session: Session, code: str) -> Subject | None:
    return session.scalars(_SUBJECT_BY_CODE, {"code": code}).one_or_none()


def person_names(session: Session, codes: Collection[str]) -> list[str]:
    """Current and former names of the natural persons with these codes."""
    if not codes:
        return []
    ids = select(Subject.id).where(Subject.type == PERSON, Subject.code.in_(list(codes)))
    current = session.scalars(select(Subject.name).where(Subject.id.in_(ids))).all()
    former = session.scalars(select(SubjectName.name).where(SubjectName.subject_id.in_(ids))).all()
    return [*current, *former]


class HeadRecord(NamedTuple):
    """What a channel's read uses of a record at its head version, read as plain column
    values: a read serves a dozen records per call, and loading each as ``Record``,
    ``RecordVersion`` and ``RecordWindow`` entities cost a quarter of the read."""

    id: int
    item_code: str
    item_version_id: int | None
    provider_org_id: int | None
    status: RecordStatus
    current_version: int
    polarity: str
    severity: Severity | None
    decided_on: date | None
    document_no: str | None
    publicity: str
    channel: RecordChannel
    agreement_id: int | None
    #: The head version's fields.
    fields: dict[str, Any]


class StoredWindow(NamedTuple):
    """A record's stored disclosure window (``record_window``), as computed for ``version``."""

    version: int
    window_ends_on: date | None
    publishable: bool
    rule_set: str | None
    basis: str


class HeadRow(NamedTuple):
    """A record at its head version with its stored window and the marks other contexts put
    on it (``xinyong.marks``), all read in one statement."""

    record: HeadRecord
    window: StoredWindow | None
    under_objection: bool
    repaired: bool
    #: The subject has serious-dishonesty list periods, which may extend windows (DIS-4).
    listed: bool
    #: The record is a list entry: the entry's period governs it (LST-4).
    entry: EntryPeriod | None


#: The columns of a :class:`HeadRecord`, then of a :class:`StoredWindow`, in their order.
_HEAD_COLUMNS = (
    Record.id,
    Record.item_code,
    Record.item_version_id,
    Record.provider_org_id,
    Record.status,
    Record.current_version,
    Record.polarity,
    Record.severity,
    Record.decided_on,
    Record.document_no,
    Record.publicity,
    Record.channel,
    Record.agreement_id,
    RecordVersion.fields,
)
_WINDOW_COLUMNS = (
    RecordWindow.version,
    RecordWindow.window_ends_on,
    RecordWindow.publishable,
    RecordWindow.rule_set,
    RecordWindow.basis,
)
_W = len(_HEAD_COLUMNS)
_M = _W + len(_WINDOW_COLUMNS)


def _at_head(query: Select[*Ts]) -> Select[*Ts]:
    """``query`` over records joined to each one's head version and (outer) its stored window."""
    return query.join(
        RecordVersion,
        and_(
            RecordVersion.record_id == Record.id,
            RecordVersion.version == Record.current_version,
        ),
    ).outerjoin(RecordWindow, RecordWindow.record_id == Record.id)


@cache
def _head_query(publicity: bool, items: bool, active_only: bool, served: bool) -> Select[Any]:
    """The statement of :func:`head_rows` for one combination of filters, built once: a read
    then only binds its values (``subject_id``, ``publicity``, ``items``, ``served_on``)."""
    listed = marks.listed_clause(Record.subject_id)
    entry = marks.entry_mark
    conditions: list[ColumnElement[bool]] = [Record.subject_id == bindparam("subject_id")]
    if publicity:
        conditions.append(Record.publicity.in_(bindparam("publicity", expanding=True)))
    if items:
        conditions.append(Record.item_code.in_(bindparam("items", expanding=True)))
    if active_only:
        conditions.append(Record.status == RecordStatus.ACTIVE)
    if served:
        conditions.append(
            or_(
                RecordWindow.record_id.is_(None),
                RecordWindow.version != Record.current_version,
                RecordWindow.window_ends_on.is_(None),
                RecordWindow.window_ends_on >= bindparam("served_on", type_=Date()),
                entry.id.is_not(None),
                listed,
            )
        )
    query = (
        _at_head(
            select(
                *_HEAD_COLUMNS,
                *_WINDOW_COLUMNS,
                marks.under_objection_clause(Record.id).label("under_objection"),
                marks.repaired_clause(Record.id).label("repaired"),
                listed.label("listed"),
                entry.id,
                entry.starts_on,
                entry.ends_on,
                entry.ended_on,
            )
        )
        .outerjoin(entry, marks.entry_join_condition(Record.id))
        .where(*conditions)
        .order_by(Record.decided_on.desc(), Record.id.desc())
    )
    return cast("Select[Any]", query)


def head_rows(
    session: Session,
    subject_id: int,
    *,
    publicity: Collection[str] | None = None,
    items: Collection[str] | None = None,
    active_only: bool = False,
    served_on: date | None = None,
) -> list[HeadRow]:
    """A subject's records at their head version with their stored window and marks, in one
    indexed statement (``ix_record_subject_id``, primary keys, the marks' own indexes).

    ``served_on``: drop records whose *current* stored window ended before that day, unless
    the subject has disciplinary periods that may extend it (then the policy decides).
    """
    params: dict[str, Any] = {"subject_id": subject_id}
    if publicity is not None:
        params["publicity"] = list(publicity)
    if items is not None:
        params["items"] = list(items)
    if served_on is not None:
        params["served_on"] = served_on
    query = _head_query(
        publicity is not None, items is not None, active_only, served_on is not None
    )
    rows = run(session, query, params).all()
    # A window's version is never NULL in its table: NULL means no stored window.
    return [
        HeadRow(
            HeadRecord._make(row[:_W]),
            None if row[_W] is None else StoredWindow._make(row[_W:_M]),
            bool(row[_M]),
            bool(row[_M + 1]),
            bool(row[_M + 2]),
            None if row[_M + 3] is None else EntryPeriod(*row[_M + 4 : _M + 7]),
        )
        for row in rows
    ]


def window_inputs(session: Session, record_ids: Collection[int]) -> list[DbRow[Any]]:
    """What a window is computed from, per record at its head version, as plain rows (a bulk
    delivery computes thousands: no ORM objects); ``has_window`` tells insert from update."""
    query = _at_head(
        select(
            Record.id,
            Record.subject_id,
            Record.polarity,
            Record.severity,
            Record.decided_on,
            Record.item_version_id,
            Record.item_code,
            Record.provider_org_id,
            Record.current_version,
            RecordVersion.fields,
            RecordWindow.record_id.is_not(None).label("has_window"),
        )
    ).where(Record.id.in_(list(record_ids)))
    return list(session.execute(query).all())


def _rows_by(
    session: Session, model: type[M], column: InstrumentedAttribute[K], keys: Collection[K]
) -> dict[K, M]:
    """The rows of ``model`` whose ``column`` is one of ``keys``, by that value."""
    if not keys:
        return {}
    rows = session.scalars(select(model).where(column.in_(list(keys))))
    return {getattr(row, column.key): row for row in rows}


def windows_of(session: Session, record_ids: Collection[int]) -> dict[int, RecordWindow]:
    return _rows_by(session, RecordWindow, RecordWindow.record_id, record_ids)


def item_versions(
    session: Session, version_ids: Collection[int]
) -> dict[int, CatalogueItemVersion]:
    return _rows_by(session, CatalogueItemVersion, CatalogueItemVersion.id, version_ids)


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


def insert_windows(session: Session, rows: Sequence[Mapping[str, object]]) -> None:
    """Windows of records that had none, at the driver's bulk speed (``db.bulk``; callers
    update existing ones through the ORM objects of :func:`windows_of`, which the session may
    already hold). Every row has the same keys."""
    if rows:
        session.flush()  # what the ORM holds goes first, as before a session.execute
        insert_mappings(session.connection(), cast(Table, RecordWindow.__table__), rows)


def disciplinary_periods(session: Session, subject_id: int) -> list[tuple[date, date | None]]:
    """(first day, last day) of the subject's serious-dishonesty list periods (Art. 24–26),
    which extend windows running into them (DIS-4); an entry ended early ends that day."""
    return [
        (p.starts_on, p.last_day)
        for p in marks_service.serious_periods(session, subject_id)
        if p.starts_on is not None
    ]
