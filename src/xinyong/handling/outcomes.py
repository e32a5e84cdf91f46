"""What a case's outcome does to its record, shared by the kinds of case: the mark every
channel honours (DIS-5, RGT-5). Which mark, and when, is each context's own law."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from xinyong.audit.models import AuditEntry
from xinyong.audit.service import record_event
from xinyong.core.actor import Actor
from xinyong.core.errors import InvalidInput
from xinyong.documents.models import DocumentKind
from xinyong.documents.service import issue_document
from xinyong.handling.access import Case
from xinyong.marks.models import MarkKind
from xinyong.marks.service import put_mark
from xinyong.records.models import Record
from xinyong.subjects.service import get_subject


def mark_record(
    session: Session, record: Record, kind: MarkKind, *, case: str, case_id: int, at: datetime
) -> None:
    """Put ``kind`` on ``record`` for the case ``case`` #``case_id`` (idempotent per case)."""
    put_mark(
        session, record_id=record.id, subject_id=record.subject_id, kind=kind,
        source_type=case, source_id=case_id, at=at,
    )  # fmt: skip


def audit_case(
    session: Session,
    case: Case,
    object_type: str,
    *,
    actor: Actor,
    tag: str,
    at: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
) -> AuditEntry:
    """The audit entry of a step in a case, about the case and its subject, in the use case's
    transaction."""
    return record_event(
        session, actor=actor, tag=tag, at=at, object_type=object_type, object_id=case.id,
        subject_id=case.subject_id, before=before, after=after, reason=reason,
    )  # fmt: skip


def notify_decision(
    session: Session,
    case: Case,
    object_type: str,
    *,
    kind: DocumentKind,
    title: str,
    paragraphs: list[str],
    facts: list[list[str]],
    issuer: str,
    at: datetime,
) -> str:
    """The written decision to the case's subject (PLT-4), in the context's words; its number."""
    doc = issue_document(
        session, kind=kind, title=title, at=at,
        body={"paragraphs": paragraphs, "facts": facts, "issuer": issuer},
        recipient_subject_id=case.subject_id,
        recipient_name=get_subject(session, case.subject_id).name,
        object_type=object_type, object_id=case.id,
    )  # fmt: skip
    return doc.number


E = TypeVar("E", bound=StrEnum)


def chosen(
    cls: type[E],
    value: str,
    *,
    among: Sequence[E],
    name: tuple[str, str],
    listed: Sequence[str] | None = None,
) -> E:
    """``value`` as one of ``among`` — a decision's outcome, a filing's kind — else 422 naming
    them (``name``: what is chosen, in Chinese and as the field; ``listed``: the values the
    error's detail lists, by default ``among``)."""
    found = next((m for m in among if m.value == value), None)
    if found is not None:
        return found
    zh, en = " 或 ".join(among), " or ".join(among)
    raise InvalidInput(
        f"{name[0]}须为 {zh} / {name[1]} must be {en}, not {value!r}",
        details=[{"field": name[1], "reason": " | ".join(listed or among)}],
    )


def reason_given(reason: str, message: str) -> str:
    """A decision states its reasons (Art. 32, 33, 36): the reason stripped, else 422."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput(message, details=[{"field": "reason", "reason": "required"}])
    return reason
