"""Government sharing inquiries, authorized inquiries under consent, the window, and the log
(Art. 17–20, 31, 38; INQ-1, INQ-2, DIS-1, DIS-2, CSI-2) on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories.inquiry import World, seed
from xinyong.audit.models import AuditEntry
from xinyong.core.actor import ANONYMOUS
from xinyong.core.clock import Clock
from xinyong.core.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from xinyong.inquiry import service
from xinyong.inquiry.models import Inquiry
from xinyong.inquiry.schemas import ConsentCreate, InquiryLogQuery


@pytest.fixture
def world(db: Session, clock: Clock) -> World:
    return seed(db, clock.now())


def log_rows(db: Session) -> list[Inquiry]:
    return list(db.scalars(select(Inquiry).order_by(Inquiry.id)))


def consent(db: Session, w: World, clock: Clock, items: list[str], **kw: object) -> int:
    data = ConsentCreate(
        grantee=w.institution_org, items=items, purpose=kw.pop("purpose", "financial_support"),
        expires_at=clock.now() + timedelta(days=30), **kw,
    )  # type: ignore[arg-type]  # fmt: skip
    return service.grant_consent(db, actor=w.subject, data=data, at=clock.now()).id


# --- government sharing (INQ-1) ----------------------------------------------------------------


def test_an_organ_gets_public_and_shared_records_and_the_inquiry_is_logged(
    db: Session, clock: Clock, world: World
) -> None:
    answer = service.inquire(
        db, actor=world.inquirer, subject_code=world.code.lower(), purpose="licensing",
        at=clock.now(),
    )  # fmt: skip
    assert answer.subject.code == world.code
    assert {r.id for r in answer.records} == {world.penalty_id, world.licence_id, world.tax_id}
    assert answer.lists == []
    assert answer.grade is None
    [row] = log_rows(db)
    assert (row.id, row.outcome.value, row.channel.value) == (
        answer.inquiry_id,
        "answered",
        "government",
    )
    assert row.user_name == "q_fgw"
    assert row.org_name == "贵阳市发展和改革委员会"
    assert row.items == ["admin_licensing", "admin_penalty", "tax_arrears"]
    assert sorted(row.record_ids) == sorted(r.id for r in answer.records)
    tags = [
        e.tag for e in db.scalars(select(AuditEntry).where(AuditEntry.object_type == "inquiry"))
    ]
    assert tags == ["inquiry:inquiry:answer"]


def test_a_purpose_outside_the_authority_is_refused_and_logged(
    db: Session, clock: Clock, world: World
) -> None:
    for purpose in ("personnel", "gossip"):
        with pytest.raises(PermissionDenied) as caught:
            service.inquire(
                db, actor=world.inquirer, subject_code=world.code, purpose=purpose, at=clock.now()
            )
        assert caught.value.code == "purpose_not_authorised"
    db.rollback()  # the refusals were committed before the error: a rollback keeps them
    rows = log_rows(db)
    assert [(r.outcome.value, r.refusal_code, r.purpose) for r in rows] == [
        ("refused", "purpose_not_authorised", "personnel"),
        ("refused", "purpose_not_authorised", "gossip"),
    ]
    assert all(r.record_ids == [] for r in rows)


def test_items_are_limited_to_the_authority(db: Session, clock: Clock, world: World) -> None:
    answer = service.inquire(
        db, actor=world.narrow, subject_code=world.code, purpose="licensing", at=clock.now()
    )
    assert [r.id for r in answer.records] == [world.penalty_id]
    with pytest.raises(PermissionDenied) as caught:
        service.inquire(
            db, actor=world.narrow, subject_code=world.code, purpose="licensing",
            items=["tax_arrears"], at=clock.now(),
        )  # fmt: skip
    assert caught.value.code == "item_not_authorised"
    assert log_rows(db)[-1].refusal_code == "item_not_authorised"
    # An account without item limits may narrow its answer; an unknown item is outside anyone's.
    narrowed = service.inquire(
        db, actor=world.inquirer, subject_code=world.code, purpose="inspection",
        items=["tax_arrears"], at=clock.now(),
    )  # fmt: skip
    assert [r.id for r in narrowed.records] == [world.tax_id]
    with pytest.raises(PermissionDenied):
        service.inquire(
            db, actor=world.inquirer, subject_code=world.code, purpose="inspection",
            items=["no_such_item"], at=clock.now(),
        )  # fmt: skip


def test_unknown_subject_and_wrong_role_are_refused_and_logged(
    db: Session, clock: Clock, world: World
) -> None:
    with pytest.raises(NotFound) as caught:
        service.inquire(
            db, actor=world.inquirer, subject_code="91520000214434146R", purpose="licensing",
            at=clock.now(),
        )  # fmt: skip
    assert caught.value.code == "subject_not_found"
    with pytest.raises(PermissionDenied) as denied:
        service.inquire(
            db, actor=world.institution, subject_code=world.code, purpose="licensing",
            at=clock.now(),
        )  # fmt: skip
    assert denied.value.code == "role_not_authorised"
    with pytest.raises(NotAuthenticated):
        service.inquire(
            db, actor=ANONYMOUS, subject_code=world.code, purpose="licensing", at=clock.now()
        )
    assert [r.refusal_code for r in log_rows(db)] == ["subject_not_found", "role_not_authorised"]


# --- authorized inquiry under consent (DIS-1, CSI-2) ----------------------------------------------


def test_an_institution_needs_a_live_consent_and_gets_only_the_consented_items(
    db: Session, clock: Clock, world: World
) -> None:
    ask = dict(actor=world.institution, subject_code=world.code, purpose="financial_support")
    with pytest.raises(PermissionDenied) as caught:
        service.authorized_inquiry(db, at=clock.now(), **ask)  # type: ignore[arg-type]
    assert caught.value.code == "consent_required"
    cid = consent(db, world, clock, ["admin_licensing"])
    answer = service.authorized_inquiry(db, at=clock.now(), **ask)  # type: ignore[arg-type]
    assert [r.id for r in answer.records] == [world.licence_id]
    assert log_rows(db)[-1].consent_id == cid
    # The consent was for another purpose: refused.
    with pytest.raises(PermissionDenied):
        service.authorized_inquiry(
            db, actor=world.institution, subject_code=world.code, purpose="licensing",
            at=clock.now(),
        )  # fmt: skip
    # Revoked: refused at once.
    service.revoke_consent(db, actor=world.subject, consent_id=cid, at=clock.now())
    with pytest.raises(PermissionDenied):
        service.authorized_inquiry(db, at=clock.now(), **ask)  # type: ignore[arg-type]
    outcomes = [(r.outcome.value, r.refusal_code) for r in log_rows(db)]
    assert outcomes == [
        ("refused", "consent_required"),
        ("answered", None),
        ("refused", "consent_required"),
        ("refused", "consent_required"),
    ]


def test_an_expired_consent_serves_nothing(db: Session, clock: Clock, world: World) -> None:
    consent(db, world, clock, ["admin_penalty", "admin_licensing"])
    later = clock.now() + timedelta(days=31)
    with pytest.raises(PermissionDenied):
        service.authorized_inquiry(
            db, actor=world.institution, subject_code=world.code, purpose="financial_support",
            at=later,
        )  # fmt: skip
    [c] = service.my_consents(db, actor=world.subject, at=later).items
    assert c.status == "expired"


def test_consent_rules(db: Session, clock: Clock, world: World) -> None:
    def grant(**kw: object) -> None:
        data = {
            "grantee": world.institution_org,
            "items": ["admin_penalty"],
            "purpose": "financial_support",
            "expires_at": clock.now() + timedelta(days=30),
        }
        data.update(kw)
        service.grant_consent(
            db, actor=world.subject, data=ConsentCreate.model_validate(data), at=clock.now()
        )

    with pytest.raises(InvalidInput) as caught:
        grant(not_a_condition_of_service=False)
    assert caught.value.details[0]["field"] == "not_a_condition_of_service"
    with pytest.raises(InvalidInput):
        grant(items=["tax_arrears"])  # government-only: never reachable by consent
    with pytest.raises(InvalidInput):
        grant(grantee="q-FGW")  # a state organ is not a credit service institution
    with pytest.raises(InvalidInput):
        grant(expires_at=clock.now() - timedelta(minutes=1))
    with pytest.raises(InvalidInput):
        grant(expires_at=clock.now() + timedelta(days=400))
    with pytest.raises(PermissionDenied):
        service.grant_consent(
            db, actor=world.inquirer,
            data=ConsentCreate(grantee=world.institution_org, items=["admin_penalty"],
                               purpose="licensing", expires_at=clock.now() + timedelta(days=1)),
            at=clock.now(),
        )  # fmt: skip
    assert service.my_consents(db, actor=world.subject, at=clock.now()).items == []


def test_only_the_consents_own_subject_revokes_it_once(
    db: Session, clock: Clock, world: World
) -> None:
    cid = consent(db, world, clock, ["admin_penalty"])
    other = seed(db, clock.now(), tag="o", seq=902).subject
    with pytest.raises(NotFound):
        service.revoke_consent(db, actor=other, consent_id=cid, at=clock.now())
    revoked = service.revoke_consent(db, actor=world.subject, consent_id=cid, at=clock.now())
    assert revoked.status == "revoked"
    with pytest.raises(Conflict):
        service.revoke_consent(db, actor=world.subject, consent_id=cid, at=clock.now())
    query = select(AuditEntry).where(AuditEntry.object_type == "consent")
    tags = [e.tag for e in db.scalars(query.order_by(AuditEntry.seq))]
    assert tags == ["inquiry:consent:grant", "inquiry:consent:revoke"]


# --- service window (DIS-2) ----------------------------------------------------------------------


def test_window_staff_query_for_the_subject_with_the_identity_check_recorded(
    db: Session, clock: Clock, world: World
) -> None:
    with pytest.raises(InvalidInput):
        service.window_inquiry(
            db, actor=world.office, subject_code=world.code, identity_check=" ", at=clock.now()
        )
    answer = service.window_inquiry(
        db, actor=world.office, subject_code=world.code, identity_check="核验营业执照及授权委托书",
        at=clock.now(),
    )  # fmt: skip
    assert {r.id for r in answer.records} == {world.penalty_id, world.licence_id, world.tax_id}
    row = log_rows(db)[-1]
    assert (row.channel.value, row.purpose) == ("window", "self_query")
    assert row.identity_check == "核验营业执照及授权委托书"
    with pytest.raises(PermissionDenied):
        service.window_inquiry(
            db, actor=world.inquirer, subject_code=world.code, identity_check="核验身份证",
            at=clock.now(),
        )  # fmt: skip


# --- reading the log (INQ-2, Art. 31) ---------------------------------------------------------


def test_the_subject_sees_who_looked_and_the_auditor_sees_everything(
    db: Session, clock: Clock, world: World
) -> None:
    service.inquire(db, actor=world.inquirer, subject_code=world.code, purpose="licensing",
                    at=clock.now())  # fmt: skip
    with pytest.raises(PermissionDenied):
        service.inquire(db, actor=world.inquirer, subject_code=world.code, purpose="personnel",
                        at=clock.now() + timedelta(minutes=1))  # fmt: skip
    mine = service.my_inquiries(db, actor=world.subject).items
    assert [(m.organisation, m.purpose, m.channel) for m in mine] == [
        ("贵阳市发展和改革委员会", "licensing", "government")
    ]
    assert "q_fgw" not in mine[0].model_dump_json()  # the unit answers, not the staff member
    log = service.inquiries_for_auditor(db, actor=world.auditor, at=clock.now())
    assert [r.outcome for r in log.items] == ["refused", "answered"]  # newest first
    refused = service.inquiries_for_auditor(
        db, actor=world.auditor, at=clock.now(),
        filters=InquiryLogQuery(subject=world.code.lower(), outcome="refused"),
    )  # fmt: skip
    assert [r.purpose for r in refused.items] == ["personnel"]
    by_org = service.inquiries_for_auditor(
        db, actor=world.auditor, at=clock.now(), filters=InquiryLogQuery(org="nobody")
    )
    assert by_org.total == 0
    for someone in (world.inquirer, world.office, world.subject):
        with pytest.raises(PermissionDenied):
            service.inquiries_for_auditor(db, actor=someone, at=clock.now())
    with pytest.raises(PermissionDenied):
        service.my_inquiries(db, actor=world.inquirer)
    reads = db.scalars(select(AuditEntry.tag).where(AuditEntry.tag == "inquiry:log:read")).all()
    assert len(reads) == 3


def test_log_filters_by_local_day_and_rejects_a_reversed_range(
    db: Session, clock: Clock, world: World
) -> None:
    service.inquire(db, actor=world.inquirer, subject_code=world.code, purpose="licensing",
                    at=clock.now())  # fmt: skip
    today = clock.today()
    same_day = InquiryLogQuery(since=today, until=today)
    assert (
        service.inquiries_for_auditor(
            db, actor=world.auditor, at=clock.now(), filters=same_day
        ).total
        == 1
    )
    tomorrow = InquiryLogQuery(since=today + timedelta(days=1))
    assert (
        service.inquiries_for_auditor(
            db, actor=world.auditor, at=clock.now(), filters=tomorrow
        ).total
        == 0
    )
    with pytest.raises(InvalidInput):
        service.inquiries_for_auditor(
            db, actor=world.auditor, at=clock.now(),
            filters=InquiryLogQuery(since=today, until=today - timedelta(days=1)),
        )  # fmt: skip
    with pytest.raises(InvalidInput):
        service.inquiries_for_auditor(db, actor=world.auditor, at=clock.now(), page=0)


def test_if_the_log_cannot_be_written_nothing_is_disclosed(
    db: Session, clock: Clock, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(session: Session, **_: object) -> int:
        raise RuntimeError("log storage unavailable")

    # The log row's write (with its audit entry): ``inquiry.service._log``.
    monkeypatch.setattr(service, "record_insert", broken)
    with pytest.raises(RuntimeError):
        service.inquire(db, actor=world.inquirer, subject_code=world.code, purpose="licensing",
                        at=clock.now())  # fmt: skip
