"""Delivery agreements with non-public credit information providers (Art. 14; COL-2)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from xinyong.accounts.models import Organisation
from xinyong.audit.service import record_event
from xinyong.core.actor import Actor
from xinyong.core.errors import InvalidInput
from xinyong.core.permissions import require
from xinyong.records.models import DeliveryAgreement
from xinyong.records.schemas import AgreementCreate, AgreementRead


def add_agreement(
    session: Session, *, actor: Actor, data: AgreementCreate, at: datetime
) -> AgreementRead:
    """Record an agreement under which an institution delivers the listed items. The credit
    office records it (the platform's operator is party to the agreement)."""
    # The credit office is the only role that reads every record; it records agreements too.
    require(actor, "records:agreements")
    org = session.query(Organisation).filter_by(code=data.org_code).one_or_none()
    if org is None:
        raise InvalidInput(f"机构 {data.org_code} 不存在 / no organisation {data.org_code}")
    if data.valid_to is not None and data.valid_to < data.valid_from:
        raise InvalidInput("协议截止日早于起始日 / the agreement ends before it starts")
    agreement = DeliveryAgreement(
        org_id=org.id,
        reference=data.reference,
        items=sorted(set(data.items)),
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        created_at=at,
        created_by_name=actor.display_name,
    )
    session.add(agreement)
    session.flush()
    read = AgreementRead.model_validate(agreement, from_attributes=True)
    record_event(
        session,
        actor=actor,
        tag="records:agreement:create",
        at=at,
        object_type="delivery_agreement",
        object_id=agreement.id,
        after=read.model_dump(mode="json"),
    )
    session.commit()
    return read
