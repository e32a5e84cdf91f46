"""Credit commitments made in licensing and their fulfilment (Art. 8, 15; MEA-6).

The organ that received a commitment records it and, later, its fulfilment or breach. A breach
becomes a ``credit_commitment`` record with fulfilment ``未履行`` delivered through the normal
records path (provenance, audit, change feed), linked from the commitment; the grading rules
and regulatory measures treat such a record as a breach of an agreed obligation (Art. 23).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from sqlalchemy.orm import Session

from xinyong.audit.service import record_event
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import local_date
from xinyong.core.errors import InvalidInput, NotFound
from xinyong.core.identifiers import IdentifierKind, check_identifier
from xinyong.measures import repository as repo
from xinyong.measures import rules
from xinyong.measures.access import COMMITMENTS, require_role
from xinyong.measures.models import Commitment, CommitmentStatus
from xinyong.measures.schemas import (
    CommitmentClose,
    CommitmentCreate,
    CommitmentList,
    CommitmentRead,
)
from xinyong.records.schemas import RecordCreate, SubjectIn
from xinyong.records.service import deliver_record
from xinyong.subjects.models import Subject
from xinyong.subjects.service import find_by_code, get_subject

BREACH_ITEM = "credit_commitment"
BREACHED = "未履行"
#: The commitment types of the national catalogue's ``credit_commitment`` item (CN_LX).
COMMITMENT_TYPES = ("审批替代型", "容缺受理型", "信用修复型", "行业自律型", "主动型")


def record_commitment(
    session: Session, *, actor: Actor, data: CommitmentCreate, at: datetime
) -> CommitmentRead:
    """Record a commitment made in a licensing matter (Art. 8)."""
    require_role(actor, COMMITMENTS, "measures:commitments")
    subject = find_by_code(session, data.subject)
    problems = []
    if subject is None:
        problems.append({"field": "subject", "reason": f"unknown subject {data.subject}"})
    if data.commitment_type not in COMMITMENT_TYPES:
        problems.append({"field": "commitment_type", "reason": f"one of {COMMITMENT_TYPES}"})
    uscc = check_identifier(data.unit_uscc, kind=IdentifierKind.USCC)
    if not uscc.valid:
        problems.append({"field": "unit_uscc", "reason": uscc.error or "invalid"})
    if data.due_on < local_date(at):
        problems.append({"field": "due_on", "reason": "before the day it is made"})
    if problems or subject is None:
        raise InvalidInput("信用承诺无效 / the commitment is invalid", details=problems)
    row = Commitment(
        subject_id=subject.id, matter=data.matter, commitment_type=data.commitment_type,
        terms=data.terms, made_at=at, due_on=data.due_on, status=CommitmentStatus.OPEN,
        org_id=actor.org_id, org_name=actor.org_name or "", unit_uscc=uscc.normalized or "",
        recorded_by_name=actor.display_name,
    )  # fmt: skip
    session.add(row)
    session.flush()
    _audit(session, actor, "measures:commitment:record", at, row, None)
    session.flush()
    return commitment_read(row, at)


def _own(session: Session, actor: Actor, commitment_id: int) -> Commitment:
    require_role(actor, COMMITMENTS, "measures:commitments")
    row = repo.get_commitment(session, commitment_id)
    if row is None or actor.org_id is None or row.org_id != actor.org_id:
        raise NotFound(f"没有承诺 {commitment_id} / no commitment {commitment_id}")
    return row


def mark_fulfilled(
    session: Session, *, actor: Actor, commitment_id: int, data: CommitmentClose, at: datetime
) -> CommitmentRead:
    row = _own(session, actor, commitment_id)
    rules.ensure_open(row.status.value)
    _close(row, CommitmentStatus.FULFILLED, actor, data.note, at)
    session.flush()
    _audit(session, actor, "measures:commitment:fulfil", at, row, "open")
    session.flush()
    return commitment_read(row, at)


def mark_breached(
    session: Session, *, actor: Actor, commitment_id: int, data: CommitmentClose, at: datetime
) -> CommitmentRead:
    """A breach (Art. 8) becomes a negative record through the records service: the status
    change, its audit entry and the record are committed together by the delivery; the link
    to the record follows in a second, trivial commit."""
    row = _own(session, actor, commitment_id)
    rules.ensure_open(row.status.value)
    subject = get_subject(session, row.subject_id)
    _close(row, CommitmentStatus.BREACHED, actor, data.note, at)
    session.flush()
    _audit(session, actor, "measures:commitment:breach", at, row, "open")
    # The receiving organ is the collection source of commitments (catalogue); an inquirer
    # account of that organ delivers as its provider.
    delivering = (
        actor if actor.role is Role.PROVIDER else dataclasses.replace(actor, role=Role.PROVIDER)
    )
    # A refused delivery fails the whole use case: its unit of work rolls the breach back.
    record, _ = deliver_record(
        session, actor=delivering, data=_breach_record(row, subject, at), at=at
    )
    row.breach_record_id = record.id
    session.flush()
    return commitment_read(row, at)


def _breach_record(row: Commitment, subject: Subject, at: datetime) -> RecordCreate:
    person = subject.type == "natural_person"
    party: dict[str, str] = (
        {"XDR_LB": "自然人", "XDR_ZJLX": "身份证", "XDR_ZJHM": subject.code}
        if person
        else {"XDR_LB": "法人及非法人组织", "XDR_SHXYM": subject.code}
    )
    fields = {
        "XDR_MC": subject.name, **party, "CN_LX": row.commitment_type, "CN_NR": row.terms,
        "CN_RQ": local_date(row.made_at).isoformat(), "CN_SXDW": row.org_name,
        "CN_LXZT": BREACHED, "LYDW": row.org_name, "LYDWDM": row.unit_uscc,
        "BZ": f"违背信用承诺（{row.matter}）：{row.note or ''}",
    }  # fmt: skip
    return RecordCreate(
        item=BREACH_ITEM,
        source_id=f"commitment-{row.id}-breach",
        subject=SubjectIn(type=subject.type, id=subject.code, name=subject.name),
        fields=fields,
        decided_on=local_date(at),
    )


def _close(
    row: Commitment, status: CommitmentStatus, actor: Actor, note: str, at: datetime
) -> None:
    row.status = status
    row.closed_at = at
    row.closed_by_name = actor.display_name
    row.note = note


def list_commitments(
    session: Session, *, actor: Actor, at: datetime, subject_code: str | None = None
) -> CommitmentList:
    """Commitments recorded by the actor's organ (optionally of one subject); a subject reads
    its own (Art. 31)."""
    if actor.role is Role.SUBJECT and actor.subject_id is not None:
        rows = repo.commitments(session, subject_id=actor.subject_id)
    else:
        require_role(actor, COMMITMENTS, "measures:commitments")
        subject = find_by_code(session, subject_code) if subject_code else None
        if subject_code and subject is None:
            return CommitmentList(items=[])
        rows = repo.commitments(
            session, subject_id=subject.id if subject else None, org_id=actor.org_id or -1
        )
    return CommitmentList(items=[commitment_read(r, at) for r in rows])


def commitment_read(row: Commitment, at: datetime) -> CommitmentRead:
    read = CommitmentRead.model_validate(row, from_attributes=True)
    read.overdue = rules.commitment_breached(
        status=row.status.value, due_on=row.due_on, on=local_date(at)
    )
    return read


def _audit(
    session: Session, actor: Actor, tag: str, at: datetime, row: Commitment, before: str | None
) -> None:
    record_event(
        session, actor=actor, tag=tag, at=at, object_type="commitment", object_id=row.id,
        subject_id=row.subject_id, before=None if before is None else {"status": before},
        after={"status": row.status.value, "matter": row.matter,
               "due_on": row.due_on.isoformat(), "breach_record_id": row.breach_record_id},
    )  # fmt: skip
