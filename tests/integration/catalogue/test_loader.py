"""Loading the shipped catalogues (CAT-4)."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories.catalogue import OFFICE
from xinyong.audit.models import AuditEntry
from xinyong.catalogue import service
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.catalogue.models import CatalogueItemVersion, Tier, VersionStatus
from xinyong.core.actor import SYSTEM
from xinyong.core.clock import Clock
from xinyong.core.errors import RuleViolation


def test_loads_once_through_the_audited_lifecycle(db: Session, clock: Clock) -> None:
    first = load_shipped_catalogues(db, actor=SYSTEM, at=clock.now())
    assert "admin_penalty" in first.published
    assert first.drafted == ["gz_tourism_complaint"]
    assert not first.skipped
    publishes = db.scalar(select(func.count()).where(AuditEntry.tag == "catalogue:item:publish"))
    assert publishes == len(first.published)

    rows = db.scalar(select(func.count()).select_from(CatalogueItemVersion))
    second = load_shipped_catalogues(db, actor=SYSTEM, at=clock.now())
    assert second.published == []
    assert second.drafted == []
    assert sorted(second.skipped) == sorted(first.published + first.drafted)
    assert db.scalar(select(func.count()).select_from(CatalogueItemVersion)) == rows


def test_loaded_items_are_version_1_in_force(db: Session, clock: Clock) -> None:
    load_shipped_catalogues(db, actor=SYSTEM, at=clock.now())
    current = {v.item.code: v for v in service.published_items(db, at=clock.now())}
    for code in ("registration_basic", "admin_licensing", "admin_penalty", "red_list"):
        assert current[code].version == 1
        assert current[code].status is VersionStatus.PUBLISHED
    assert "gz_tourism_complaint" not in current
    local = service.published_items(db, at=clock.now(), tier=Tier.LOCAL)
    assert {v.item.region_code for v in local} == {"520000"}


def test_the_shipped_draft_without_legal_basis_cannot_be_published(
    db: Session, clock: Clock
) -> None:
    load_shipped_catalogues(db, actor=SYSTEM, at=clock.now())
    service.open_public_comment(db, actor=OFFICE, code="gz_tourism_complaint", at=clock.now())
    service.report_to_higher_authority(
        db, actor=OFFICE, code="gz_tourism_complaint", at=clock.now()
    )
    with pytest.raises(RuleViolation) as err:
        service.publish_item(
            db,
            actor=OFFICE,
            code="gz_tourism_complaint",
            effective_on=clock.today(),
            at=clock.now(),
        )
    assert err.value.code == "legal_basis_required"
