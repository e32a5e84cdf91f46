"""Supervision of providers (COL-3; Art. 13) over real deliveries, on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.integration.records.test_service import penalty_fields
from tests.integration.supervision.conftest import DATA
from xinyong.catalogue.service import require_published_version
from xinyong.core.actor import ANONYMOUS, Actor
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput, NotAuthenticated, PermissionDenied
from xinyong.records import service as records
from xinyong.records.importing.bulk import import_file
from xinyong.records.models import Record, RecordVersion
from xinyong.records.schemas import RecordCreate
from xinyong.supervision import service

COMPANY = {"type": "legal_person", "id": "91520000214434146R", "name": "贵州示例商贸有限公司"}


def _import(db: Session, actor: Actor, clock: Clock) -> None:
    with DATA.open("rb") as fh:
        import_file(
            db, actor=actor, item_code="admin_penalty", stream=fh, filename=DATA.name,
            at=clock.now(),
        )  # fmt: skip


def test_empty_until_someone_delivers(db: Session, office: Actor, clock: Clock) -> None:
    page = service.list_providers(db, actor=office, at=clock.now())
    assert page.items == []
    assert page.total == 0


def test_overdue_is_judged_against_the_clock(
    db: Session, office: Actor, provider: Actor, clock: Clock
) -> None:
    _import(db, provider, clock)
    # admin_penalty: daily, at most 7 days between deliveries (the catalogue says so).
    on_time = service.list_providers(db, actor=office, at=clock.now() + timedelta(days=7))
    (row,) = on_time.items
    assert (row.org_code, row.item_code) == ("GY-SJJ", "admin_penalty")
    assert row.max_gap_days == 7
    assert row.days_since_delivery == 7
    assert not row.overdue
    assert row.days_overdue == 0

    late = service.list_providers(db, actor=office, at=clock.now() + timedelta(days=10))
    (row,) = late.items
    assert row.overdue
    assert row.days_overdue == 3
    assert row.last_delivery_at == clock.now()


def test_rejection_rate_and_completeness_over_real_deliveries(
    db: Session, office: Actor, provider: Actor, clock: Clock
) -> None:
    _import(db, provider, clock)  # 10 rows: 4 accepted, 6 rejected
    _import(db, provider, clock)  # the same file again: 4 unchanged, 6 rejected again
    records.deliver_record(
        db,
        actor=provider,
        data=RecordCreate.model_validate(
            {"item": "admin_penalty", "source_id": "SJJ-9", "subject": COMPANY,
             "fields": penalty_fields(CF_WSH="黔市监罚〔2026〕901号")}
        ),
        at=clock.now(),
    )  # fmt: skip
    (row,) = service.list_providers(db, actor=office, at=clock.now()).items
    assert row.deliveries == 3  # two files and one single record
    assert row.accepted == 5
    assert row.unchanged == 4
    assert row.rejected == 12
    assert row.rejection_rate == pytest.approx(12 / 21)

    # Completeness, recomputed here in Python from the stored current versions.
    version = require_published_version(db, "admin_penalty", at=clock.now())
    optional = [f["code"] for f in version.fields if not f.get("required")]
    heads = db.scalars(
        select(RecordVersion)
        .join(Record, Record.id == RecordVersion.record_id)
        .where(RecordVersion.version == Record.current_version)
    ).all()
    filled = sum(1 for v in heads for c in optional if str(v.fields.get(c) or "").strip())
    assert row.records == len(heads) == 5
    assert row.completeness == pytest.approx(filled / (5 * len(optional)))
    assert 0 < row.completeness < 1


def test_withdrawn_records_leave_completeness(
    db: Session, office: Actor, provider: Actor, clock: Clock
) -> None:
    from xinyong.records.schemas import WithdrawalCreate

    created, _ = records.deliver_record(
        db,
        actor=provider,
        data=RecordCreate.model_validate(
            {"item": "admin_penalty", "source_id": "SJJ-1", "subject": COMPANY,
             "fields": penalty_fields()}
        ),
        at=clock.now(),
    )  # fmt: skip
    records.withdraw_record(
        db,
        actor=provider,
        record_id=created.id,
        data=WithdrawalCreate(reason="处罚决定已撤销", basis="黔市监撤〔2026〕1号"),
        at=clock.now(),
    )
    (row,) = service.list_providers(db, actor=office, at=clock.now()).items
    assert row.accepted == 1
    assert row.records == 0
    assert row.completeness is None


def test_sorting_paging_and_own_rows(
    db: Session, office: Actor, provider: Actor, other_provider: Actor, clock: Clock
) -> None:
    _import(db, provider, clock)
    later = clock.now() + timedelta(days=5)
    records.deliver_record(
        db,
        actor=other_provider,
        data=RecordCreate.model_validate(
            {"item": "admin_penalty", "source_id": "SWJ-1", "subject": COMPANY,
             "fields": penalty_fields()}
        ),
        at=later,
    )  # fmt: skip
    at = clock.now() + timedelta(days=9)
    page = service.list_providers(db, actor=office, at=at)
    assert [r.org_code for r in page.items] == ["GY-SJJ", "GY-SWJ"]  # most overdue first
    assert page.items[0].overdue
    assert not page.items[1].overdue

    by_name = service.list_providers(db, actor=office, at=at, sort="org_code", order="desc")
    assert [r.org_code for r in by_name.items] == ["GY-SWJ", "GY-SJJ"]
    paged = service.list_providers(
        db, actor=office, at=at, sort="org_code", order="asc", per_page=1, page=2
    )
    assert [r.org_code for r in paged.items] == ["GY-SWJ"]
    assert paged.total == 2

    mine = service.list_providers(db, actor=other_provider, at=at, mine=True)
    assert [r.org_code for r in mine.items] == ["GY-SWJ"]
    assert mine.items[0].rejection_rate == 0


def test_who_may_look(db: Session, provider: Actor, office: Actor, clock: Clock) -> None:
    with pytest.raises(PermissionDenied):
        service.list_providers(db, actor=provider, at=clock.now())
    with pytest.raises(NotAuthenticated):
        service.list_providers(db, actor=ANONYMOUS, at=clock.now())
    with pytest.raises(PermissionDenied):
        service.list_providers(db, actor=office, at=clock.now(), mine=True)
    with pytest.raises(InvalidInput):
        service.list_providers(db, actor=office, at=clock.now(), sort="password")


def test_csv_has_every_row(db: Session, office: Actor, provider: Actor, clock: Clock) -> None:
    _import(db, provider, clock)
    text = "".join(service.providers_csv(db, actor=office, at=clock.now()))
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("org_code,org_name,item_code")
    assert lines[1].startswith("GY-SJJ,贵阳市市场监督管理局,admin_penalty")
    assert len(lines) == 2
