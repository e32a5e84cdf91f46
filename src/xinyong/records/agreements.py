"""Delivery agreements with non-public credit information providers (Art. 14, 16; COL-2).

The credit office records an agreement under which a non-public provider (a credit service
institution, trade association, enterprise … — an ``institution`` unit here) delivers the items
it names. It may name only items whose publicity is not ``public`` (``item_not_agreeable``):
non-public information is disclosed by the subject or by authorized inquiry, never published.
The delivery gate (``delivery.authorise_delivery``) checks the same rule again at delivery time,
so an item made public after an agreement was signed is refused then too.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.accounts.models import Organisation
from xinyong.accounts.rules import OrgKind
from xinyong.audit.service import record_row_event
from xinyong.catalogue.service import require_published_version
from xinyong.core.actor import Actor
from xinyong.core.clock import local_date
from xinyong.core.errors import Conflict, InvalidInput, NotFound, RuleViolation
from xinyong.core.permissions import require
from xinyong.records import agreement_rules as rules
from xinyong.records import repository as repo
from xinyong.records.models import DeliveryAgreement
from xinyong.records.schemas import AgreementCreate, AgreementList, AgreementRead


class ItemNotAgreeable(RuleViolation, code="item_not_agreeable"): ...


def _organisation(session: Session, code: str) -> Organisation:
    org = session.scalar(select(Organisation).where(Organisation.code == code))
    if org is None:
        raise NotFound(
            f"机构 {code} 不存在 / no organisation {code}",
            details=[{"field": "org", "reason": "unknown organisation"}],
        )
    if org.kind is not OrgKind.INSTITUTION:
        raise RuleViolation(
            f"{org.name} 不是非公共信用信息提供单位，无需报送协议（第十四条）/ {code} is not a "
            "non-public provider: public providers deliver without an agreement (Art. 14)",
            code="not_a_non_public_provider",
            details=[{"field": "org", "reason": org.kind.value}],
        )
    return org


def _check_items(session: Session, codes: Iterable[str], at: datetime) -> list[str]:
    items = sorted({c.strip() for c in codes if c.strip()})
    public = [c for c in items if not rules.agreeable(
        require_published_version(session, c, at=at).publicity.value
    )]  # fmt: skip
    if public:
        raise ItemNotAgreeable(
            f"公开类信息项 {', '.join(public)} 不能纳入报送协议：协议只覆盖非公开信息（第十四条、"
            f"第十六条）/ public items {', '.join(public)} cannot be covered by an agreement: "
            "agreements cover non-public information only (Art. 14, 16)",
            details=[{"field": "items", "item": c, "reason": "publicity public"} for c in public],
        )
    return items


def agreement_read(
    session: Session, agreement: DeliveryAgreement, *, at: datetime
) -> AgreementRead:
    org = session.get(Organisation, agreement.org_id)
    return AgreementRead(
        id=agreement.id,
        org=org.code if org else f"#{agreement.org_id}",
        org_name=org.name if org else f"#{agreement.org_id}",
        items=list(agreement.items or []),
        valid_from=agreement.valid_from,
        valid_until=agreement.valid_to,
        basis=agreement.reference,
        in_force=rules.in_force(agreement.valid_from, agreement.valid_to, on=local_date(at)),
        created_at=agreement.created_at,
        created_by=agreement.created_by_name,
    )


def check_agreement(
    session: Session, *, actor: Actor, data: AgreementCreate, at: datetime
) -> tuple[Organisation, list[str], str]:
    """Everything :func:`add_agreement` refuses, without writing (the page's confirmation step
    shows a refusal before asking to confirm): the unit, the sorted items and the basis."""
    # The credit office is the only role that reads every record; it records agreements too.
    require(actor, "records:agreements")
    org = _organisation(session, data.org.strip())
    problem = rules.validity_problem(data.valid_from, data.valid_until)
    if problem is not None:
        raise InvalidInput(problem, details=[{"field": "valid_until", "reason": "before start"}])
    items = _check_items(session, data.items, at)
    basis = data.basis.strip()
    if repo.agreement_by_basis(session, org_id=org.id, basis=basis) is not None:
        raise Conflict(
            f"{org.code} 已有依据为 {basis} 的协议 / {org.code} already has an agreement {basis}",
            code="agreement_exists",
            details=[{"field": "basis", "reason": "already recorded for this organisation"}],
        )
    return org, items, basis


def add_agreement(
    session: Session, *, actor: Actor, data: AgreementCreate, at: datetime
) -> AgreementRead:
    """Record an agreement under which a non-public provider delivers the listed non-public
    items (Art. 14). The credit office records it (the platform's operator is party to it)."""
    org, items, basis = check_agreement(session, actor=actor, data=data, at=at)
    agreement = DeliveryAgreement(
        org_id=org.id,
        reference=basis,
        items=items,
        valid_from=data.valid_from,
        valid_to=data.valid_until,
        created_at=at,
        created_by_name=actor.display_name,
    )
    session.add(agreement)
    session.flush()
    read = agreement_read(session, agreement, at=at)
    record_row_event(
        session,
        agreement,
        actor=actor,
        tag="records:agreement:create",
        at=at,
        after=read.model_dump(mode="json", exclude={"in_force"}),
    )
    session.flush()
    return read


def list_agreements(session: Session, *, actor: Actor, at: datetime) -> AgreementList:
    """Every delivery agreement, the most recent first (credit office)."""
    require(actor, "records:agreements")
    rows = repo.agreements(session)
    return AgreementList(items=[agreement_read(session, a, at=at) for a in rows])
