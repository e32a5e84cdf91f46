"""The register of credit service institutions through its services, on both databases
(Art. 37, 38; CSI-1): filing, status history, supervision records, audit, who may do what."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories.accounts import actor_of, make_org, make_user
from tests.factories.disclosure import uscc
from xinyong.audit.models import AuditEntry
from xinyong.core.actor import ANONYMOUS, Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    RuleViolation,
)
from xinyong.institutions import service
from xinyong.institutions.models import StatusChange
from xinyong.institutions.schemas import (
    FilingCreate,
    FilingDetail,
    StatusChangeCreate,
    SupervisionCreate,
)


@pytest.fixture
def office(db: Session, clock: Clock) -> Actor:
    return actor_of(make_user(db, at=clock.now(), role=Role.CREDIT_OFFICE, username="office1"))


def org(db: Session, clock: Clock, code: str = "CSI-A") -> str:
    make_org(
        db, at=clock.now(), code=code, kind="institution", name="贵州某信用服务公司", filed=False
    )
    return code


def filing_data(code: str, seq: int = 501, **changes: object) -> FilingCreate:
    data: dict[str, object] = {
        "org": code,
        "uscc": uscc(seq),
        "name": "贵州某信用服务有限公司",
        "legal_representative": "钱诚",
        "registered_address": "贵阳市云岩区中华北路 1 号",
        "services": ["credit_rating", "credit_reports"],
        "contact": "0851-1234 5678",
    }
    data.update(changes)
    return FilingCreate.model_validate(data)


def file(db: Session, clock: Clock, office: Actor, code: str = "CSI-A") -> FilingDetail:
    return service.file_institution(
        db, actor=office, data=filing_data(org(db, clock, code)), at=clock.now()
    )


def tags(db: Session, object_type: str) -> list[str]:
    return list(
        db.scalars(
            select(AuditEntry.tag)
            .where(AuditEntry.object_type == object_type)
            .order_by(AuditEntry.seq)
        )
    )


def test_filing_numbers_the_institution_makes_it_active_and_is_audited(
    db: Session, clock: Clock, office: Actor
) -> None:
    filing = file(db, clock, office)
    assert filing.filing_number == "XYFW-2026-000001"
    assert filing.status == "active"
    assert filing.filed_on == date(2026, 9, 30)
    assert filing.services == ["credit_rating", "credit_reports"]
    assert [(h.from_status, h.to_status) for h in filing.history] == [(None, "active")]
    assert tags(db, "institution_filing") == ["institutions:filing:create"]
    second = service.file_institution(
        db, actor=office, data=filing_data(org(db, clock, "CSI-B"), seq=502), at=clock.now()
    )
    assert second.filing_number == "XYFW-2026-000002"


def test_filing_refuses_bad_input_clearly(db: Session, clock: Clock, office: Actor) -> None:
    code = org(db, clock)
    with pytest.raises(InvalidInput) as bad:
        service.file_institution(
            db, actor=office, data=filing_data(code, uscc="91520100MA6J7XY0X"), at=clock.now()
        )
    assert bad.value.code == "invalid_uscc"
    assert bad.value.details[0]["field"] == "uscc"
    with pytest.raises(InvalidInput) as unknown:
        service.file_institution(db, actor=office, data=filing_data("NO-SUCH"), at=clock.now())
    assert unknown.value.code == "unknown_organisation"
    make_org(db, at=clock.now(), code="PROV-1", kind="provider")
    with pytest.raises(InvalidInput) as kind:
        service.file_institution(db, actor=office, data=filing_data("PROV-1"), at=clock.now())
    assert kind.value.code == "not_an_institution"
    future = clock.today() + timedelta(days=1)
    with pytest.raises(InvalidInput) as later:
        service.file_institution(
            db, actor=office, data=filing_data(code, filed_on=future), at=clock.now()
        )
    assert later.value.details[0]["field"] == "filed_on"
    service.file_institution(db, actor=office, data=filing_data(code), at=clock.now())
    with pytest.raises(Conflict) as again:
        service.file_institution(db, actor=office, data=filing_data(code, seq=777), at=clock.now())
    assert again.value.code == "institution_already_filed"
    with pytest.raises(Conflict) as same_code:
        service.file_institution(
            db, actor=office, data=filing_data(org(db, clock, "CSI-B")), at=clock.now()
        )
    assert same_code.value.code == "uscc_already_filed"


def test_only_the_credit_office_files_and_changes_status(
    db: Session, clock: Clock, office: Actor
) -> None:
    filing = file(db, clock, office)
    inst = actor_of(
        make_user(db, at=clock.now(), role=Role.INSTITUTION, username="inst1", org_code="CSI-A")
    )
    change = StatusChangeCreate(status="suspended", reason="整改")
    for actor, error in ((ANONYMOUS, NotAuthenticated), (inst, PermissionDenied)):
        with pytest.raises(error):
            service.file_institution(db, actor=actor, data=filing_data("CSI-A"), at=clock.now())
        with pytest.raises(error):
            service.change_status(db, actor=actor, filing_id=filing.id, data=change, at=clock.now())
        with pytest.raises(error):
            service.list_supervision(db, actor=actor, filing_id=filing.id)


def test_status_changes_keep_history_and_are_audited(
    db: Session, clock: Clock, office: Actor
) -> None:
    filing = file(db, clock, office)
    steps = [
        ("suspended", "现场检查发现超范围采集信息，责令整改"),
        ("active", "整改到位，恢复"),
        ("deregistered", "机构申请注销"),
    ]
    at = clock.now()
    for status, reason in steps:
        at += timedelta(hours=1)
        filing = service.change_status(
            db,
            actor=office,
            filing_id=filing.id,
            data=StatusChangeCreate(status=status, reason=reason),
            at=at,
        )
    assert filing.status == "deregistered"
    assert filing.status_at == at
    assert [(h.from_status, h.to_status, h.reason) for h in filing.history] == [
        (None, "active", "备案 / filed"),
        ("active", "suspended", steps[0][1]),
        ("suspended", "active", steps[1][1]),
        ("active", "deregistered", steps[2][1]),
    ]
    assert all(h.actor == office.display_name for h in filing.history)
    assert db.scalar(select(StatusChange).where(StatusChange.to_status == "suspended")) is not None
    assert (
        tags(db, "institution_filing")
        == ["institutions:filing:create"] + ["institutions:filing:status"] * 3
    )
    entry = db.scalars(
        select(AuditEntry)
        .where(AuditEntry.tag == "institutions:filing:status")
        .order_by(AuditEntry.seq)
    ).first()
    assert entry is not None
    assert entry.reason == steps[0][1]
    with pytest.raises(RuleViolation) as final:
        service.change_status(
            db,
            actor=office,
            filing_id=filing.id,
            data=StatusChangeCreate(status="active", reason="恢复"),
            at=at,
        )
    assert final.value.code == "illegal_status_transition"
    with pytest.raises(RuleViolation):
        service.change_status(
            db,
            actor=office,
            filing_id=filing.id,
            data=StatusChangeCreate(status="deregistered", reason="再次"),
            at=at,
        )


def test_a_change_needs_a_reason_and_an_existing_filing(
    db: Session, clock: Clock, office: Actor
) -> None:
    filing = file(db, clock, office)
    with pytest.raises(InvalidInput) as blank:
        service.change_status(
            db,
            actor=office,
            filing_id=filing.id,
            data=StatusChangeCreate.model_construct(status="suspended", reason="   "),
            at=clock.now(),
        )
    assert blank.value.code == "reason_missing"
    with pytest.raises(NotFound):
        service.change_status(
            db,
            actor=office,
            filing_id=9999,
            data=StatusChangeCreate(status="suspended", reason="x"),
            at=clock.now(),
        )


def test_supervision_is_recorded_audited_and_listed_newest_first(
    db: Session, clock: Clock, office: Actor
) -> None:
    filing = file(db, clock, office)
    for day, kind in (
        (date(2026, 9, 1), "onsite_inspection"),
        (date(2026, 9, 20), "complaint_handled"),
    ):
        service.record_supervision(
            db,
            actor=office,
            filing_id=filing.id,
            at=clock.now(),
            data=SupervisionCreate(
                supervised_on=day,
                kind=kind,
                findings="发现问题",
                measures="责令整改",
                conducted_by="省信用办 两名检查人员",
            ),
        )
    listed = service.list_supervision(db, actor=office, filing_id=filing.id).items
    assert [r.kind for r in listed] == ["complaint_handled", "onsite_inspection"]
    assert listed[0].recorded_by == office.display_name
    assert tags(db, "institution_supervision") == ["institutions:supervision:record"] * 2
    with pytest.raises(InvalidInput):
        service.record_supervision(
            db,
            actor=office,
            filing_id=filing.id,
            at=clock.now(),
            data=SupervisionCreate(
                supervised_on=date(2026, 10, 2), kind="other", findings="x", conducted_by="y"
            ),
        )


def test_the_public_sees_the_filing_the_office_and_the_institution_its_detail(
    db: Session, clock: Clock, office: Actor
) -> None:
    filing = file(db, clock, office)
    own = actor_of(
        make_user(db, at=clock.now(), role=Role.INSTITUTION, username="inst1", org_code="CSI-A")
    )
    public = service.get_filing(db, actor=ANONYMOUS, filing_id=filing.id)
    assert not isinstance(public, FilingDetail)
    assert "contact" not in public.model_dump()
    assert isinstance(service.get_filing(db, actor=office, filing_id=filing.id), FilingDetail)
    assert isinstance(service.get_filing(db, actor=own, filing_id=filing.id), FilingDetail)
    page = service.list_filings(db, status="active")
    assert [f.filing_number for f in page.items] == [filing.filing_number]
    assert service.list_filings(db, status="suspended").total == 0
    with pytest.raises(InvalidInput) as bad:
        service.list_filings(db, status="sleeping")
    assert bad.value.code == "unknown_status"


def test_an_institution_may_inquire_only_while_its_filing_is_active(
    db: Session, clock: Clock, office: Actor
) -> None:
    code = org(db, clock)
    org_id = make_user(
        db, at=clock.now(), role=Role.INSTITUTION, username="i1", org_code=code
    ).org_id
    assert service.inquiry_bar(db, org_id=org_id) == "none"
    assert service.inquiry_bar(db, org_id=None) == "none"
    filing = service.file_institution(db, actor=office, data=filing_data(code), at=clock.now())
    assert service.inquiry_bar(db, org_id=org_id) is None
    service.change_status(
        db,
        actor=office,
        filing_id=filing.id,
        at=clock.now(),
        data=StatusChangeCreate(status="suspended", reason="整改"),
    )
    assert service.inquiry_bar(db, org_id=org_id) == "suspended"


def test_an_institution_added_from_the_command_line_is_filed_by_the_operator(
    db: Session, clock: Clock
) -> None:
    make_org(db, at=clock.now(), code="CSI-CLI", kind="institution", name="命令行机构")
    [filing] = service.list_filings(db).items
    assert (filing.org_code, filing.name, filing.uscc, filing.status) == (
        "CSI-CLI",
        "命令行机构",
        None,
        "active",
    )
    detail = service.get_filing(db, actor=service.OPERATOR, filing_id=filing.id)
    assert isinstance(detail, FilingDetail)
    assert detail.history[0].reason == service.CREATION_REASON
    assert detail.history[0].actor == service.OPERATOR.display_name
    assert tags(db, "institution_filing") == ["institutions:filing:create"]
