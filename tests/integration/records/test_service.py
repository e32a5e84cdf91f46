"""Delivery, reading and correction of records (COL-1, COL-2, COL-5) on both databases."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from bench.import_rate import AUTH_USCC
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories.accounts import actor_of, make_user
from xinyong.audit.models import AuditEntry
from xinyong.core.actor import ANONYMOUS, Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.errors import (
    Conflict,
    InvalidInput,
    MethodNotAllowed,
    NotFound,
    PermissionDenied,
)
from xinyong.records import service
from xinyong.records.models import RecordVersion
from xinyong.records.schemas import (
    AmendmentCreate,
    RecordBatchCreate,
    RecordCreate,
    WithdrawalCreate,
)
from xinyong.violations.models import Violation, ViolationKind

COMPANY = {"type": "legal_person", "id": "91520000214434146R", "name": "贵州示例商贸有限公司"}


def penalty_fields(**changes: Any) -> dict[str, Any]:
    fields = {
        "XDR_MC": "贵州示例商贸有限公司",
        "XDR_LB": "法人及非法人组织",
        "XDR_SHXYM": "91520000214434146R",
        "CF_WSH": "黔市监罚〔2026〕201号",
        "CF_WFXW": "未按规定公示年度报告",
        "CF_SY": "经查，当事人未按规定期限公示年度报告。",
        "CF_YJ": "《企业信息公示暂行条例》第十八条",
        "CF_CFLB": "罚款",
        "CF_NR": "罚款人民币壹万元整",
        "CF_NR_FK": "1",
        "CF_JDRQ": "2026-09-01",
        "CF_CFJG": "贵阳市市场监督管理局",
        "CF_CFJGDM": AUTH_USCC,
        "CF_SJLY": "贵阳市市场监督管理局",
        "CF_SJLYDM": AUTH_USCC,
    }
    fields.update(changes)
    return fields


def penalty(**kw: Any) -> RecordCreate:
    data: dict[str, Any] = {"item": "admin_penalty", "source_id": "SJJ-2026-0001"}
    data["fields"] = penalty_fields()
    data.update(kw)
    return RecordCreate.model_validate(data)


def test_delivery_keeps_provenance_and_is_idempotent(
    db: Session, provider: Actor, clock: Clock
) -> None:
    record, created = service.deliver_record(db, actor=provider, data=penalty(), at=clock.now())
    assert created
    assert record.version == 1
    assert record.status == "active"
    assert record.provider.org_code == "GY-SJJ"
    assert record.channel == "api"
    assert record.received_by.name == provider.display_name
    assert record.document_no == "黔市监罚〔2026〕201号"
    assert record.decided_on == date(2026, 9, 1)
    assert record.severity == "general"
    assert record.publicity == "public"
    assert record.subject.code == "91520000214434146R"
    assert record.subject.type == "legal_person"

    again, created_again = service.deliver_record(
        db, actor=provider, data=penalty(), at=clock.now()
    )
    assert not created_again
    assert again.id == record.id

    with pytest.raises(Conflict) as exc:
        service.deliver_record(
            db, actor=provider, data=penalty(fields=penalty_fields(CF_NR_FK="2")), at=clock.now()
        )
    assert "amend" in exc.value.message


def test_invalid_record_lists_every_problem(db: Session, provider: Actor, clock: Clock) -> None:
    bad = penalty(fields=penalty_fields(CF_JDRQ="2026-02-30", XDR_SHXYM="91520000214434146A"))
    with pytest.raises(InvalidInput) as exc:
        service.deliver_record(db, actor=provider, data=bad, at=clock.now())
    fields = {d["field"] for d in exc.value.details}
    assert fields == {"CF_JDRQ", "XDR_SHXYM"}
    assert "date 2026-02-30 does not exist" in exc.value.message


def test_unpublished_item_is_refused(db: Session, provider: Actor, clock: Clock) -> None:
    with pytest.raises(InvalidInput):
        service.deliver_record(db, actor=provider, data=penalty(item="nope"), at=clock.now())


def test_amendments_add_versions_and_never_touch_old_ones(
    db: Session, provider: Actor, clock: Clock
) -> None:
    record, _ = service.deliver_record(db, actor=provider, data=penalty(), at=clock.now())
    with pytest.raises(InvalidInput):
        service.amend_record(
            db, actor=provider, record_id=record.id,
            data=AmendmentCreate.model_construct(fields={"CF_NR_FK": "2"}, reason=" "),
            at=clock.now(),
        )  # fmt: skip
    amended = service.amend_record(
        db,
        actor=provider,
        record_id=record.id,
        data=AmendmentCreate(fields={"CF_NR_FK": "2.5"}, reason="罚款金额录入错误", basis="更正函"),
        at=clock.now(),
    )
    assert amended.version == 2
    assert amended.fields["CF_NR_FK"] == "2.5"
    assert amended.versions is not None
    v1, v2 = amended.versions
    assert v1.fields["CF_NR_FK"] == "1"
    assert v1.reason is None
    assert v2.reason == "罚款金额录入错误"
    assert v2.actor.name == provider.display_name
    with pytest.raises(Conflict):
        service.amend_record(
            db, actor=provider, record_id=record.id,
            data=AmendmentCreate(fields={"CF_NR_FK": "2.5"}, reason="again"), at=clock.now(),
        )  # fmt: skip
    # the original content delivered again is not a conflict: it was delivered before
    _, created = service.deliver_record(db, actor=provider, data=penalty(), at=clock.now())
    assert not created

    withdrawn = service.withdraw_record(
        db, actor=provider, record_id=record.id,
        data=WithdrawalCreate(reason="处罚决定已被撤销", basis="黔府复决〔2026〕9号"),
        at=clock.now(),
    )  # fmt: skip
    assert withdrawn.status == "withdrawn"
    assert withdrawn.version == 3
    versions = db.scalars(select(RecordVersion).where(RecordVersion.record_id == record.id)).all()
    assert [v.status for v in versions] == ["active", "active", "withdrawn"]
    assert versions[2].basis == "黔府复决〔2026〕9号"
    with pytest.raises(Exception) as exc:
        service.amend_record(
            db, actor=provider, record_id=record.id,
            data=AmendmentCreate(fields={"CF_NR_FK": "3"}, reason="x"), at=clock.now(),
        )  # fmt: skip
    assert getattr(exc.value, "code", "") == "record_withdrawn"
    tags = db.scalars(select(AuditEntry.tag).where(AuditEntry.object_id == str(record.id))).all()
    assert {"records:record:create", "records:record:amend", "records:record:withdraw"} <= set(tags)


def test_amending_the_party_moves_the_record_to_the_right_subject(
    db: Session, provider: Actor, clock: Clock
) -> None:
    record, _ = service.deliver_record(db, actor=provider, data=penalty(), at=clock.now())
    amended = service.amend_record(
        db, actor=provider, record_id=record.id,
        data=AmendmentCreate(
            fields={"XDR_SHXYM": "91520100000000001M", "XDR_MC": "贵州另一家有限公司"},
            reason="当事人统一社会信用代码填错",
        ),
        at=clock.now(),
    )  # fmt: skip
    assert amended.subject.code == "91520100000000001M"
    assert amended.subject.id != record.subject.id


def test_delete_is_refused_and_recorded(db: Session, provider: Actor, clock: Clock) -> None:
    record, _ = service.deliver_record(db, actor=provider, data=penalty(), at=clock.now())
    with pytest.raises(MethodNotAllowed):
        service.attempt_delete(db, actor=provider, record_id=record.id, at=clock.now())
    entry = db.scalar(select(AuditEntry).where(AuditEntry.tag == "records:record:delete_attempted"))
    assert entry is not None
    assert entry.object_id == str(record.id)
    assert service.get_record(db, actor=provider, record_id=record.id).status == "active"
    # GOV-1: the attempt is on the violation register, naming the account and the subject.
    violation = db.scalars(select(Violation)).one()
    assert violation.kind == ViolationKind.ATTEMPTED_DELETION
    assert (violation.user_id, violation.org_id) == (provider.user_id, provider.org_id)
    assert violation.subject_id == entry.subject_id is not None
    assert violation.object_id == str(record.id)
    assert violation.detail["record_exists"] is True


def test_anonymous_delete_is_audited_but_names_no_one(db: Session, clock: Clock) -> None:
    with pytest.raises(MethodNotAllowed):
        service.attempt_delete(db, actor=ANONYMOUS, record_id=424242, at=clock.now())
    entry = db.scalar(select(AuditEntry).where(AuditEntry.tag == "records:record:delete_attempted"))
    assert entry is not None
    assert entry.object_id == "424242"
    assert db.scalars(select(Violation)).all() == []


def test_only_its_provider_and_the_office_see_a_record(
    db: Session, provider: Actor, other_provider: Actor, office: Actor, clock: Clock
) -> None:
    record, _ = service.deliver_record(db, actor=provider, data=penalty(), at=clock.now())
    assert service.get_record(db, actor=office, record_id=record.id).versions
    with pytest.raises(NotFound):
        service.get_record(db, actor=other_provider, record_id=record.id)
    with pytest.raises(NotFound):
        service.amend_record(
            db, actor=other_provider, record_id=record.id,
            data=AmendmentCreate(fields={"CF_NR_FK": "3"}, reason="x"), at=clock.now(),
        )  # fmt: skip
    with pytest.raises(NotFound):
        service.get_record(db, actor=provider, record_id=999_999)


def test_json_batch_gives_per_item_results(db: Session, provider: Actor, clock: Clock) -> None:
    batch = RecordBatchCreate(
        records=[
            penalty(),
            penalty(),
            penalty(source_id="SJJ-2", fields=penalty_fields(CF_JDRQ="2026-13-01")),
            penalty(source_id="SJJ-3", fields=penalty_fields(CF_WSH="黔市监罚〔2026〕202号")),
        ]
    )
    result = service.deliver_records(db, actor=provider, data=batch, at=clock.now())
    assert [r.outcome for r in result.results] == ["created", "unchanged", "rejected", "created"]
    assert result.accepted == 2
    assert result.unchanged == 1
    assert result.rejected == 1
    error = result.results[2].error
    assert error is not None
    assert error["details"][0]["field"] == "CF_JDRQ"


def test_subject_commitment_is_self_declared(db: Session, clock: Clock, catalogue: None) -> None:
    from xinyong.subjects.service import ensure_subject

    subject = ensure_subject(
        db, actor=actor_of_office(), type="legal_person", id_value=COMPANY["id"],
        name=COMPANY["name"], at=clock.now(),
    )  # fmt: skip
    db.commit()
    user = make_user(
        db, at=clock.now(), role=Role.SUBJECT, username="subj1", subject_code=COMPANY["id"]
    )
    actor = actor_of(user)
    if actor.subject_id is None:  # accounts may bind the id lazily
        from dataclasses import replace

        actor = replace(actor, subject_id=subject.id)
    data = RecordCreate.model_validate(
        {
            "item": "credit_commitment",
            "source_id": "CN-1",
            "fields": {
                "XDR_MC": COMPANY["name"],
                "XDR_LB": "法人及非法人组织",
                "XDR_SHXYM": COMPANY["id"],
                "CN_LX": "主动型",
                "CN_NR": "守法诚信经营",
                "CN_RQ": "2026-09-01",
                "CN_SXDW": "贵阳市市场监督管理局",
                "CN_LXZT": "履行中",
                "LYDW": COMPANY["name"],
                "LYDWDM": COMPANY["id"],
            },
        }
    )
    record, created = service.deliver_record(db, actor=actor, data=data, at=clock.now())
    assert created
    assert record.self_declared
    assert record.channel == "self_declared"
    assert record.subject.id == subject.id
    assert service.get_record(db, actor=actor, record_id=record.id).id == record.id
    with pytest.raises(PermissionDenied):
        service.deliver_record(db, actor=actor, data=penalty(), at=clock.now())


def actor_of_office() -> Actor:
    from xinyong.core.actor import SYSTEM

    return SYSTEM
