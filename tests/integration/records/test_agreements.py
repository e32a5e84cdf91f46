"""Delivery agreements cover non-public information only (Art. 14, 16; COL-2), on both
databases: refused for public items when made, and again at delivery time."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from bench.import_rate import AUTH_USCC
from sqlalchemy.orm import Session

from tests.factories.accounts import actor_of, make_org, make_user
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.errors import Conflict, InvalidInput, PermissionDenied, RuleViolation
from xinyong.records import service
from xinyong.records.agreements import add_agreement, list_agreements
from xinyong.records.models import DeliveryAgreement
from xinyong.records.schemas import AgreementCreate, RecordCreate

INST = "XY-INST"


@pytest.fixture
def institution(db: Session, clock: Clock, catalogue: None) -> Actor:
    make_org(db, at=clock.now(), code=INST, kind="institution", name="贵州某信用评价有限公司")
    return actor_of(
        make_user(db, at=clock.now(), role=Role.INSTITUTION, username="inst1", org_code=INST)
    )


def agreement(**changes: Any) -> AgreementCreate:
    data: dict[str, Any] = {
        "org": INST, "items": ["credit_evaluation"], "valid_from": "2026-01-01",
        "valid_until": "2026-12-31", "basis": "黔信协〔2026〕1号",
    }  # fmt: skip
    data.update(changes)
    return AgreementCreate.model_validate(data)


def evaluation(**changes: Any) -> RecordCreate:
    fields = {
        "XDR_MC": "贵州示例商贸有限公司", "XDR_SHXYM": "91520000214434146R",
        "PJ_LY": "行业信用评价", "PJ_JG": "AA", "PJ_ND": 2026, "PJ_DW": "贵州某信用评价有限公司",
        "PJ_RQ": "2026-09-01", "LYDW": "贵州某信用评价有限公司", "LYDWDM": AUTH_USCC,
    }  # fmt: skip
    data: dict[str, Any] = {"item": "credit_evaluation", "source_id": "PJ-1", "fields": fields}
    data.update(changes)
    return RecordCreate.model_validate(data)


def penalty() -> RecordCreate:
    fields = {
        "XDR_MC": "贵州示例商贸有限公司", "XDR_LB": "法人及非法人组织",
        "XDR_SHXYM": "91520000214434146R", "CF_WSH": "黔市监罚〔2026〕201号",
        "CF_WFXW": "未按规定公示年度报告", "CF_SY": "经查，当事人未按规定期限公示年度报告。",
        "CF_YJ": "《企业信息公示暂行条例》第十八条", "CF_CFLB": "罚款", "CF_NR": "罚款壹万元",
        "CF_JDRQ": "2026-09-01", "CF_CFJG": "贵阳市市场监督管理局", "CF_CFJGDM": AUTH_USCC,
        "CF_SJLY": "贵阳市市场监督管理局", "CF_SJLYDM": AUTH_USCC,
    }  # fmt: skip
    return RecordCreate.model_validate(
        {"item": "admin_penalty", "source_id": "P-1", "fields": fields}
    )


def test_institution_delivers_non_public_items_only_under_an_agreement(
    db: Session, office: Actor, institution: Actor, clock: Clock
) -> None:
    with pytest.raises(PermissionDenied) as exc:
        service.deliver_record(db, actor=institution, data=evaluation(), at=clock.now())
    assert exc.value.code == "no_agreement"
    made = add_agreement(db, actor=office, data=agreement(), at=clock.now())
    assert (made.org, made.items, made.basis) == (INST, ["credit_evaluation"], "黔信协〔2026〕1号")
    assert made.valid_until == date(2026, 12, 31)
    assert made.in_force
    record, created = service.deliver_record(
        db, actor=institution, data=evaluation(), at=clock.now()
    )
    assert created
    assert record.channel == "agreement"
    assert record.agreement_id == made.id


def test_an_agreement_cannot_cover_a_public_item(
    db: Session, office: Actor, institution: Actor, clock: Clock
) -> None:
    with pytest.raises(RuleViolation) as exc:
        add_agreement(
            db, actor=office, data=agreement(items=["credit_evaluation", "admin_penalty"]),
            at=clock.now(),
        )  # fmt: skip
    assert exc.value.code == "item_not_agreeable"
    assert [d["item"] for d in exc.value.details] == ["admin_penalty"]
    assert list_agreements(db, actor=office, at=clock.now()).items == []


def test_a_public_item_is_refused_at_delivery_even_under_an_old_agreement(
    db: Session, office: Actor, institution: Actor, clock: Clock
) -> None:
    # An agreement recorded before the rule (or before the item became public) named it.
    db.add(
        DeliveryAgreement(
            org_id=institution.org_id, reference="旧协议", items=["admin_penalty"],
            valid_from=date(2025, 1, 1), valid_to=None, created_at=clock.now(),
            created_by_name="migrated",
        )
    )  # fmt: skip
    db.commit()
    with pytest.raises(PermissionDenied) as exc:
        service.deliver_record(db, actor=institution, data=penalty(), at=clock.now())
    assert exc.value.code == "item_not_agreeable"


def test_agreements_are_for_non_public_providers_with_a_valid_span(
    db: Session, office: Actor, institution: Actor, provider: Actor, clock: Clock
) -> None:
    with pytest.raises(RuleViolation) as exc:
        add_agreement(db, actor=office, data=agreement(org="GY-SJJ"), at=clock.now())
    assert exc.value.code == "not_a_non_public_provider"
    with pytest.raises(InvalidInput):
        add_agreement(db, actor=office, data=agreement(valid_until="2025-12-31"), at=clock.now())
    with pytest.raises(InvalidInput) as unknown:
        add_agreement(db, actor=office, data=agreement(items=["no_such_item"]), at=clock.now())
    assert unknown.value.code == "unknown_catalogue_item"
    add_agreement(db, actor=office, data=agreement(), at=clock.now())
    with pytest.raises(Conflict) as twice:
        add_agreement(db, actor=office, data=agreement(), at=clock.now())
    assert twice.value.code == "agreement_exists"
    with pytest.raises(PermissionDenied):
        add_agreement(db, actor=provider, data=agreement(basis="另一份"), at=clock.now())
    listed = list_agreements(db, actor=office, at=clock.now()).items
    assert [a.basis for a in listed] == ["黔信协〔2026〕1号"]
