"""Subjects register use cases (SUB-1…3; Art. 2, 7, 27).

``ensure_subject`` is the step other use cases (records delivery, inquiries) call inside
their own transaction: it never commits and leaves authorisation to its caller. The other
writes are use cases of their own: authorise → load → rules → persist → audit → one commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import NotRequired, TypedDict, TypeVar, Unpack

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from xinyong.audit.service import record_event, record_row_event
from xinyong.core import identifiers as ids
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import local_date
from xinyong.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from xinyong.core.permissions import require
from xinyong.subjects import name_index, rules
from xinyong.subjects import repository as repo
from xinyong.subjects.models import (
    RepresentativeRole,
    Subject,
    SubjectName,
    SubjectRepresentative,
    SubjectType,
    UsccAllowlistEntry,
)

MAX_CODE_LENGTH = 64
MAX_SEARCH_LIMIT = 100


E = TypeVar("E", bound=StrEnum)


def _enum(cls: type[E], value: E | str, field: str) -> E:
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(m.value for m in cls)
        raise InvalidInput(
            f"{field} 的值 {value!r} 无效（可用：{allowed}） / {field} {value!r} is not one of "
            f"{allowed}",
            details=[{"field": field, "reason": f"one of {allowed}"}],
        ) from None


def check_identifier(
    session: Session, value: str, *, kind: ids.IdentifierKind | None = None
) -> ids.IdentifierCheck:
    """Check an identifier, honouring the credit office's USCC allow-list (SUB-2)."""
    if not ids.normalize_identifier(value):
        raise InvalidInput(
            "请填写要检查的标识 / give the identifier to check",
            details=[{"field": "value", "reason": "empty"}],
        )
    result = ids.check_identifier(value, kind=kind)
    if result.valid or result.normalized is None or len(result.normalized) != ids.LENGTH:
        return result
    if kind in (None, ids.IdentifierKind.USCC) and repo.allowlist_entry(session, result.normalized):
        return ids.check_identifier(value, kind=kind, allow_list={result.normalized})
    return result


def _resolve_identifier(
    session: Session, subject_type: SubjectType, id_value: str, id_kind: ids.IdentifierKind
) -> str:
    problem = rules.id_kind_problem(subject_type, id_kind)
    if problem is not None:
        raise InvalidInput(
            problem, code="identifier_kind_mismatch", details=[{"field": "id", "reason": problem}]
        )
    result = check_identifier(session, id_value, kind=id_kind)
    if not result.valid or result.normalized is None:
        reason = result.error or "invalid"
        raise InvalidInput(
            f"证件号码无效：{reason}",
            code="invalid_identifier",
            details=[{"field": "id", "reason": reason}],
        )
    if len(result.normalized) > MAX_CODE_LENGTH:
        raise InvalidInput(
            f"证件号码不能超过 {MAX_CODE_LENGTH} 个字符 / the identifier is longer than "
            f"{MAX_CODE_LENGTH} characters",
            code="invalid_identifier",
            details=[{"field": "id", "reason": "too long"}],
        )
    return result.normalized


def _clean_name(name: str) -> str:
    cleaned = rules.clean_name(name)
    problem = rules.name_problem(cleaned)
    if problem is not None:
        raise InvalidInput(problem, details=[{"field": "name", "reason": problem}])
    return cleaned


def _subject_state(s: Subject) -> dict[str, object]:
    return {
        "type": s.type,
        "code": s.code,
        "id_kind": s.id_kind,
        "id_verified": s.id_verified,
        "name": s.name,
    }


def _rename(
    session: Session, *, actor: Actor, subject: Subject, name: str, at: datetime, reason: str
) -> None:
    """Keep the current name as a former name and take the new one (audited)."""
    previous = repo.former_names(session, subject.id)
    since = previous[-1].valid_to_on if previous else None
    old_name = subject.name
    session.add(
        SubjectName(
            subject_id=subject.id,
            name=old_name,
            name_key=subject.name_key,
            valid_from_on=since,
            valid_to_on=local_date(at),
            replaced_at=at,
        )
    )
    subject.name = name
    subject.name_key = rules.normalize_name(name)
    session.flush()
    _named(
        session,
        subject,
        actor=actor,
        action="rename",
        at=at,
        before={"name": old_name},
        after={"name": name},
        reason=reason,
    )


def _named(
    session: Session,
    subject: Subject,
    *,
    actor: Actor,
    action: str,
    at: datetime,
    after: dict[str, object],
    before: dict[str, object] | None = None,
    reason: str | None = None,
) -> None:
    """Index the subject's current name key and audit ``subjects:subject:{action}``."""
    name_index.index_name(
        session, subject_id=subject.id, subject_type=subject.type, key=subject.name_key
    )
    record_row_event(
        session,
        subject,
        actor=actor,
        tag=f"subjects:subject:{action}",
        at=at,
        subject_id=subject.id,
        before=before,
        after=after,
        reason=reason,
    )


def ensure_subject(
    session: Session,
    *,
    actor: Actor,
    type: SubjectType | str,
    id_value: str,
    name: str,
    at: datetime,
    id_kind: ids.IdentifierKind | str | None = None,
) -> Subject:
    """The subject with this identifier, registered on first sight. No commit, no
    authorisation: the calling use case has done both.

    A name that differs from the current one renames the subject (the old name is kept),
    unless it is one of its former names — an old record may carry the name of its day.
    Raises ``InvalidInput`` (``invalid_identifier``, ``identifier_kind_mismatch``) or
    ``Conflict`` (``subject_type_conflict``) when the code is registered with another type.
    """
    subject_type = _enum(SubjectType, type, "type")
    kind = (
        rules.expected_id_kind(subject_type)
        if id_kind is None
        else _enum(ids.IdentifierKind, id_kind, "id_kind")
    )
    code = _resolve_identifier(session, subject_type, id_value, kind)
    display = _clean_name(name)
    existing = repo.by_code(session, code)
    if existing is None:
        existing = _create(
            session, actor=actor, type_=subject_type, code=code, kind=kind, name=display, at=at
        )
        if existing.name_key == rules.normalize_name(display):
            return existing
    if existing.type != subject_type.value:
        raise Conflict(
            f"证件号码 {code} 已登记为 {existing.type} 类主体 / the identifier {code} is "
            f"registered for a {existing.type}, not a {subject_type.value}",
            code="subject_type_conflict",
            details=[{"field": "type", "reason": f"registered as {existing.type}"}],
        )
    key = rules.normalize_name(display)
    if key != existing.name_key and not repo.has_former_name_key(session, existing.id, key):
        _rename(
            session,
            actor=actor,
            subject=existing,
            name=display,
            at=at,
            reason="new name given for a registered identifier",
        )
    return existing


def _create(
    session: Session,
    *,
    actor: Actor,
    type_: SubjectType,
    code: str,
    kind: ids.IdentifierKind,
    name: str,
    at: datetime,
) -> Subject:
    subject = Subject(
        type=type_.value,
        code=code,
        id_kind=kind.value,
        id_verified=kind in ids.VERIFIABLE_KINDS,
        name=name,
        name_key=rules.normalize_name(name),
        created_at=at,
    )
    try:
        # A concurrent delivery may register the same code first: the savepoint lets this
        # transaction carry on with the row the other one wrote.
        with session.begin_nested():
            session.add(subject)
            session.flush()
    except IntegrityError:
        found = repo.by_code(session, code)
        if found is None:
            raise
        return found
    _named(session, subject, actor=actor, action="create", at=at, after=_subject_state(subject))
    return subject


class Identity(TypedDict):
    """What names a subject to :func:`ensure_subject`: its type, identifier and name as
    given at ``at`` (``id_kind`` when it is not the type's usual one)."""

    type: SubjectType | str
    id_value: str
    name: str
    at: datetime
    id_kind: NotRequired[ids.IdentifierKind | str | None]


def register_subject(session: Session, *, actor: Actor, **identity: Unpack[Identity]) -> Subject:
    """Register a subject; the same identifier again returns the same subject (renamed if
    the name differs). Providers and the credit office."""
    require(actor, "subjects:manage")
    subject = ensure_subject(session, actor=actor, **identity)
    session.flush()
    return subject


def find_by_code(session: Session, code: str) -> Subject | None:
    """The subject whose identifier normalises to the same code, if any."""
    return repo.by_code(session, ids.normalize_identifier(code))


def get_subject(session: Session, subject_id: int) -> Subject:
    subject = repo.get(session, subject_id)
    if subject is None:
        raise NotFound(f"主体 {subject_id} 不存在 / subject {subject_id} does not exist")
    return subject


def search_by_name(session: Session, fragment: str, *, limit: int = 20) -> Sequence[Subject]:
    """Subjects whose current or former name contains ``fragment`` (matched on the
    normalised key, so brackets, widths, spaces and case do not matter)."""
    key = rules.normalize_name(fragment)
    if not key:
        return []
    return repo.search_by_name_key(session, key, limit=max(1, min(limit, MAX_SEARCH_LIMIT)))


def former_names(session: Session, subject_id: int) -> Sequence[SubjectName]:
    return repo.former_names(session, subject_id)


def rename_subject(
    session: Session, *, actor: Actor, subject_id: int, name: str, at: datetime, reason: str
) -> Subject:
    """Record a change of name (e.g. a registration change); the old name is kept."""
    require(actor, "subjects:manage")
    subject = get_subject(session, subject_id)
    display = _clean_name(name)
    if rules.normalize_name(display) == subject.name_key:
        return subject
    _rename(session, actor=actor, subject=subject, name=display, at=at, reason=reason)
    session.flush()
    return subject


def link_representative(
    session: Session,
    *,
    actor: Actor,
    organisation_id: int,
    person_id: int,
    role: RepresentativeRole | str,
    valid_from_on: date,
    at: datetime,
) -> SubjectRepresentative:
    """Name the legal representative / responsible person of an organisation from a date
    (Art. 27); the previous holder of the role ends that day."""
    require(actor, "subjects:manage")
    link_role = _enum(RepresentativeRole, role, "role")
    org = get_subject(session, organisation_id)
    person = get_subject(session, person_id)
    if not rules.is_organisation(SubjectType(org.type)):
        raise InvalidInput(
            "只有单位主体才有法定代表人或负责人 / only an organisation has a legal "
            "representative or responsible person",
            details=[{"field": "organisation_id", "reason": "not an organisation"}],
        )
    if person.type != SubjectType.NATURAL_PERSON.value:
        raise InvalidInput(
            "法定代表人或负责人须为自然人 / a representative must be a natural person",
            details=[{"field": "person_id", "reason": "not a natural person"}],
        )
    current = repo.open_representatives(session, org.id, link_role.value)
    for link in current:
        if link.person_id == person.id:
            return link
        if link.valid_from_on >= valid_from_on:
            raise Conflict(
                f"现任人员自 {link.valid_from_on} 起任职，新任日期须在其后 / the current holder "
                f"took office on {link.valid_from_on}; the new one must start after that",
                details=[{"field": "valid_from_on", "reason": "before the current holder"}],
            )
        link.valid_to_on = valid_from_on
    new = SubjectRepresentative(
        subject_id=org.id,
        person_id=person.id,
        role=link_role.value,
        valid_from_on=valid_from_on,
        valid_to_on=None,
        created_at=at,
    )
    session.add(new)
    session.flush()
    record_row_event(
        session,
        new,
        actor=actor,
        tag="subjects:representative:link",
        at=at,
        subject_id=org.id,
        before={"person_ids": [link.person_id for link in current]} if current else None,
        after={
            "person_id": person.id,
            "role": link_role.value,
            "valid_from_on": valid_from_on.isoformat(),
        },
    )
    session.flush()
    return new


def representatives(
    session: Session, organisation_id: int, *, on: date | None = None
) -> Sequence[SubjectRepresentative]:
    """The organisation's representatives (those in force ``on`` a day, when given)."""
    return repo.representatives(session, organisation_id, on=on)


def add_allowlisted_uscc(
    session: Session, *, actor: Actor, code: str, note: str, at: datetime
) -> UsccAllowlistEntry:
    """Accept a real pilot-region USCC that fails the check character (credit office)."""
    require(actor, "subjects:manage")
    if actor.role is not Role.CREDIT_OFFICE:
        raise PermissionDenied(
            "只有信用主管部门可以维护代码白名单 / only the credit office keeps the code allow-list"
        )
    result = ids.check_uscc(code)
    normalized = result.normalized or ""
    if result.valid:
        raise InvalidInput(
            f"{normalized} 校验通过，无需加入白名单 / {normalized} passes the check; it needs "
            "no allow-listing",
            details=[{"field": "code", "reason": "already valid"}],
        )
    expected = ids.uscc_check_char(normalized[:17]) if len(normalized) == ids.LENGTH else None
    if expected is None or not all(c in ids.USCC_VALUES for c in normalized):
        raise InvalidInput(
            f"只有校验码不符的代码可以加入白名单：{result.error} / only a code whose check "
            "character alone is wrong can be allow-listed",
            details=[{"field": "code", "reason": result.error or "invalid"}],
        )
    note = note.strip()
    if not note:
        raise InvalidInput(
            "请说明依据 / give the basis for accepting this code",
            details=[{"field": "note", "reason": "required"}],
        )
    entry = repo.allowlist_entry(session, normalized)
    if entry is not None:
        return entry
    entry = UsccAllowlistEntry(code=normalized, note=note, added_by=actor.display_name, added_at=at)
    session.add(entry)
    session.flush()
    record_event(
        session,
        actor=actor,
        tag="subjects:uscc_allowlist:add",
        at=at,
        object_type="uscc_allowlist_entry",
        object_id=normalized,
        after={"code": normalized, "note": note},
        reason=note,
    )
    session.flush()
    return entry


def allowlist(session: Session) -> Sequence[UsccAllowlistEntry]:
    return repo.allowlist(session)
