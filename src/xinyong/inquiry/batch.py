"""The inquiries of a declared batch check (批量比对; Art. 16, 18–20, 31, 38; INQ-1…3).

A batch is a file of subjects an inquirer (a state organ's account) or a credit service
institution declares with one matter: each row is one inquiry, screened as a single inquiry is
(role, the institution's filing, a harvesting block in force, the purpose within the account's
authority, the daily cap, and for an institution the subject's live consent naming it and the
purpose), logged in the inquiry log with channel ``batch`` (the subject sees each answered one
under "who looked"), answered or refused.

A declared batch is its own channel, not an enumeration: the harvesting guard of
``service._screen`` counts distinct subjects asked one by one, which a file of thousands would
always exceed. The batch is declared up front — its file, matter and size stored and audited —
so what the guard looks for (an account quietly walking the register) is not hidden: it is the
very thing declared, capped by the daily cap counting each row (Art. 18), logged row by row and
read by the auditors. Rows of a batch are therefore left out of the enumeration count, and the
token buckets (a burst limit for interactive use) are not charged per row. Decision recorded in
docs/compliance.md.

The rows of one chunk are logged with one audit entry binding them (``row_ids``,
``rows_sha256``), as a logged look does. Flushes, never commits: the caller commits the chunk.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from xinyong.audit.binding import digest_of, id_ranges, rows_sha256
from xinyong.audit.service import record_event
from xinyong.core.actor import Actor, Role
from xinyong.core.context import current_request_id
from xinyong.core.errors import NotAuthenticated, PermissionDenied, XinyongError
from xinyong.disclosure.rules import Channel
from xinyong.disclosure.schemas import DisclosedRecord
from xinyong.disclosure.service import visible_records
from xinyong.inquiry import purposes, refusals, rules
from xinyong.inquiry import repository as repo
from xinyong.inquiry.models import Consent, Inquiry, InquiryChannel, Outcome
from xinyong.inquiry.ratelimit import harvesting_policy
from xinyong.institutions import service as institutions
from xinyong.subjects.models import Subject
from xinyong.subjects.service import find_by_code
from xinyong.violations import service as violations
from xinyong.violations.models import ViolationKind

#: Who may declare a batch check.
BATCH_ROLES = frozenset({Role.INQUIRER, Role.INSTITUTION})
#: Refusal code of a row whose given name is not the subject's.
NAME_MISMATCH = "name_mismatch"


@dataclass(frozen=True, slots=True)
class BatchAsk:
    """One row to ask: ``key`` is the caller's own id for it; ``code`` normalised."""

    key: int
    code: str
    name: str | None = None


@dataclass(slots=True)
class BatchAnswer:
    """What one row got: answered (``inquiry_id``, ``subject``, ``records``) or refused."""

    key: int
    inquiry_id: int | None = None
    subject: Subject | None = None
    records: list[DisclosedRecord] = field(default_factory=list)
    refusal_code: str | None = None
    refusal: str | None = None

    @property
    def answered(self) -> bool:
        return self.refusal_code is None


def require_batch_role(actor: Actor) -> None:
    if actor.is_anonymous:
        raise NotAuthenticated("请先登录 / log in to run a batch check")
    if actor.role not in BATCH_ROLES:
        raise refusals.wrong_role(actor.role.value)


def account_refusal(session: Session, *, actor: Actor, purpose: str, at: datetime) -> None:
    """The account-level screen of a batch (no row asked yet): its role, an institution's
    filing, a harvesting block in force, the purpose. Raises the refusal."""
    require_batch_role(actor)
    if actor.role is Role.INSTITUTION:
        barred = institutions.inquiry_bar(session, org_id=actor.org_id)
        if barred is not None:
            raise refusals.institution_not_filed(barred)
    policy = harvesting_policy()
    assert actor.user_id is not None
    alert = violations.latest_violation(
        session, kind=ViolationKind.HARVESTING, user_id=actor.user_id,
        since=at - policy.cooldown, until=at,
    )  # fmt: skip
    if alert is not None and (left := rules.cooldown_left(alert.at, at, policy)) > 0:
        raise refusals.blocked(left)
    in_force = purposes.purposes_in_force(session)
    if not rules.purpose_allowed(purpose, actor.purposes, in_force):
        raise refusals.purpose_outside(purpose)


def same_name(given: str, held: str) -> bool:
    """A given name matches the register's when equal after NFKC, case and spaces (full-width
    brackets are the same as half-width ones after NFKC)."""

    def norm(v: str) -> str:
        return "".join(unicodedata.normalize("NFKC", v).split()).casefold()

    return norm(given) == norm(held)


def _live_consent(
    session: Session, actor: Actor, subject_id: int, purpose: str, at: datetime
) -> Consent | None:
    if actor.org_id is None:
        return None
    for c in repo.candidate_consents(
        session, subject_id=subject_id, org_id=actor.org_id, purpose=purpose, at=at
    ):
        if rules.consent_live(
            granted_at=c.granted_at, expires_at=c.expires_at, revoked_at=c.revoked_at, at=at
        ):
            return c
    return None


def _records(
    session: Session, actor: Actor, subject: Subject, consent: Consent | None, at: datetime
) -> list[DisclosedRecord]:
    if consent is None:  # a state organ: within its item authority (Art. 19, 20)
        return visible_records(
            session, channel=Channel.GOVERNMENT, subject_id=subject.id, actor=actor, at=at,
            items=rules.effective_items(None, actor.items),
        )  # fmt: skip
    reach = rules.effective_items(consent.items, actor.items) or frozenset()
    found = visible_records(
        session, channel=Channel.AUTHORIZED, subject_id=subject.id, actor=actor, at=at,
        items=reach, private_fields=consent.private_fields,
    )  # fmt: skip
    return [r for r in found if rules.consent_covers(consent.items, r.item)]


def batch_inquiries(
    session: Session,
    *,
    actor: Actor,
    purpose: str,
    at: datetime,
    asks: Sequence[BatchAsk],
    batch_id: int,
    address: str | None = None,
) -> list[BatchAnswer]:
    """Ask every row of one chunk; log each (answered or refused) and bind the chunk's rows
    to one audit entry. Flushes, never commits."""
    require_batch_role(actor)
    assert actor.user_id is not None
    try:
        account_refusal(session, actor=actor, purpose=purpose, at=at)
        shared: XinyongError | None = None
    except XinyongError as exc:
        shared = exc  # every row of the chunk is refused with it, and logged
    policy = harvesting_policy()
    per_day = purposes.cap_of(session, user_id=actor.user_id, default=policy.daily_cap)
    used = purposes.answered_today(session, user_id=actor.user_id, at=at)
    rows: list[Inquiry] = []
    answers: list[BatchAnswer] = []
    for ask in asks:
        answer = BatchAnswer(key=ask.key)
        subject = find_by_code(session, ask.code)
        consent: Consent | None = None
        refusal: XinyongError | None = shared
        if refusal is None and subject is None:
            refusal = refusals.unknown_subject(ask.code)
        if (
            refusal is None
            and subject is not None
            and ask.name
            and not same_name(ask.name, subject.name)
        ):
            refusal = PermissionDenied(
                "名称与主体代码不符（登记名称不予显示）/ the name given does not match the "
                "subject's registered name (not shown)",
                code=NAME_MISMATCH,
            )
        if refusal is None and rules.cap_reached(used, per_day):
            refusal = purposes.cap_refusal(per_day, at)
        if refusal is None and subject is not None and actor.role is Role.INSTITUTION:
            consent = _live_consent(session, actor, subject.id, purpose, at)
            if consent is None:
                refusal = refusals.no_consent()
        if refusal is None and subject is not None:
            answer.records = _records(session, actor, subject, consent, at)
            answer.subject = subject
            used += 1
        else:
            assert refusal is not None
            answer.refusal_code, answer.refusal = refusal.code, refusal.message
        row = Inquiry(
            at=at, user_id=actor.user_id, user_name=actor.display_name, org_id=actor.org_id,
            org_code=actor.org_code, org_name=actor.org_name,
            subject_id=subject.id if subject is not None else None, subject_code=ask.code[:64],
            purpose=purpose[:64], channel=InquiryChannel.BATCH,
            outcome=Outcome.REFUSED if refusal else Outcome.ANSWERED,
            refusal_code=refusal.code if refusal else None,
            refusal_reason=refusal.message[:500] if refusal else None,
            items=sorted({r.item for r in answer.records}),
            record_ids=[r.id for r in answer.records],
            consent_id=consent.id if consent is not None else None, identity_check=None,
            request_id=current_request_id(), address=(address or None) and address[:64],
        )  # fmt: skip
        session.add(row)
        rows.append(row)
        answers.append(answer)
    if not rows:
        return answers
    session.flush()
    for answer, row in zip(answers, rows, strict=True):
        answer.inquiry_id = row.id
    answered = sum(1 for a in answers if a.answered)
    record_event(
        session, actor=actor, tag="inquiry:batch:chunk", at=at, object_type="inquiry",
        after={
            "batch_id": batch_id, "channel": InquiryChannel.BATCH.value, "purpose": purpose,
            "answered": answered, "refused": len(rows) - answered,
            # Binds every row written here to this entry (audit.binding).
            "row_ids": id_ranges(r.id for r in rows),
            "rows_sha256": rows_sha256((r.id, digest_of("inquiry", r)) for r in rows),
        },
    )  # fmt: skip
    purposes.count_answered(
        session, user_id=actor.user_id, channel=InquiryChannel.BATCH, at=at, n=answered
    )
    return answers
