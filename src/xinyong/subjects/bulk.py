"""Resolving the subjects of a chunk of delivered rows in a few statements (bulk delivery).

The single-row path (``service.ensure_subject``) costs two or three queries per row; a file of
100 k rows names thousands of subjects, so the bulk path looks them all up in one query and
registers the new ones in one multi-row insert. Identifiers arrive already validated and
normalised by the caller (records validation). Like ``ensure_subject`` it never commits and
leaves authorisation to its caller; the subjects it registers are covered by one audit entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from xinyong.audit.service import record_event
from xinyong.core.actor import Actor
from xinyong.core.errors import XinyongError
from xinyong.core.identifiers import VERIFIABLE_KINDS, IdentifierKind
from xinyong.db.bulk import TableWriter, allocate_ids, one_of
from xinyong.subjects import name_index, rules
from xinyong.subjects.models import Subject, SubjectType
from xinyong.subjects.rules import SubjectRef
from xinyong.subjects.service import ensure_subject

#: Bound parameters per IN (...) list, well under SQLite's and PostgreSQL's limits.
_LOOKUP_SLICE = 5000
#: The identifier kind a subject type carries unless told otherwise, and the kinds verified.
_EXPECTED_KIND = {t.value: rules.expected_id_kind(t).value for t in SubjectType}
_VERIFIED = {k.value: k in VERIFIABLE_KINDS for k in IdentifierKind}


@dataclass(slots=True)
class SubjectsResolved:
    #: code → subject id
    ids: dict[str, int]
    #: code → why no subject could be used (e.g. registered with another type)
    problems: dict[str, str]
    created: int = 0


def ensure_subjects(
    session: Session, *, actor: Actor, wanted: Iterable[SubjectRef], at: datetime
) -> SubjectsResolved:
    """Ids of the subjects named by ``wanted``, registering the missing ones."""
    by_code: dict[str, SubjectRef] = {}
    for w in wanted:
        by_code.setdefault(w.id_value, w)
    codes = list(by_code)
    found: dict[str, tuple[int, str, str]] = {}
    one_code = one_of(session.get_bind().dialect, Subject.code, "codes")  # one parameter
    for i in range(0, len(codes), _LOOKUP_SLICE):
        part = codes[i : i + _LOOKUP_SLICE]
        rows = session.execute(
            select(Subject.code, Subject.id, Subject.type, Subject.name_key).where(one_code),
            {"codes": part},
        )
        for code, sid, stype, key in rows:
            found[code] = (sid, stype, key)

    result = SubjectsResolved(ids={}, problems={})
    renamed: list[SubjectRef] = []
    for code, (sid, stype, key) in found.items():
        w = by_code[code]
        if stype != w.type:
            result.problems[code] = (
                f"证件号码 {code} 已登记为 {stype} 类主体 / the identifier {code} is "
                f"registered for a {stype}, not a {w.type}"
            )
        elif key != w.name_key:
            renamed.append(w)
        else:
            result.ids[code] = sid
    # A new name is rare; the single-row path keeps the former name and audits the rename.
    for w in renamed:
        try:
            subject = ensure_subject(
                session, actor=actor, type=w.type, id_value=w.id_value, name=w.name, at=at
            )
        except XinyongError as exc:
            result.problems[w.id_value] = exc.message
        else:
            result.ids[w.id_value] = subject.id

    missing = [by_code[c] for c in codes if c not in found]
    if missing:
        result.ids.update(_register(session, actor=actor, wanted=missing, at=at))
        result.created = len(missing)
    return result


#: Columns of ``subject`` written by :func:`_register`, in the order of its rows.
_COLUMNS = ("id", "type", "code", "id_kind", "id_verified", "name", "name_key")


def _expected(subject_type: str) -> str:
    return rules.expected_id_kind(SubjectType(subject_type)).value  # raises on an unknown type


def _register(
    session: Session, *, actor: Actor, wanted: Sequence[SubjectRef], at: datetime
) -> dict[str, int]:
    table = cast(Table, Subject.__table__)
    conn = session.connection()
    new_ids = allocate_ids(conn, table, len(wanted))
    rows = []
    ids: dict[str, int] = {}
    for sid, w in zip(new_ids, wanted, strict=True):
        kind = w.id_kind or _EXPECTED_KIND.get(w.type) or _expected(w.type)
        verified = _VERIFIED.get(kind)
        if verified is None:
            verified = IdentifierKind(kind) in VERIFIABLE_KINDS  # raises on an unknown kind
        name = rules.clean_name(w.name)
        rows.append((sid, w.type, w.id_value, kind, verified, name, w.name_key))
        ids[w.id_value] = sid
    TableWriter(conn.dialect, table, _COLUMNS, {"created_at": at}).write(conn, rows)
    name_index.index_new_subjects(conn, [(r[0], r[1], r[6]) for r in rows])
    record_event(
        session,
        actor=actor,
        tag="subjects:subject:bulk_create",
        at=at,
        object_type="subject",
        after={"count": len(ids), "first_id": new_ids[0], "last_id": new_ids[-1]},
    )
    return ids
