"""The registry of collection sources (issue 11 item 2; Art. 12 para. 2): the credit office
binds real organisations to the kinds of unit an item names; every change is audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories.accounts import actor_of, make_org, make_user
from xinyong.audit.models import AuditEntry
from xinyong.catalogue import sources
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.catalogue.schemas import SourceCreate
from xinyong.core.actor import SYSTEM, Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RuleViolation


@pytest.fixture
def office(db: Session, clock: Clock) -> Actor:
    load_shipped_catalogues(db, actor=SYSTEM, at=clock.now())
    db.commit()
    make_org(db, at=clock.now(), code="GZ-FY", kind="provider", name="贵州省高级人民法院")
    make_org(db, at=clock.now(), code="GZ-CSI", kind="institution", name="某信用服务公司")
    return actor_of(make_user(db, at=clock.now(), role=Role.CREDIT_OFFICE, username="office1"))


def test_register_list_end_and_register_again(db: Session, office: Actor, clock: Clock) -> None:
    reg = sources.register_source(
        db, actor=office, item_code="judgment_default", at=clock.now(),
        data=SourceCreate(org="GZ-FY", basis="最高法院规定"),
    )  # fmt: skip
    assert (reg.org, reg.kind, reg.ended_at) == ("GZ-FY", "court", None)
    assert sources.is_source(db, item_code="judgment_default", org_id=_org_id(db, "GZ-FY"))
    with pytest.raises(Conflict):
        sources.register_source(
            db, actor=office, item_code="judgment_default", data=SourceCreate(org="GZ-FY"),
            at=clock.now(),
        )  # fmt: skip
    listed = sources.list_sources(db, actor=office, item_code="judgment_default")
    assert listed.restricted_sources
    assert listed.kinds == ["court"]
    assert [s.org for s in listed.items] == ["GZ-FY"]

    ended = sources.end_source(
        db, actor=office, item_code="judgment_default", org_code="GZ-FY", reason="撤销",
        at=clock.now(),
    )  # fmt: skip
    assert ended.ended_at is not None
    assert not sources.is_source(db, item_code="judgment_default", org_id=_org_id(db, "GZ-FY"))
    assert sources.list_sources(db, actor=office, item_code="judgment_default").items == []
    everything = sources.list_sources(
        db, actor=office, item_code="judgment_default", include_ended=True
    )
    assert [s.end_reason for s in everything.items] == ["撤销"]
    with pytest.raises(NotFound):
        sources.end_source(
            db, actor=office, item_code="judgment_default", org_code="GZ-FY", reason="again",
            at=clock.now(),
        )  # fmt: skip
    again = sources.register_source(
        db, actor=office, item_code="judgment_default", data=SourceCreate(org="GZ-FY"),
        at=clock.now(),
    )  # fmt: skip
    assert again.ended_at is None
    tags = db.scalars(
        select(AuditEntry.tag)
        .where(AuditEntry.object_type == "source_registration")
        .order_by(AuditEntry.seq)
    ).all()
    assert tags == [
        "catalogue:source:register",
        "catalogue:source:end",
        "catalogue:source:register",
    ]


def test_refusals(db: Session, office: Actor, clock: Clock) -> None:
    def register(item: str, **data: str) -> None:
        sources.register_source(
            db, actor=office, item_code=item, data=SourceCreate(**data), at=clock.now()
        )

    with pytest.raises(InvalidInput) as unknown:
        register("judgment_default", org="NOBODY")
    assert unknown.value.code == "unknown_organisation"
    with pytest.raises(InvalidInput) as institution:
        register("judgment_default", org="GZ-CSI")
    assert institution.value.code == "not_a_source_organisation"
    with pytest.raises(RuleViolation) as kind:
        register("judgment_default", org="GZ-FY", kind="department")
    assert kind.value.code == "source_kind_mismatch"
    with pytest.raises(RuleViolation):
        register("voluntary_statement", org="GZ-FY")  # the subject states for itself
    with pytest.raises(NotFound):
        register("no_such_item", org="GZ-FY")
    provider = actor_of(make_user(db, at=clock.now(), role=Role.PROVIDER, org_code="GZ-FY"))
    with pytest.raises(PermissionDenied):
        sources.register_source(
            db, actor=provider, item_code="judgment_default", data=SourceCreate(org="GZ-FY"),
            at=clock.now(),
        )  # fmt: skip


def _org_id(db: Session, code: str) -> int:
    from xinyong.accounts.models import Organisation

    found = db.scalar(select(Organisation.id).where(Organisation.code == code))
    assert found is not None
    return found
