"""The deciding organ decides (issue 11 item 8; Art. 25, 26): a list decision is taken by an
account of the organ with the authority — a listing department registered as a collection
source of the list's item, or the credit office — recorded from that account's organisation
and named in the decision document; never an organisation named by the request."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.orm import Session

from tests.factories.accounts import actor_of, make_org, make_user
from tests.factories.disclosure import uscc
from tests.factories.lists import OFFICE_USCC, ListWorld, decision, make_list_world, proposal
from xinyong.catalogue import sources
from xinyong.catalogue.schemas import SourceCreate
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import PLATFORM_ZONE, Clock
from xinyong.core.errors import InvalidInput, PermissionDenied
from xinyong.documents import service as documents
from xinyong.lists import notices, service
from xinyong.lists.models import ServiceMethod
from xinyong.lists.schemas import ServiceCreate
from xinyong.records import service as records

#: The listing department's USCC (a state organ code, 11…).
LISTING_USCC = uscc(8, "520000")


def at(month: int, day: int, hour: int = 10) -> datetime:
    return Clock(datetime(2026, month, day, hour, 0, tzinfo=PLATFORM_ZONE)).now()


@pytest.fixture
def world(db: Session) -> ListWorld:
    return make_list_world(db, at=at(9, 28, 8), seq=641)


def listing_department(db: Session, w: ListWorld, *, registered: bool = True) -> Actor:
    """A market regulator's inquirer account; its organisation registered by the credit
    office as a listing department (collection source of ``serious_dishonesty``)."""
    make_org(db, at=at(9, 28, 8), code="GZ-SCJG-641", kind="organ", name="贵州省市场监督管理局",
             uscc=LISTING_USCC)  # fmt: skip
    if registered:
        sources.register_source(
            db, actor=w.office, item_code="serious_dishonesty", at=at(9, 28, 8),
            data=SourceCreate(org="GZ-SCJG-641", basis="《市场监督管理严重违法失信名单管理办法》"),
        )  # fmt: skip
    return actor_of(
        make_user(db, at=at(9, 28, 8), role=Role.INQUIRER, username="scjg641",
                  org_code="GZ-SCJG-641")
    )  # fmt: skip


def to_decision(db: Session, w: ListWorld, proposer: Actor) -> int:
    p = service.propose(db, actor=proposer, data=proposal(w.company_code), at=at(9, 28, 9))
    service.send_prior_notice(db, actor=w.office, procedure_id=p.id, at=at(9, 29))
    service.record_statement(
        db, actor=w.subject, procedure_id=p.id, kind="waiver", text="放弃陈述申辩", at=at(9, 30)
    )
    return p.id


def test_a_listing_department_decides_its_procedure_and_the_document_names_it(
    db: Session, world: ListWorld
) -> None:
    dept = listing_department(db, world)
    pid = to_decision(db, world, dept)
    # The procedure is the listing department's: the credit office may not decide it.
    with pytest.raises(PermissionDenied) as refused:
        service.decide(
            db,
            actor=world.office,
            procedure_id=pid,
            data=decision(deciding_org_uscc=None),
            at=at(9, 30, 11),
        )
    assert refused.value.code == "not_the_deciding_organ"

    p = service.decide(
        db, actor=dept, procedure_id=pid, data=decision(deciding_org_uscc=None), at=at(9, 30, 11)
    )
    assert p.state == "decided"
    assert p.deciding_org == "贵州省市场监督管理局"
    if notices.kind_of(notices.DECISION) is not None:
        [doc] = [
            d
            for d in documents.documents_about(db, object_type="list_procedure", object_id=pid)
            if d.kind.value == notices.DECISION
        ]
        assert "贵州省市场监督管理局" in doc.html
        assert LISTING_USCC in doc.html

    # The credit office serves and publishes through the platform; the record names the organ.
    served = ServiceCreate(method=ServiceMethod.PLATFORM)
    service.record_service(db, actor=world.office, procedure_id=pid, data=served, at=at(9, 30, 12))
    p = service.publish_entry(db, actor=world.office, procedure_id=pid, at=at(9, 30, 14))
    assert p.entry is not None
    assert p.entry.record_id is not None
    record = records.get_record(db, actor=world.office, record_id=p.entry.record_id)
    fields = record.versions[-1].fields
    assert (fields["YZ_RDJG"], fields["LYDWDM"]) == ("贵州省市场监督管理局", LISTING_USCC)
    # The procedure holds the decision's date and the day its prior notice was served.
    assert (fields["YZ_JDRQ"], fields["YZ_GZSDRQ"]) == ("2026-09-30", "2026-09-29")


def test_an_organ_without_the_authority_does_not_decide(db: Session, world: ListWorld) -> None:
    pid = to_decision(db, world, world.organ)
    with pytest.raises(PermissionDenied) as refused:
        service.decide(db, actor=world.organ, procedure_id=pid, data=decision(), at=at(9, 30, 11))
    assert refused.value.code == "not_the_deciding_organ"
    # The same organ once registered as a listing department decides what it proposed.
    dept = listing_department(db, world, registered=False)
    pid = to_decision(db, world, dept)
    with pytest.raises(PermissionDenied):
        service.decide(
            db,
            actor=dept,
            procedure_id=pid,
            data=decision(deciding_org_uscc=None),
            at=at(9, 30, 11),
        )
    sources.register_source(
        db, actor=world.office, item_code="serious_dishonesty", at=at(9, 30, 11),
        data=SourceCreate(org="GZ-SCJG-641"),
    )  # fmt: skip
    p = service.decide(
        db, actor=dept, procedure_id=pid, data=decision(deciding_org_uscc=None), at=at(9, 30, 11)
    )
    assert p.state == "decided"


def test_the_credit_office_decides_on_its_own_basis_in_its_own_name(
    db: Session, world: ListWorld
) -> None:
    pid = to_decision(db, world, world.organ)
    # The request cannot name another organ: a USCC that is not the office's own is refused.
    with pytest.raises(InvalidInput) as other:
        service.decide(
            db, actor=world.office, procedure_id=pid, at=at(9, 30, 11),
            data=decision(deciding_org_uscc=LISTING_USCC),
        )  # fmt: skip
    assert other.value.code == "deciding_org_not_own"
    p = service.decide(
        db, actor=world.office, procedure_id=pid, data=decision(deciding_org_uscc=None),
        at=at(9, 30, 11),
    )  # fmt: skip
    assert p.deciding_org == "贵州省社会信用工作主管部门"
    assert p.decision_number


def test_an_organisation_without_its_uscc_on_file_cannot_be_named(
    db: Session, world: ListWorld
) -> None:
    make_org(db, at=at(9, 28, 8), code="GZ-XYB-NOUSCC", kind="office", name="某信用办")
    office = actor_of(
        make_user(db, at=at(9, 28, 8), role=Role.CREDIT_OFFICE, username="xyb_nouscc",
                  org_code="GZ-XYB-NOUSCC")
    )  # fmt: skip
    pid = to_decision(db, world, world.organ)
    with pytest.raises(InvalidInput) as missing:
        service.decide(
            db,
            actor=office,
            procedure_id=pid,
            data=decision(deciding_org_uscc=None),
            at=at(9, 30, 11),
        )
    assert missing.value.code == "deciding_org_uscc_missing"
    assert OFFICE_USCC  # the world's office has one: see the test above
