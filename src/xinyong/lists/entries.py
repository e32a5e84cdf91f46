"""List entries: what is in force for a subject, the end of its disciplinary period, early
removal after repair (Art. 35, 36; LST-4, DIS-4), and the subject's own view (Art. 26, 31).

Whether an entry is in force is decided at query time from its period and status: nothing
waits for ``close_ended_entries``, which only writes down what has already happened.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from xinyong.audit.service import record_event
from xinyong.core.actor import SYSTEM, Actor, Role
from xinyong.core.clock import local_date
from xinyong.core.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from xinyong.core.rows import from_row
from xinyong.lists import access, notices, publishing, rules
from xinyong.lists import repository as repo
from xinyong.lists.models import EntryStatus, ListEntry, ListProcedure, ProcedureState
from xinyong.lists.schemas import ActiveEntry, EntryList, EntryRead, MyLists, ProcedureList
from xinyong.lists.steps import move, move_with_notice
from xinyong.marks.service import end_marks
from xinyong.measures.lifting import lift_measures_grounded_on
from xinyong.subjects.service import find_by_code


def active_entries(session: Session, *, subject_id: int, at: datetime) -> list[ActiveEntry]:
    """Every list entry in force for the subject at ``at``: serious dishonesty entries inside
    their period and not removed, and published red list entries still valid. For credit
    checks (MEA-2), inquiries and publicity."""
    today = local_date(at)
    found = [
        from_row(ActiveEntry, e, list_kind=e.list_kind.value, entry_id=e.id)
        for e in repo.entries_in_force(session, subject_id=subject_id, on=today)
    ]
    found.extend(
        from_row(
            ActiveEntry,
            r,
            list_kind="red_list",
            entry_id=r.id,
            period_start_on=r.adopted_on,
            period_end_on=r.valid_until,
            legal_representative_subject_id=None,
        )
        for r in repo.red_list_in_force(session, subject_id=subject_id, on=today)
    )
    return found


def end_entries_resting_on(
    session: Session, *, actor: Actor, subject_id: int, record_id: int, reason: str, at: datetime
) -> list[int]:
    """Repair undoes consequences (Art. 36; Order 36): every entry in force that the repaired
    record grounds (a record its proposal rests on) or publishes ends early, each with its
    removal notice, in the caller's transaction. Returns the ids of the entries ended."""
    entries = repo.entries_resting_on(
        session, subject_id=subject_id, record_id=record_id, on=local_date(at)
    )
    for entry in entries:
        # A consequence the law attaches to the repair decision, not the organ's discretion:
        # whoever decided the repair, the entry ends (its notice names the repair).
        p = repo.get_procedure(session, entry.procedure_id)
        assert p is not None
        _end_early(session, entry, p, actor=actor, reason=reason, at=at)
    return [e.id for e in entries]


def disciplinary_until(session: Session, *, subject_id: int, at: datetime) -> date | None:
    """The last day of a disciplinary period still running for the subject at ``at`` (the
    latest, when several run), else ``None``. Disclosure extends a negative record's query
    period to this day (Art. 35; DIS-4)."""
    ends = [
        e.period_end_on
        for e in repo.entries_in_force(session, subject_id=subject_id, on=local_date(at))
    ]
    return max(ends) if ends else None


def _may_remove(actor: Actor, entry: ListEntry, deciding_org_id: int | None) -> None:
    """The credit office, or the deciding organ that handles the repair of its record."""
    access.signed_in(actor)
    if actor.role is Role.CREDIT_OFFICE:
        return
    if actor.org_id is None or actor.org_id != deciding_org_id:
        raise PermissionDenied(
            "只有认定部门或信用主管部门可以移出名单 / only the deciding organ or the credit "
            "office removes an entry",
        )


def _removable(session: Session, actor: Actor, entry_id: int) -> tuple[ListEntry, ListProcedure]:
    """The entry and its procedure, if the actor may remove it (else 404 or 403)."""
    entry = repo.get_entry(session, entry_id)
    if entry is None:
        raise NotFound(f"没有名单条目 {entry_id} / no list entry {entry_id}")
    p = repo.get_procedure(session, entry.procedure_id)
    assert p is not None
    _may_remove(actor, entry, p.deciding_org_id)
    return entry, p


def remove_entry(
    session: Session, *, actor: Actor, entry_id: int, reason: str, at: datetime
) -> ListEntry:
    """End an entry early after repair (Art. 36), by the deciding organ or the credit office,
    inside the caller's transaction (no commit, the record is left to the caller)."""
    entry, p = _removable(session, actor, entry_id)
    return _end_early(session, entry, p, actor=actor, reason=reason, at=at)


def _end_early(
    session: Session, entry: ListEntry, p: ListProcedure, *, actor: Actor, reason: str, at: datetime
) -> ListEntry:
    if not reason.strip():
        raise InvalidInput(
            "请写明移出理由 / give the reason for the removal",
            details=[{"field": "reason", "reason": "required"}],
        )
    today = local_date(at)
    rules.removal_allowed(entry.status, entry.period_end_on, today)
    entry.status, entry.ended_on, entry.end_reason = EntryStatus.REMOVED, today, reason.strip()
    # From today the entry's record leaves publicity and government sharing (LST-4), and the
    # measures applied because of the entry are lifted, their organs told (Art. 36).
    end_marks(session, source_type="list_entry", source_id=entry.id, at=at, reason=reason.strip())
    _lift_measures(session, entry, reason.strip(), at=at, actor=actor)
    move_with_notice(
        session,
        p,
        ProcedureState.ENDED,
        kind=notices.REMOVAL_NOTICE,
        title="严重失信主体名单提前移出告知书",
        body=notices.removal_body(entry, reason=reason.strip(), on=today),
        actor=actor,
        at=at,
        due_on=None,
        reason=reason,
    )
    _audit_end(session, actor, entry, "remove", at, before={"status": "active"}, reason=reason)
    session.flush()
    return entry


def _lift_measures(
    session: Session, entry: ListEntry, reason: str, *, at: datetime, actor: Actor = SYSTEM
) -> None:
    """Lift the measures applied because of ``entry`` (Art. 36), their organs told."""
    lift_measures_grounded_on(
        session,
        subject_id=entry.subject_id,
        list_entry_id=f"{entry.list_kind.value}:{entry.id}",
        reason=reason,
        at=at,
        actor=actor,
    )


def _audit_end(
    session: Session,
    actor: Actor,
    entry: ListEntry,
    action: str,
    at: datetime,
    *,
    before: dict[str, Any] | None = None,
    reason: str | None = None,
) -> None:
    """Audit ``lists:entry:<action>``: the entry ended (or was removed) on its ``ended_on``."""
    assert entry.ended_on is not None
    record_event(
        session,
        actor=actor,
        tag=f"lists:entry:{action}",
        at=at,
        object_type="list_entry",
        object_id=entry.id,
        subject_id=entry.subject_id,
        before=before,
        after={"status": entry.status.value, "ended_on": entry.ended_on.isoformat()},
        reason=reason,
    )


def end_entry_early(
    session: Session, *, actor: Actor, entry_id: int, reason: str, at: datetime
) -> EntryRead:
    """Early removal after repair as a use case of its own: the entry's record is withdrawn
    (no channel serves it any more) and the entry ends; one commit for the lists part."""
    entry, p = _removable(session, actor, entry_id)
    rules.removal_allowed(entry.status, entry.period_end_on, local_date(at))
    if not reason.strip():
        raise InvalidInput(
            "请写明移出理由 / give the reason for the removal",
            details=[{"field": "reason", "reason": "required"}],
        )
    if entry.record_id is not None:
        # The records use case commits on its own; it is idempotent (an already withdrawn
        # record is left alone), so a failure below can simply be retried.
        publishing.withdraw_entry_record(
            session,
            actor=access_actor(actor, p.deciding_org_id),
            record_id=entry.record_id,
            reason=f"名单提前移出 / list entry removed: {reason.strip()}",
            at=at,
        )
    removed = remove_entry(session, actor=actor, entry_id=entry_id, reason=reason, at=at)
    session.flush()
    return access.entry_read(session, removed, today=local_date(at))


def access_actor(actor: Actor, deciding_org_id: int | None) -> Actor:
    """The record belongs to the deciding organ: a credit office user of another unit acts
    on its behalf (the audit names the user)."""
    if actor.org_id == deciding_org_id or deciding_org_id is None:
        return actor
    return replace(actor, org_id=deciding_org_id)


def close_ended_entries(session: Session, *, at: datetime) -> int:
    """Write down the entries whose period has run out (their procedures end). Idempotent."""
    today = local_date(at)
    done = 0
    for entry in repo.entries_past_end(session, on=today):
        entry.status, entry.ended_on = EntryStatus.ENDED, entry.period_end_on
        p = repo.get_procedure(session, entry.procedure_id)
        if p is not None and p.state is ProcedureState.PUBLISHED:
            move(
                session,
                p,
                ProcedureState.ENDED,
                actor=SYSTEM,
                at=at,
                due_on=None,
                reason="列入期限届满 / the period ended",
            )
        _audit_end(session, SYSTEM, entry, "end", at)
        _lift_measures(session, entry, "列入期限届满 / the list period ended", at=at)
        done += 1
    session.flush()
    return done


def list_entries(session: Session, *, actor: Actor, subject: str | None, at: datetime) -> EntryList:
    """Entries of a subject (or all). The public sees entries in force only (they are
    published); state organs and the credit office also see ended and removed ones."""
    today = local_date(at)
    subject_id = None
    if subject:
        found = find_by_code(session, subject)
        if found is None:
            return EntryList(items=[])
        subject_id = found.id
    staff = actor.role in (Role.CREDIT_OFFICE, Role.INQUIRER)
    items = [
        access.entry_read(session, e, today=today)
        for e in repo.entries(session, subject_id=subject_id)
    ]
    if not staff:
        items = [e for e in items if e.status == EntryStatus.ACTIVE.value]
    return EntryList(items=items)


def _own_subject(actor: Actor) -> int:
    if actor.is_anonymous:
        raise NotAuthenticated("Log in to do this. 请先登录。")
    if actor.role is not Role.SUBJECT or actor.subject_id is None:
        raise PermissionDenied("此功能仅供信用主体使用 / for credit subject accounts only")
    return actor.subject_id


def procedures_for_subject(session: Session, *, actor: Actor, at: datetime) -> ProcedureList:
    """Every procedure about the subject, each step with its deadline (Art. 26)."""
    subject_id = _own_subject(actor)
    return ProcedureList(
        items=[
            access.procedure_read(session, p, at=at, detail=True)
            for p in repo.procedures(session, subject_id=subject_id)
        ]
    )


def my_lists(session: Session, *, actor: Actor, at: datetime) -> MyLists:
    subject_id = _own_subject(actor)
    today = local_date(at)
    return MyLists(
        entries=[
            access.entry_read(session, e, today=today)
            for e in repo.entries(session, subject_id=subject_id)
        ],
        procedures=procedures_for_subject(session, actor=actor, at=at).items,
        red_list=[
            access.red_list_read(session, r, today=today)
            for r in repo.red_list(session, subject_id=subject_id, published_only=True)
        ],
    )


def entry_ended_clause(on: date) -> ColumnElement[bool]:
    """SQL condition on ``ListEntry``: its status on ``on`` is ended (LST-4; the SQL form of
    ``rules.effective_status``), for read models such as the credit office's dashboard."""
    return repo.entry_ended_clause(on)


def red_list_in_force_clause(on: date) -> ColumnElement[bool]:
    """SQL condition on ``RedListEntry``: published and valid on ``on`` (Art. 22)."""
    return repo.red_list_in_force_clause(on)
