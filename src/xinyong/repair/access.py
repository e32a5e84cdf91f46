"""Who may see and handle a repair application, and how it is shown (shared by use cases)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from xinyong.core.errors import Conflict
from xinyong.handling import access as handling
from xinyong.handling.access import (
    HANDLER_ROLES,
    CaseKind,
    is_handler,
    signed_in,
    visible,
    working_days,
)
from xinyong.handling.reads import as_stored, case_fields
from xinyong.repair.models import RepairApplication, RepairStatus
from xinyong.repair.schemas import EvidenceRead, RepairRead
from xinyong.subjects.service import get_subject

__all__ = ["HANDLER_ROLES", "is_handler", "signed_in", "visible", "working_days"]


class RepairClosed(Conflict, code="repair_closed"): ...


def _decided(repair: RepairApplication) -> RepairClosed:
    return RepairClosed(
        f"信用修复申请 {repair.id} 已处理完毕 / repair application {repair.id} is decided"
    )


#: The record's provider decides; the credit office oversees and may decide too (Art. 36).
REPAIRS = CaseKind(RepairApplication, "没有信用修复申请 {id} / no repair application {id}",
                   "只有信息提供单位或信用主管部门可以决定信用修复 / only the record's provider "
                   "or the credit office decides a repair",
                   lambda r: r.status is RepairStatus.RECEIVED, _decided)  # fmt: skip
load, load_handled = REPAIRS.load, REPAIRS.load_handled


def repair_read(session: Session, repair: RepairApplication, *, today: date) -> RepairRead:
    done = repair.status is not RepairStatus.RECEIVED
    own = as_stored(repair, ("statement", "obligations_fulfilled", "obligations_proof",
                             "severity", "rule_set", "late"))  # fmt: skip
    return RepairRead(
        **case_fields(session, repair, today=today, done=done), **own,
        subject_name=get_subject(session, repair.subject_id).name,
        handler=handling.org_name(session, repair.provider_org_id),
        applicant=repair.applicant_name, commitment=repair.commitment_text,
        evidence=[EvidenceRead.model_validate(e) for e in repair.evidence or []],
    )  # fmt: skip
