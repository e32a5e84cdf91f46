"""A list entry goes live as a record of its catalogue item (``serious_dishonesty`` /
``red_list``), delivered through the records delivery path with the deciding organ as its
provider. So publicity, disclosure windows (DIS-4), objection marks, credit reports, the change
feed and the webhooks all treat list entries like every other record (Art. 6, 26 ¶2, 22).

The records use cases own their transaction (they commit). The delivery therefore comes first
and is idempotent on a source id derived from the procedure (``list-procedure-<id>``): if the
lists part of the use case then fails, a retry finds the same record instead of a second one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.catalogue.service import field_specs, require_published_version
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import local_date
from xinyong.core.errors import InvalidInput
from xinyong.lists import rules
from xinyong.lists.models import ListProcedure, RedListEntry
from xinyong.records import service as records
from xinyong.records.schemas import RecordCreate, WithdrawalCreate
from xinyong.subjects.models import Subject

ID_TYPES = {"resident_id": "身份证", "passport": "护照号"}


def operator(actor: Actor) -> Actor:
    """The deciding organ's staff member, acting as the provider of the list's record."""
    if actor.org_id is None:
        raise InvalidInput(
            "认定部门账号须属于某机构 / the deciding account must belong to an organisation",
            code="no_organisation",
        )
    return Actor(
        role=Role.PROVIDER,
        user_id=actor.user_id,
        username=actor.username,
        display_name=actor.display_name,
        org_id=actor.org_id,
        org_code=actor.org_code,
        org_name=actor.org_name,
    )


def party_fields(subject: Subject) -> dict[str, Any]:
    if subject.type == "natural_person":
        return {
            "XDR_MC": subject.name,
            "XDR_LB": "自然人",
            "XDR_ZJLX": ID_TYPES.get(subject.id_kind, "护照号"),
            "XDR_ZJHM": subject.code,
        }
    return {"XDR_MC": subject.name, "XDR_LB": "法人及非法人组织", "XDR_SHXYM": subject.code}


def entry_fields(
    p: ListProcedure,
    subject: Subject,
    *,
    representative: str | None,
    period: tuple[date, date],
    notice_served_on: date | None = None,
) -> dict[str, Any]:
    """The ``serious_dishonesty`` record of a published entry (Art. 26 ¶2, 27), with the
    decision's date and the day its prior notice was served when the procedure holds them."""
    fields = party_fields(subject)
    if p.decided_at is not None:
        fields["YZ_JDRQ"] = local_date(p.decided_at).isoformat()
    if notice_served_on is not None:
        fields["YZ_GZSDRQ"] = notice_served_on.isoformat()
    fields.update(
        {
            "YZ_LRYJ": p.legal_basis,
            "YZ_LRSY": rules.GROUND_TEXTS[p.ground][0],
            "YZ_RDWH": p.decision_number or f"LIST-{p.id}",
            "YZ_RDJG": p.deciding_org_name or "",
            "YZ_LRRQ": period[0].isoformat(),
            "YZ_YXQZ": period[1].isoformat(),
            "severity": "serious",
            "LYDW": p.deciding_org_name or "",
            "LYDWDM": p.deciding_org_uscc or "",
        }
    )
    if representative:
        fields["FRDB"] = representative
    return fields


#: Fields a catalogue version published before issue 11 does not have yet.
_NEWER_FIELDS = frozenset({"YZ_JDRQ", "YZ_GZSDRQ"})


def _for_version(
    session: Session, item: str, fields: dict[str, Any], at: datetime
) -> dict[str, Any]:
    known = {f.code for f in field_specs(require_published_version(session, item, at=at))}
    return {k: v for k, v in fields.items() if k in known or k not in _NEWER_FIELDS}


def deliver_entry_record(
    session: Session, *, actor: Actor, p: ListProcedure, fields: dict[str, Any], at: datetime
) -> int:
    fields = _for_version(session, "serious_dishonesty", fields, at)
    data = RecordCreate(
        item="serious_dishonesty",
        source_id=f"list-procedure-{p.id}",
        fields=fields,
        decided_on=date.fromisoformat(fields["YZ_LRRQ"]),
        document_no=fields["YZ_RDWH"],
    )
    return _deliver(session, actor, data, at)


def deliver_red_list_record(
    session: Session, *, actor: Actor, entry: RedListEntry, subject: Subject, at: datetime
) -> int:
    fields = party_fields(subject)
    fields.update(
        {
            "HM_MC": entry.title,
            "HM_RDYJ": entry.basis,
            "HM_RDJG": entry.adopted_by_name,
            "HM_RDRQ": entry.adopted_on.isoformat(),
            "LYDW": entry.adopted_by_name,
            "LYDWDM": entry.adopted_by_uscc,
        }
    )
    if entry.valid_until is not None:
        fields["HM_YXQZ"] = entry.valid_until.isoformat()
    data = RecordCreate(
        item="red_list",
        source_id=f"red-list-{entry.id}",
        fields=fields,
        decided_on=entry.adopted_on,
    )
    return _deliver(session, actor, data, at)


def _deliver(session: Session, actor: Actor, data: RecordCreate, at: datetime) -> int:
    """Deliver the list's own record as the deciding account (see :func:`operator`); its id."""
    read, _created = records.deliver_procedure_record(
        session, actor=operator(actor), data=data, at=at
    )
    return read.id


def withdraw_entry_record(
    session: Session, *, actor: Actor, record_id: int, reason: str, at: datetime
) -> None:
    """Stop serving the entry's record (its removal withdraws it); already withdrawn: done."""
    op = operator(actor)
    current = records.get_record(session, actor=op, record_id=record_id)
    if current.status.value != "active":
        return
    data = WithdrawalCreate(reason=reason, basis="《贵州省社会信用条例》第三十六条 / Art. 36")
    records.withdraw_record(session, actor=op, record_id=record_id, data=data, at=at)
