"""Collection use cases (COL-1, COL-2, COL-5): deliver, read, amend, withdraw.

Every use case: authorise → load → rules → persist → audit, one commit. A record's content is
never updated: an amendment or withdrawal inserts a new ``record_version`` and moves the head
pointer on ``record`` (Art. 18, 33, 44). Deleting a record is refused, and the attempt is
recorded (it enters the violation register, GOV-1).

Reads answer 404, not 403, for a record the actor may not see: a provider must not learn
that another department holds a record on someone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NoReturn

from sqlalchemy.orm import Session

from xinyong.audit.binding import digest_of
from xinyong.audit.service import record_event, record_row_event
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import local_date
from xinyong.core.errors import (
    Conflict,
    InvalidInput,
    MethodNotAllowed,
    NotFound,
    PermissionDenied,
)
from xinyong.core.events import publish
from xinyong.core.permissions import allowed, require
from xinyong.db.uow import Kept, commit_kept
from xinyong.inquiry.models import InquiryChannel
from xinyong.inquiry.reads import Seen, log_look
from xinyong.inquiry.rules import read_is_logged
from xinyong.records import repository as repo
from xinyong.records import rules
from xinyong.records.amending import amended_row, subject_named
from xinyong.records.delivery import Delivery, allow_list, authorise_delivery, published_item
from xinyong.records.events import RecordChange, RecordsChanged
from xinyong.records.models import Channel, Record, RecordStatus, RecordVersion, Severity
from xinyong.records.reading import record_read
from xinyong.records.rows import ItemSpec, refuse, validate_row
from xinyong.records.rules import CleanRow
from xinyong.records.schemas import (
    AmendmentCreate,
    BatchItemResult,
    RecordBatchCreate,
    RecordBatchRead,
    RecordCreate,
    RecordRead,
    SubjectIn,
    WithdrawalCreate,
)
from xinyong.subjects.models import Subject
from xinyong.subjects.rules import SubjectRef
from xinyong.subjects.service import get_subject
from xinyong.violations.models import ViolationKind
from xinyong.violations.service import register_violation


class RecordConflict(Conflict, code="conflict"): ...


def _subject_ref(data: SubjectIn | None) -> SubjectRef | None:
    return None if data is None else SubjectRef(data.type, data.id, data.name)


def _validate(
    session: Session,
    actor: Actor,
    item: ItemSpec,
    data: RecordCreate,
    delivery: Delivery,
    at: datetime,
) -> tuple[CleanRow, Subject]:
    subject_in = _subject_ref(data.subject)
    own: Subject | None = None
    if delivery.own_subject_id is not None:
        own = get_subject(session, delivery.own_subject_id)
        subject_in = SubjectRef(own.type, own.code, own.name, own.id_kind)
    row = validate_row(
        item,
        data.fields,
        source_id=data.source_id,
        severity=data.severity.value if data.severity else None,
        subject=subject_in,
        decided_on=data.decided_on,
        document_no=data.document_no,
        today=local_date(at),
        allow_list=allow_list(session),
        validator=delivery.validator(item),
    )
    if isinstance(row, list):
        refuse(row, "记录未通过校验 / the record is invalid")
    if delivery.self_declared:
        # A subject's statements are keyed under the subject: there is no provider unit.
        row.source_key = f"subj:{delivery.own_subject_id}:{row.source_key}"
    subject = own or subject_named(session, actor, row.subject, at)
    return row, subject


def _write(
    session: Session,
    *,
    actor: Actor,
    item: ItemSpec,
    row: CleanRow,
    subject: Subject,
    delivery: Delivery,
    at: datetime,
) -> tuple[Record, bool]:
    """Insert version 1, or find the same content already delivered; raise on a conflict."""
    existing = repo.by_source_key(
        session,
        provider_org_id=delivery.provider_org_id,
        item_code=item.code,
        source_key=row.source_key,
    )
    if existing is not None:
        same = existing.content_hash == row.content_hash or bool(
            repo.records_with_version_hashes(session, [(existing.id, row.content_hash)])
        )
        if same:
            return existing, False
        raise RecordConflict(
            f"该来源编号的记录已存在且内容不同；请通过更正提交修改（POST /records/{existing.id}"
            f"/amendments）/ a record with this source id exists with other content; "
            f"amend record {existing.id} instead",
            details=[{"field": "source_id", "reason": "exists", "record_id": existing.id}],
        )
    record = Record(
        provider_org_id=delivery.provider_org_id,
        item_code=item.code,
        item_version_id=item.version_id,
        subject_id=subject.id,
        source_key=row.source_key,
        status=RecordStatus.ACTIVE,
        current_version=1,
        polarity=item.polarity,
        severity=Severity(row.severity) if row.severity else None,
        decided_on=row.decided_on,
        document_no=row.document_no,
        publicity=item.publicity,
        channel=delivery.channel,
        self_declared=delivery.self_declared,
        agreement_id=delivery.agreement_id,
        received_at=at,
        received_by_id=actor.user_id,
        received_by_name=actor.display_name,
        content_hash=row.content_hash,
    )
    session.add(record)
    session.flush()
    _keep_version(
        session,
        record,
        _version(record, row.fields, actor=actor, at=at, reason=None, basis=None),
        actor=actor,
        action="create",
        at=at,
        after={
            "item": item.code,
            "source_key": record.source_key,
            "channel": record.channel.value,
            "content_hash": record.content_hash,
            "version": 1,
        },
    )
    return record, True


def _keep_version(
    session: Session,
    record: Record,
    version: RecordVersion,
    *,
    actor: Actor,
    action: str,
    at: datetime,
    after: dict[str, Any],
    before: dict[str, Any] | None = None,
    reason: str | None = None,
) -> None:
    """Store the record's new head ``version``, audit it (``records:record:{action}``, the
    version's row digest added to ``after``) and announce the change the action makes."""
    session.add(version)
    session.flush()
    entry = record_row_event(
        session,
        record,
        actor=actor,
        tag=f"records:record:{action}",
        at=at,
        subject_id=record.subject_id,
        before=before,
        after={**after, "row_digest": digest_of("record_version", version)},
        reason=reason,
    )
    _announce(session, record, _CHANGE_KINDS[action], audit_seq=entry.seq, at=at)


#: The feed's change kind (API.md) of each action that makes a new version.
_CHANGE_KINDS = {"create": "delivered", "amend": "amended", "withdraw": "withdrawn"}


def _announce(session: Session, record: Record, kind: str, *, audit_seq: int, at: datetime) -> None:
    """Say that the record changed, ordered by the audit entry written in the same transaction
    (its seq is taken under the audit lock, so it follows commit order). The composition root
    wires what follows: the disclosure window of the new head version (DIS-4) and the feed
    (Art. 6, COL-4)."""
    change = RecordChange(
        record.id,
        record.subject_id,
        record.item_code,
        record.current_version,
        kind,
        record.provider_org_id,
    )
    publish(session, RecordsChanged(audit_seq=audit_seq, at=at, changes=(change,)))


def _version(
    record: Record,
    fields: dict[str, object],
    *,
    actor: Actor,
    at: datetime,
    reason: str | None,
    basis: str | None,
) -> RecordVersion:
    return RecordVersion(
        record_id=record.id,
        subject_id=record.subject_id,
        version=record.current_version,
        fields=fields,
        severity=record.severity,
        decided_on=record.decided_on,
        document_no=record.document_no,
        status=record.status,
        reason=reason,
        basis=basis,
        actor_id=actor.user_id,
        actor_name=actor.display_name,
        at=at,
        content_hash=record.content_hash,
    )


def deliver_record(
    session: Session, *, actor: Actor, data: RecordCreate, at: datetime
) -> tuple[RecordRead, bool]:
    """Deliver one record (COL-1). Returns it and whether it was created (False: the same
    content was already delivered under this source id — idempotent)."""
    require(actor, "records:submit")  # the role first: 401/403 before any 422
    return _deliver_one(session, actor=actor, data=data, at=at, procedure=False)


def deliver_procedure_record(
    session: Session, *, actor: Actor, data: RecordCreate, at: datetime
) -> tuple[RecordRead, bool]:
    """The record of a decision the platform's own list procedure took (Art. 22, 26 ¶2):
    ``lists`` delivers it as the deciding account. The procedure established the decision, so
    the collection-source gate of restricted items (Art. 25, 26) does not apply to it."""
    return _deliver_one(session, actor=actor, data=data, at=at, procedure=True)


def _deliver_one(
    session: Session, *, actor: Actor, data: RecordCreate, at: datetime, procedure: bool
) -> tuple[RecordRead, bool]:
    item = published_item(session, data.item, at=at)
    delivery = authorise_delivery(
        session, actor=actor, item=item, at=at, channel=Channel.API, procedure=procedure
    )
    row, subject = _validate(session, actor, item, data, delivery, at)
    record, created = _write(
        session, actor=actor, item=item, row=row, subject=subject, delivery=delivery, at=at
    )
    session.flush()
    return record_read(session, record), created


def deliver_records(
    session: Session, *, actor: Actor, data: RecordBatchCreate, at: datetime
) -> RecordBatchRead:
    """A JSON batch: each record is accepted, unchanged or rejected on its own."""
    require(actor, "records:submit")
    results: list[BatchItemResult] = []
    items: dict[str, tuple[ItemSpec, Delivery]] = {}
    for index, one in enumerate(data.records):
        try:
            with session.begin_nested():
                if one.item not in items:
                    spec = published_item(session, one.item, at=at)
                    items[one.item] = (
                        spec,
                        authorise_delivery(
                            session, actor=actor, item=spec, at=at, channel=Channel.API
                        ),
                    )
                item, delivery = items[one.item]
                row, subject = _validate(session, actor, item, one, delivery, at)
                record, created = _write(
                    session,
                    actor=actor,
                    item=item,
                    row=row,
                    subject=subject,
                    delivery=delivery,
                    at=at,
                )
        except (InvalidInput, Conflict, NotFound) as exc:
            err = {"code": exc.code, "message": exc.message, "details": exc.details}
            results.append(BatchItemResult(index=index, outcome="rejected", error=err))
        else:
            outcome = "created" if created else "unchanged"
            results.append(BatchItemResult(index=index, outcome=outcome, id=record.id))
    session.flush()
    count = {o: sum(r.outcome == o for r in results) for o in ("created", "unchanged", "rejected")}
    return RecordBatchRead(
        accepted=count["created"],
        unchanged=count["unchanged"],
        rejected=count["rejected"],
        results=results,
    )


def _visible(actor: Actor, record: Record) -> bool:
    if allowed(actor, "records:read_any"):
        return True
    if actor.role is Role.SUBJECT:
        return record.self_declared and record.subject_id == actor.subject_id
    return (
        actor.role in (Role.PROVIDER, Role.INSTITUTION)
        and actor.org_id is not None
        and record.provider_org_id == actor.org_id
    )


def _load_visible(session: Session, actor: Actor, record_id: int) -> Record:
    record = repo.get(session, record_id)
    if record is None or not _visible(actor, record):
        raise NotFound(f"没有记录 {record_id} / no record {record_id}")
    return record


def get_record(session: Session, *, actor: Actor, record_id: int) -> RecordRead:
    """A record with every version (its provider, the credit office; 404 for others).
    Unlogged: for use cases that read a record on their way to a write; a person's look goes
    through :func:`look_at_record`."""
    record = _load_visible(session, actor, record_id)
    return record_read(session, record, with_versions=True)


def look_at_record(session: Session, *, actor: Actor, record_id: int, at: datetime) -> RecordRead:
    """``GET /records/{id}`` and the record page: the record with every version, and, when its
    item is not public, an inquiry-log row its subject sees (Art. 20, 31) — the credit office's
    look for ``supervision``, its provider's for ``delivery_management``. One commit."""
    record = _load_visible(session, actor, record_id)
    read = record_read(session, record, with_versions=True)
    # A subject reading its own statement is not someone else's look (Art. 31).
    if read_is_logged(record.publicity) and actor.subject_id != record.subject_id:
        seen = Seen(record.subject_id, read.subject.code, record.item_code, record.id)
        log_look(session, actor=actor, channel=InquiryChannel.RECORD, at=at, seen=[seen])
        session.flush()
    return read


def _load_own(session: Session, actor: Actor, record_id: int, *, procedure: bool = False) -> Record:
    """Its provider corrects a record as its provider (Art. 33). Anyone else who may change it
    — the credit office — does so only through a correction procedure (an objection's
    decision, a provider's notice of a revoked decision, Art. 33, 34), which passes
    ``procedure=True``; directly, the office is refused, never taken for the provider
    (separation of duties, PLT-1). Either way the version names who."""
    record = _load_visible(session, actor, record_id)
    if procedure:
        return record
    if not allowed(actor, "records:correct_own") or record.provider_org_id != actor.org_id:
        raise PermissionDenied(
            "只有记录的提供单位可以直接更正或撤回；信用办通过异议、更正程序办理（第三十三、"
            "三十四条） / only the record's provider amends or withdraws it directly; the credit "
            "office does so through the objection and correction procedures (Art. 33, 34)",
            code="not_the_provider",
        )
    return record


def amend_record(
    session: Session,
    *,
    actor: Actor,
    record_id: int,
    data: AmendmentCreate,
    at: datetime,
    procedure: bool = False,
) -> RecordRead:
    """A correction (Art. 33, 34): a new version with reason and actor; the old one stays.
    ``procedure``: called by a correction procedure (see :func:`_load_own`)."""
    record = _load_own(session, actor, record_id, procedure=procedure)
    reason = rules.require_reason(data.reason, what="更正 amendment")
    rules.ensure_active(record.status.value)
    head = repo.head_version(session, record)
    row, subject = amended_row(session, actor=actor, record=record, head=head, data=data, at=at)
    if (
        row.fields == head.fields
        and row.severity == (record.severity.value if record.severity else None)
        and row.decided_on == record.decided_on
        and row.document_no == record.document_no
        and subject.id == record.subject_id
    ):
        raise RecordConflict(
            "更正内容与当前版本相同 / the amendment changes nothing", code="no_change"
        )
    before = {"version": record.current_version, "content_hash": record.content_hash}
    record.current_version += 1
    record.subject_id = subject.id
    record.severity = Severity(row.severity) if row.severity else None
    record.decided_on = row.decided_on
    record.document_no = row.document_no
    record.content_hash = row.content_hash
    _keep_version(
        session,
        record,
        _version(record, row.fields, actor=actor, at=at, reason=reason, basis=data.basis),
        actor=actor,
        action="amend",
        at=at,
        before=before,
        after={"version": record.current_version, "content_hash": record.content_hash},
        reason=reason,
    )
    session.flush()
    return record_read(session, record, with_versions=True)


def withdraw_record(
    session: Session,
    *,
    actor: Actor,
    record_id: int,
    data: WithdrawalCreate,
    at: datetime,
    procedure: bool = False,
) -> RecordRead:
    """Withdraw a record (e.g. its decision was revoked, Art. 34): a new version with status
    ``withdrawn``, its reason and basis. The record and its versions stay. ``procedure``:
    called by a correction procedure (see :func:`_load_own`)."""
    record = _load_own(session, actor, record_id, procedure=procedure)
    reason = rules.require_reason(data.reason, what="撤回 withdrawal")
    basis = rules.require_basis(data.basis)
    if record.status is RecordStatus.WITHDRAWN:
        raise RecordConflict("该记录已撤回 / the record is already withdrawn", code="withdrawn")
    head = repo.head_version(session, record)
    record.current_version += 1
    record.status = RecordStatus.WITHDRAWN
    _keep_version(
        session,
        record,
        _version(record, dict(head.fields), actor=actor, at=at, reason=reason, basis=basis),
        actor=actor,
        action="withdraw",
        at=at,
        before={"status": "active", "version": record.current_version - 1},
        after={"status": "withdrawn", "version": record.current_version},
        reason=f"{reason} (basis: {basis})",
    )
    session.flush()
    return record_read(session, record, with_versions=True)


def attempt_delete(session: Session, *, actor: Actor, record_id: int, at: datetime) -> NoReturn:
    """Records are never deleted (Art. 18, 44). The attempt itself is recorded and committed
    even though the request fails: in the audit log always, and on the violation register
    (GOV-1) when an account made it — an anonymous request is refused and audited, but names
    no one the credit office could hold to account."""
    record = repo.get(session, record_id)
    record_event(
        session,
        actor=actor,
        tag="records:record:delete_attempted",
        at=at,
        object_type="record",
        object_id=record_id,
        subject_id=record.subject_id if record else None,
        reason="DELETE refused: records are never deleted",
    )
    if not actor.is_anonymous:
        register_violation(
            session,
            kind=ViolationKind.ATTEMPTED_DELETION,
            at=at,
            actor=actor,
            subject_id=record.subject_id if record else None,
            object_type="record",
            object_id=record_id,
            detail={"record_exists": record is not None, "role": str(actor.role)},
        )
    commit_kept(session, Kept.DELETION_REFUSED)
    raise MethodNotAllowed(
        "记录不能删除；如需更正或撤回，请提交更正或撤回 / records are never deleted; "
        "amend or withdraw it instead",
        code="method_not_allowed",
    )
