"""Inquiry use cases (Art. 17–20, 38; INQ-1…3, DIS-1, DIS-2, CSI-2).

Three doors read a subject's non-public information, and each leaves a row in the inquiry log:

- :func:`inquire` — a state organ's government sharing inquiry, for a published purpose within
  the account's authority (purposes and items);
- :func:`authorized_inquiry` — a credit service institution, only under the subject's live
  consent naming its organisation and the purpose, and only for the consented items;
- :func:`window_inquiry` — credit-office staff at the service window querying on a subject's
  behalf (the subject's own query, Art. 17, 31), with the identity check recorded.

Every inquiry that reaches the platform from an account is logged, answered or refused (INQ-2).
A refused one is logged and committed before the error is raised, so a refusal cannot vanish
with a rolled-back request. An answered one is logged in the same transaction that assembles the
answer, and the answer is returned only after that commit: if the log cannot be written, the
inquiry fails and nothing is disclosed.

Harvesting (Art. 18; INQ-3): an account's and an address's token buckets limit the rate (429 with
``Retry-After``); an account that asks about more distinct subjects within the policy's window
than the policy allows is put on the violation register and refused for the cool-down (429,
``harvesting_suspected`` and then ``harvesting_blocked``). Blocking, not merely alerting: an
enumeration that kept being answered while someone reads the register would already have taken
the data. The block rests on the database, so it holds in every process and across restarts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

from sqlalchemy.orm import Session

from xinyong.audit.binding import digest_of_values
from xinyong.audit.service import AuditEvent, record_insert
from xinyong.catalogue import service as catalogue
from xinyong.core import identifiers as ids
from xinyong.core.actor import Actor, Role
from xinyong.core.errors import (
    InvalidInput,
    NotAuthenticated,
    RateLimited,
    XinyongError,
)
from xinyong.db.uow import Kept, commit_kept
from xinyong.disclosure.rules import Channel
from xinyong.disclosure.schemas import DisclosedRecord
from xinyong.disclosure.service import visible_records
from xinyong.inquiry import purposes, refusals, rules, screening
from xinyong.inquiry import repository as repo
from xinyong.inquiry.consents import grant_consent, my_consents, revoke_consent
from xinyong.inquiry.log import inquiries_for_auditor, my_inquiries
from xinyong.inquiry.models import Inquiry, InquiryChannel, Outcome
from xinyong.inquiry.ratelimit import InquiryGuard, harvesting_policy
from xinyong.inquiry.rules import HarvestingPolicy
from xinyong.inquiry.schemas import InquiryAnswer, SubjectBrief
from xinyong.inquiry.screening import SubjectBrief as Found
from xinyong.institutions import service as institutions
from xinyong.subjects.service import find_by_code
from xinyong.violations import service as violations
from xinyong.violations.models import ViolationKind

__all__ = [
    "authorized_inquiry",
    "grant_consent",
    "inquire",
    "inquiries_for_auditor",
    "my_consents",
    "my_inquiries",
    "revoke_consent",
    "window_inquiry",
]

#: The log's table name: the audit entry's object type and the row digest's table.
_LOG_TABLE: str = Inquiry.__tablename__

#: What a service-window query is for: the subject's own query (Art. 31), not an organ's.
SELF_QUERY = "self_query"


@dataclass(frozen=True, slots=True)
class _Attempt:
    actor: Actor
    subject_code: str
    purpose: str
    channel: InquiryChannel
    at: datetime
    address: str | None = None
    identity_check: str | None = None


def _log(
    session: Session,
    attempt: _Attempt,
    *,
    subject_id: int | None,
    records: Sequence[DisclosedRecord] = (),
    refusal: XinyongError | None = None,
    consent_id: int | None = None,
) -> int:
    """Write the log row (Art. 20) and its audit entry, bound by the row's digest, and count an
    answer against the daily cap; the row's id. Prebuilt statements in the caller's
    transaction; never commits."""
    actor = attempt.actor
    outcome = Outcome.REFUSED if refusal else Outcome.ANSWERED
    row: dict[str, Any] = {
        **repo.asker_columns(actor, attempt.at, attempt.address),
        "subject_id": subject_id,
        "subject_code": attempt.subject_code[:64],
        "purpose": attempt.purpose[:64],
        "channel": attempt.channel,
        "outcome": outcome,
        "refusal_code": refusal.code if refusal else None,
        "refusal_reason": refusal.message[:500] if refusal else None,
        "items": sorted({r.item for r in records}),
        "record_ids": [r.id for r in records],
        "consent_id": consent_id,
        "identity_check": attempt.identity_check,
    }
    counted = None
    if refusal is None and actor.user_id is not None:
        counted = purposes.counting(
            session, user_id=actor.user_id, channel=attempt.channel, at=attempt.at
        )

    def entry(row_id: int) -> AuditEvent:
        after = {
            "channel": attempt.channel.value,
            "purpose": row["purpose"],
            "subject_code": row["subject_code"],
            "outcome": outcome.value,
            "refusal_code": row["refusal_code"],
            "items": row["items"],
            "record_ids": row["record_ids"],
            "consent_id": consent_id,
            "row_digest": digest_of_values(_LOG_TABLE, {**row, "id": row_id}),
        }
        tag = f"inquiry:inquiry:{'refuse' if refusal else 'answer'}"
        return AuditEvent(tag, _LOG_TABLE, row_id, subject_id, after=after)

    # The row, its entry and the counter: two statements on PostgreSQL (``record_insert``).
    row_id = record_insert(
        session,
        actor=actor,
        at=attempt.at,
        insert=repo.INSERT_INQUIRY,
        values=row,
        event=entry,
        then=counted,
    )
    return row_id


def _refuse(
    session: Session, attempt: _Attempt, error: XinyongError, *, subject_id: int | None = None
) -> NoReturn:
    _log(session, attempt, subject_id=subject_id, refusal=error)
    commit_kept(session, Kept.INQUIRY_REFUSED)
    raise error


def _screen(
    session: Session, attempt: _Attempt, *, role: Role, guard: InquiryGuard | None
) -> Found:
    """The checks every inquiry passes, in order; each refusal is logged. Returns the subject."""
    actor = attempt.actor
    if actor.is_anonymous:
        raise NotAuthenticated("请先登录 / log in to inquire")
    if actor.role is not role:
        _refuse(session, attempt, refusals.wrong_role(actor.role.value))
    if role is Role.INSTITUTION:
        # Only a filed institution in good standing reaches non-public data (Art. 37, 38).
        barred = institutions.inquiry_bar(session, org_id=actor.org_id)
        if barred is not None:
            _refuse(session, attempt, refusals.institution_not_filed(barred))
    if guard is not None:
        try:
            guard.take(account=actor.user_id, address=attempt.address)
        except RateLimited as exc:
            _refuse(session, attempt, exc)
    policy = guard.policy if guard is not None else harvesting_policy()
    assert actor.user_id is not None
    facts = screening.facts(
        session,
        user_id=actor.user_id,
        code=attempt.subject_code,
        purpose=attempt.purpose,
        at=attempt.at,
        cooldown_since=attempt.at - policy.cooldown,
        window_since=attempt.at - policy.window,
        day_start=purposes.day_start(attempt.at),
    )
    if facts.alert_at is not None:
        left = rules.cooldown_left(facts.alert_at, attempt.at, policy)
        if left > 0:
            _refuse(session, attempt, refusals.blocked(left))
    per_day = purposes.binding_cap(facts.account_cap, facts.default_cap, policy.daily_cap)
    if rules.cap_reached(facts.answered_today, per_day):
        _refuse(session, attempt, purposes.cap_refusal(per_day, attempt.at))
    in_force = purposes.in_force(attempt.purpose, facts.purpose_status)
    if not rules.purpose_allowed(
        attempt.purpose, actor.purposes, {attempt.purpose} if in_force else ()
    ):
        _refuse(session, attempt, refusals.purpose_outside(attempt.purpose))
    distinct = rules.distinct_with(facts.recent_distinct, asked_before=facts.asked_before)
    if rules.over_threshold(distinct, policy):
        _harvesting(session, attempt, distinct, policy)
    if facts.subject is None:
        _refuse(session, attempt, refusals.unknown_subject(attempt.subject_code))
    return facts.subject


def _harvesting(
    session: Session, attempt: _Attempt, distinct: int, policy: HarvestingPolicy
) -> NoReturn:
    violations.register_violation(
        session,
        kind=ViolationKind.HARVESTING,
        at=attempt.at,
        actor=attempt.actor,
        object_type="account",
        object_id=attempt.actor.user_id,
        detail={
            "distinct_subjects": distinct,
            "channel": attempt.channel.value,
            "address": attempt.address,
            "cooldown_minutes": policy.cooldown_minutes,
            "threshold": policy.distinct_subjects,
            "window_minutes": policy.window_minutes,
        },
    )
    _refuse(session, attempt, refusals.harvesting(distinct, policy.cooldown_minutes))


def _answer(
    session: Session,
    attempt: _Attempt,
    subject: Found,
    records: list[DisclosedRecord],
    consent_id: int | None = None,
) -> InquiryAnswer:
    inquiry_id = _log(
        session, attempt, subject_id=subject.id, records=records, consent_id=consent_id
    )
    return InquiryAnswer(
        inquiry_id=inquiry_id,
        subject=SubjectBrief(code=subject.code, name=subject.name, type=subject.type),
        purpose=attempt.purpose,
        channel=attempt.channel.value,
        records=records,
    )


def _code(value: str) -> str:
    return ids.normalize_identifier(value)[:64]


def inquire(
    session: Session,
    *,
    actor: Actor,
    subject_code: str,
    purpose: str,
    at: datetime,
    items: Collection[str] | None = None,
    guard: InquiryGuard | None = None,
    address: str | None = None,
) -> InquiryAnswer:
    """A state organ's inquiry (Art. 19, 20; INQ-1): 403 ``purpose_not_authorised`` or
    ``item_not_authorised`` outside the account's authority; logged either way (INQ-2)."""
    attempt = _Attempt(actor, _code(subject_code), purpose, InquiryChannel.GOVERNMENT, at, address)
    subject = _screen(session, attempt, role=Role.INQUIRER, guard=guard)
    if items is not None:
        published = {v.item.code for v in catalogue.published_items(session, at=at)}
        outside = rules.items_outside(items, actor.items, published)
        if outside:
            _refuse(session, attempt, refusals.items_outside(outside), subject_id=subject.id)
    reach = rules.effective_items(items, actor.items)
    records = _disclosed(session, attempt, subject, Channel.GOVERNMENT, reach)
    return _answer(session, attempt, subject, records)


def _disclosed(
    session: Session,
    attempt: _Attempt,
    subject: Found,
    channel: Channel,
    items: Collection[str] | None,
    *,
    private_fields: bool = False,
) -> list[DisclosedRecord]:
    """What ``channel`` discloses of ``subject``'s ``items`` to the attempt's actor, then."""
    return visible_records(
        session,
        channel=channel,
        subject_id=subject.id,
        actor=attempt.actor,
        at=attempt.at,
        items=items,
        private_fields=private_fields,
    )


def authorized_inquiry(
    session: Session,
    *,
    actor: Actor,
    subject_code: str,
    purpose: str,
    at: datetime,
    guard: InquiryGuard | None = None,
    address: str | None = None,
) -> InquiryAnswer:
    """An institution's authorized inquiry (Art. 16, 38; DIS-1, CSI-2): only under a live
    consent naming its organisation and this purpose, and only the consented items."""
    attempt = _Attempt(actor, _code(subject_code), purpose, InquiryChannel.AUTHORIZED, at, address)
    subject = _screen(session, attempt, role=Role.INSTITUTION, guard=guard)
    consent = None
    if actor.org_id is not None:
        candidates = repo.candidate_consents(
            session, subject_id=subject.id, org_id=actor.org_id, purpose=purpose, at=at
        )
        consent = next(
            (
                c
                for c in candidates
                if rules.consent_live(
                    granted_at=c.granted_at, expires_at=c.expires_at, revoked_at=c.revoked_at, at=at
                )
            ),
            None,
        )
    if consent is None:
        _refuse(session, attempt, refusals.no_consent(), subject_id=subject.id)
    reach = rules.effective_items(consent.items, actor.items) or frozenset()
    private = consent.private_fields
    records = _disclosed(
        session, attempt, subject, Channel.AUTHORIZED, reach, private_fields=private
    )
    records = [r for r in records if rules.consent_covers(consent.items, r.item)]
    return _answer(session, attempt, subject, records, consent_id=consent.id)


def window_inquiry(
    session: Session,
    *,
    actor: Actor,
    subject_code: str,
    identity_check: str,
    at: datetime,
) -> InquiryAnswer:
    """A service-window query (Art. 17; DIS-2): credit-office staff, at the person's request
    and after checking their identity, read everything held on the subject as the subject
    would (Art. 31). The identity check is recorded in the log, which the subject sees."""
    check = identity_check.strip()
    attempt = _Attempt(
        actor, _code(subject_code), SELF_QUERY, InquiryChannel.WINDOW, at, identity_check=check
    )
    if actor.is_anonymous:
        raise NotAuthenticated("请先登录 / log in to inquire")
    if len(check) < 2:
        raise InvalidInput(
            "须记录身份核验方式 / record how the person's identity was checked",
            code="identity_check_missing",
            details=[{"field": "identity_check", "reason": "required"}],
        )
    if actor.role is not Role.CREDIT_OFFICE:
        _refuse(session, attempt, refusals.window_role())
    subject = find_by_code(session, attempt.subject_code)
    if subject is None:
        _refuse(session, attempt, refusals.unknown_subject(attempt.subject_code))
    # The staff member reads as the subject would: the subject's own channel (Art. 31).
    on_behalf = dataclasses.replace(
        actor, role=Role.SUBJECT, subject_id=subject.id, subject_code=subject.code
    )
    records = visible_records(
        session, channel=Channel.SELF, subject_id=subject.id, actor=on_behalf, at=at
    )
    found = Found(subject.id, subject.code, subject.name, subject.type)
    return _answer(session, attempt, found, records)
