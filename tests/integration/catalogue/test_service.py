"""Catalogue lifecycle on a real database (CAT-1, CAT-3)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories.catalogue import OFFICE, PROVIDER, item_create
from xinyong.audit.models import AuditEntry
from xinyong.catalogue import service
from xinyong.catalogue.models import CatalogueItemVersion, OpinionSource, VersionStatus
from xinyong.catalogue.schemas import OpinionCreate, VersionChanges
from xinyong.core.actor import ANONYMOUS
from xinyong.core.clock import Clock
from xinyong.core.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    PermissionDenied,
    RuleViolation,
)


def _through_report(db: Session, clock: Clock, code: str) -> None:
    service.open_public_comment(db, actor=OFFICE, code=code, at=clock.now())
    service.report_to_higher_authority(db, actor=OFFICE, code=code, at=clock.now())


def _publish(db: Session, clock: Clock, code: str, on: date) -> CatalogueItemVersion:
    _through_report(db, clock, code)
    return service.publish_item(db, actor=OFFICE, code=code, effective_on=on, at=clock.now())


def _tags(db: Session) -> list[str]:
    return list(db.scalars(select(AuditEntry.tag).order_by(AuditEntry.seq)))


def test_full_lifecycle_is_audited(db: Session, clock: Clock) -> None:
    v = service.draft_item(db, actor=OFFICE, data=item_create(), at=clock.now())
    assert (v.version, v.status) == (1, VersionStatus.DRAFT)
    service.open_public_comment(db, actor=OFFICE, code="gz_test_item", at=clock.now())
    service.record_opinion(
        db,
        actor=OFFICE,
        code="gz_test_item",
        opinion=OpinionCreate(
            source_name="贵阳市工商联", source_kind=OpinionSource.ASSOCIATION, content="建议细化"
        ),
        at=clock.now(),
    )
    service.report_to_higher_authority(db, actor=OFFICE, code="gz_test_item", at=clock.now())
    v = service.publish_item(
        db, actor=OFFICE, code="gz_test_item", effective_on=clock.today(), at=clock.now()
    )
    assert v.status is VersionStatus.PUBLISHED
    assert v.published_at == clock.now()
    tags = [t for t in _tags(db) if t.startswith("catalogue:")]
    assert tags == [
        "catalogue:item:draft",
        "catalogue:item:open_comment",
        "catalogue:opinion:record",
        "catalogue:item:report",
        "catalogue:item:publish",
    ]
    entry = db.scalars(select(AuditEntry).where(AuditEntry.tag == "catalogue:item:publish")).one()
    assert entry.actor_name == OFFICE.display_name
    assert entry.before == {"version": 1, "status": "reported", "effective_on": None}
    assert entry.after is not None
    assert entry.after["status"] == "published"


def test_opinions_record_who_and_what(db: Session, clock: Clock) -> None:
    service.draft_item(db, actor=OFFICE, data=item_create(), at=clock.now())
    service.open_public_comment(db, actor=OFFICE, code="gz_test_item", at=clock.now())
    for name, kind, text in [
        ("遵义市发展改革委", OpinionSource.LOCALITY, "同意"),
        ("张教授", OpinionSource.EXPERT, "依据需更具体"),
    ]:
        service.record_opinion(
            db,
            actor=OFFICE,
            code="gz_test_item",
            opinion=OpinionCreate(source_name=name, source_kind=kind, content=text),
            at=clock.now(),
        )
    detail = service.item_detail(db, code="gz_test_item", at=clock.now())
    opinions = detail.versions[0].opinions
    assert [(o.source_name, o.source_kind, o.content) for o in opinions] == [
        ("遵义市发展改革委", OpinionSource.LOCALITY, "同意"),
        ("张教授", OpinionSource.EXPERT, "依据需更具体"),
    ]
    assert all(o.recorded_by == OFFICE.display_name and o.at == clock.now() for o in opinions)


def test_opinion_outside_public_comment_is_refused(db: Session, clock: Clock) -> None:
    service.draft_item(db, actor=OFFICE, data=item_create(), at=clock.now())
    opinion = OpinionCreate(source_name="公众", source_kind=OpinionSource.PUBLIC, content="x")
    with pytest.raises(Conflict, match="public comment"):
        service.record_opinion(
            db, actor=OFFICE, code="gz_test_item", opinion=opinion, at=clock.now()
        )


def test_local_item_without_legal_basis_cannot_be_published(db: Session, clock: Clock) -> None:
    service.draft_item(db, actor=OFFICE, data=item_create(legal_basis=""), at=clock.now())
    _through_report(db, clock, "gz_test_item")
    with pytest.raises(RuleViolation) as err:
        service.publish_item(
            db, actor=OFFICE, code="gz_test_item", effective_on=clock.today(), at=clock.now()
        )
    assert err.value.code == "legal_basis_required"
    assert service.get_published_version(db, "gz_test_item", at=clock.now()) is None


def test_publishing_from_draft_is_refused(db: Session, clock: Clock) -> None:
    service.draft_item(db, actor=OFFICE, data=item_create(), at=clock.now())
    with pytest.raises(Conflict) as err:
        service.publish_item(
            db, actor=OFFICE, code="gz_test_item", effective_on=clock.today(), at=clock.now()
        )
    assert err.value.code == "illegal_transition"


def test_new_version_leaves_the_old_row_untouched(db: Session, clock: Clock) -> None:
    service.draft_item(db, actor=OFFICE, data=item_create(), at=clock.now())
    old = _publish(db, clock, "gz_test_item", clock.today())
    db.expire_all()
    before = {c.key: getattr(old, c.key) for c in CatalogueItemVersion.__table__.columns}

    later = Clock(clock.now() + timedelta(days=1))
    new = service.new_version_of(
        db,
        actor=OFFICE,
        code="gz_test_item",
        changes=VersionChanges(name="测试信息项（修订）"),
        at=later.now(),
    )
    assert (new.version, new.status, new.name) == (2, VersionStatus.DRAFT, "测试信息项（修订）")
    assert new.fields == old.fields
    _publish(db, later, "gz_test_item", later.today() + timedelta(days=10))

    db.expire_all()
    after = {c.key: getattr(old, c.key) for c in CatalogueItemVersion.__table__.columns}
    assert after.pop("status") is VersionStatus.SUPERSEDED
    before.pop("status")
    assert after == before

    # Until the new version takes effect the old one stays in force; then the new one.
    assert service.get_published_version(db, "gz_test_item", at=later.now()).id == old.id  # type: ignore[union-attr]
    in_11_days = later.now() + timedelta(days=11)
    assert service.get_published_version(db, "gz_test_item", at=in_11_days).id == new.id  # type: ignore[union-attr]


def test_new_version_must_take_effect_after_the_old(db: Session, clock: Clock) -> None:
    service.draft_item(db, actor=OFFICE, data=item_create(), at=clock.now())
    _publish(db, clock, "gz_test_item", clock.today())
    service.new_version_of(db, actor=OFFICE, code="gz_test_item", at=clock.now())
    _through_report(db, clock, "gz_test_item")
    with pytest.raises(RuleViolation, match="take effect after"):
        service.publish_item(
            db, actor=OFFICE, code="gz_test_item", effective_on=clock.today(), at=clock.now()
        )


def test_only_one_draft_at_a_time(db: Session, clock: Clock) -> None:
    service.draft_item(db, actor=OFFICE, data=item_create(), at=clock.now())
    with pytest.raises(Conflict, match="in progress"):
        service.new_version_of(db, actor=OFFICE, code="gz_test_item", at=clock.now())


def test_duplicate_code_and_unknown_references(db: Session, clock: Clock) -> None:
    service.draft_item(db, actor=OFFICE, data=item_create(), at=clock.now())
    with pytest.raises(Conflict):
        service.draft_item(db, actor=OFFICE, data=item_create(), at=clock.now())
    with pytest.raises(InvalidInput) as err:
        service.draft_item(
            db, actor=OFFICE, data=item_create(code="x_other", category="nope"), at=clock.now()
        )
    assert err.value.details[0]["field"] == "category"


def test_only_the_credit_office_manages(db: Session, clock: Clock) -> None:
    with pytest.raises(NotAuthenticated):
        service.draft_item(db, actor=ANONYMOUS, data=item_create(), at=clock.now())
    with pytest.raises(PermissionDenied):
        service.draft_item(db, actor=PROVIDER, data=item_create(), at=clock.now())


def test_future_effective_item_is_not_yet_in_force(db: Session, clock: Clock) -> None:
    service.draft_item(db, actor=OFFICE, data=item_create(), at=clock.now())
    _publish(db, clock, "gz_test_item", clock.today() + timedelta(days=1))
    codes = [v.item.code for v in service.published_items(db, at=clock.now())]
    assert "gz_test_item" not in codes
    tomorrow = clock.now() + timedelta(days=1)
    assert "gz_test_item" in [v.item.code for v in service.published_items(db, at=tomorrow)]


def test_field_by_header_accepts_codes_and_chinese_names(db: Session, clock: Clock) -> None:
    service.draft_item(db, actor=OFFICE, data=item_create(), at=clock.now())
    version = _publish(db, clock, "gz_test_item", clock.today())
    by_code = service.field_by_header(version, "CF_WSH")
    by_name = service.field_by_header(version, "行政处罚决定书文号")
    assert by_code is not None
    assert by_code == by_name
    assert service.field_by_header(version, "罚款金额(万元)").code == "CF_NR_FK"  # type: ignore[union-attr]
    assert service.field_by_header(version, "无此列") is None
