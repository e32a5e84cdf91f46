"""Government integrity (Art. 7), on both databases: records about a state organ — a judgment
default, a government dishonesty record, a penalty — are delivered, shared with government and,
their items being public, published; items that do not cover state organs refuse them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from tests.factories.accounts import actor_of, make_org, make_user
from tests.factories.catalogue import register_source
from tests.factories.disclosure import deliver, penalty_fields
from tests.factories.state_organ import (
    ORGAN,
    government_dishonesty_fields,
    judgment_default_fields,
    organ_uscc,
)
from xinyong.catalogue.service import require_published_version
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput
from xinyong.disclosure.service import public_subject
from xinyong.inquiry.service import inquire
from xinyong.subjects.service import find_by_code

CODE = organ_uscc(71)


def test_the_catalogue_covers_state_organs_where_art_7_says(
    db: Session, clock: Clock, catalogue: None
) -> None:
    for code in ("judgment_default", "admin_penalty", "government_dishonesty"):
        version = require_published_version(db, code, at=clock.now())
        assert "state_organ" in version.subject_types, code
    item = require_published_version(db, "government_dishonesty", at=clock.now())
    assert item.publicity.value == "public"
    assert item.item.tier.value == "national"
    assert "第七条" in item.legal_basis


def test_delivered_shared_and_published(
    db: Session, clock: Clock, provider: Actor, catalogue: None
) -> None:
    at = clock.now()
    # judgment_default accepts only its registered sources (Art. 25, 26; issue 11 item 2).
    register_source(db, item="judgment_default", org="GY-SJJ", at=at)
    judgment = deliver(
        db, provider, item="judgment_default", at=at, source_id="SX-1", decided_on=date(2026, 6, 1),
        fields=judgment_default_fields(code=CODE, case_no="（2026）黔01执12号",
                                       listed_on=date(2026, 6, 1)),
    )  # fmt: skip
    breach = deliver(
        db, provider, item="government_dishonesty", at=at, source_id="ZW-1", severity="general",
        fields=government_dishonesty_fields(code=CODE, doc="黔信政失〔2026〕1号",
                                            decided_on=date(2026, 8, 20)),
    )  # fmt: skip
    fine = deliver(
        db, provider, item="admin_penalty", at=at, severity="general", source_id="CF-1",
        fields=penalty_fields(person=False, name=ORGAN, code=CODE, decided_on=date(2026, 8, 1),
                              doc="黔环罚〔2026〕5号"),
    )  # fmt: skip
    subject = find_by_code(db, CODE)
    assert subject is not None
    assert subject.type == "state_organ"

    make_org(db, at=at, code="GY-FGW", kind="organ", name="贵阳市发展和改革委员会")
    organ = actor_of(
        make_user(db, at=at, role=Role.INQUIRER, username="fgw1", org_code="GY-FGW",
                  purposes=["public_resource_trading"])
    )  # fmt: skip
    shared = inquire(db, actor=organ, subject_code=CODE, purpose="public_resource_trading", at=at)
    assert {r.id for r in shared.records} == {judgment, breach, fine}
    # The government channel sees the counterparty, publicity does not (a government-only field).
    assert any("ZW_XDF" in r.fields for r in shared.records if r.id == breach)

    page = public_subject(db, code=CODE, at=at)
    assert page.subject.type == "state_organ"
    assert page.subject.name == ORGAN  # an organ's name is not masked like a person's
    assert {r.id for r in page.records} == {judgment, breach, fine}
    published = next(r for r in page.records if r.id == breach)
    assert published.fields["ZW_SXLX"] == "违约毁约"
    assert "ZW_XDF" not in published.fields


def test_an_item_that_does_not_cover_state_organs_refuses_them(
    db: Session, clock: Clock, provider: Actor
) -> None:
    fields = {
        "XDR_MC": ORGAN, "XDR_SHXYM": CODE, "YC_LRYY": "未按规定报送年度报告",
        "YC_LRRQ": "2026-06-01", "YC_ZCJG": "贵阳市市场监督管理局",
    }  # fmt: skip
    with pytest.raises(InvalidInput):
        deliver(db, provider, item="business_abnormality", at=clock.now(), fields=fields,
                source_id="YC-1")  # fmt: skip
