"""Every look at non-public information is logged and shown to its subject (Art. 20, 31) —
records with their versions, the change feed, exports and list procedures; both databases."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories.inquiry import World, seed
from tests.factories.lists import make_list_world, proposal
from xinyong.core.clock import Clock
from xinyong.feed import service as feed
from xinyong.feed.export import export_records
from xinyong.inquiry import service as inquiry
from xinyong.inquiry.models import Inquiry, InquiryChannel
from xinyong.lists import service as lists
from xinyong.records import service as records
from xinyong.records.listing import export_records as export_listing


def _looks(db: Session, world: World) -> list[tuple[str, str, str, list[str]]]:
    rows = inquiry.my_inquiries(db, actor=world.subject).items
    return [(r.organisation, r.purpose, r.channel, r.items) for r in rows]


def test_the_office_reading_a_non_public_record_is_logged_for_supervision(
    db: Session, clock: Clock
) -> None:
    world = seed(db, clock.now())
    read = records.look_at_record(db, actor=world.office, record_id=world.tax_id, at=clock.now())
    assert read.versions
    assert _looks(db, world) == [("贵州省信用办", "supervision", "record", ["tax_arrears"])]
    row = db.scalars(select(Inquiry).where(Inquiry.channel == InquiryChannel.RECORD)).one()
    assert (row.user_id, row.record_ids, row.outcome.value) == (
        world.office.user_id, [world.tax_id], "answered",
    )  # fmt: skip


def test_a_provider_reading_its_own_non_public_record_is_logged_too(
    db: Session, clock: Clock
) -> None:
    world = seed(db, clock.now())
    records.look_at_record(db, actor=world.provider, record_id=world.tax_id, at=clock.now())
    assert _looks(db, world) == [
        ("贵阳市市场监督管理局", "delivery_management", "record", ["tax_arrears"])
    ]


def test_reading_a_public_record_needs_no_row(db: Session, clock: Clock) -> None:
    world = seed(db, clock.now())
    records.look_at_record(db, actor=world.office, record_id=world.penalty_id, at=clock.now())
    records.look_at_record(db, actor=world.provider, record_id=world.licence_id, at=clock.now())
    assert _looks(db, world) == []


def test_a_feed_page_writes_one_row_per_subject_of_non_public_changes(
    db: Session, clock: Clock
) -> None:
    world = seed(db, clock.now())
    other = seed(db, clock.now(), tag="q2", seq=902)
    page = feed.list_changes(db, actor=world.office, after=None, at=clock.now(), limit=500)
    assert {c.record_id for c in page.changes} >= {world.tax_id, other.tax_id, world.penalty_id}
    feed_rows = db.scalars(select(Inquiry).where(Inquiry.channel == InquiryChannel.FEED)).all()
    # One row per subject, each naming only the non-public item and record seen.
    assert sorted((r.subject_code, r.items, r.record_ids) for r in feed_rows) == sorted(
        [
            (world.code, ["tax_arrears"], [world.tax_id]),
            (other.code, ["tax_arrears"], [other.tax_id]),
        ]
    )
    assert ("贵州省信用办", "supervision", "feed", ["tax_arrears"]) in _looks(db, world)


def test_an_export_of_a_non_public_item_logs_each_subject_it_covers(
    db: Session, clock: Clock
) -> None:
    world = seed(db, clock.now())
    other = seed(db, clock.now(), tag="q2", seq=902)
    text = "".join(export_records(db, actor=world.office, item_code="tax_arrears", at=clock.now()))
    assert text.count("\n") == 3  # header and two records
    exported = db.scalars(select(Inquiry).where(Inquiry.channel == InquiryChannel.EXPORT)).all()
    assert sorted(r.subject_code for r in exported) == sorted([world.code, other.code])
    assert ("贵州省信用办", "supervision", "export", ["tax_arrears"]) in _looks(db, world)

    # A public item's export is public information: no row.
    before = db.scalar(select(func.count()).select_from(Inquiry))
    "".join(export_records(db, actor=world.office, item_code="admin_penalty", at=clock.now()))
    assert db.scalar(select(func.count()).select_from(Inquiry)) == before


def test_a_providers_csv_of_its_records_logs_the_non_public_ones(db: Session, clock: Clock) -> None:
    world = seed(db, clock.now())
    rows = export_listing(db, actor=world.provider, at=clock.now())
    assert len(rows) == 3
    assert _looks(db, world) == [
        ("贵阳市市场监督管理局", "delivery_management", "export", ["tax_arrears"])
    ]


def test_the_office_reading_a_list_procedure_is_logged_its_subject_reading_it_is_not(
    db: Session, clock: Clock
) -> None:
    at = clock.now() - timedelta(days=2)
    w = make_list_world(db, at=at)
    p = lists.propose(db, actor=w.organ, data=proposal(w.company_code), at=at)
    lists.get_procedure(db, actor=w.subject, procedure_id=p.id, at=clock.now())
    assert inquiry.my_inquiries(db, actor=w.subject).items == []

    lists.get_procedure(db, actor=w.office, procedure_id=p.id, at=clock.now())
    lists.list_procedures(db, actor=w.organ, at=clock.now())
    seen = [
        (r.purpose, r.channel, r.items) for r in inquiry.my_inquiries(db, actor=w.subject).items
    ]
    assert sorted(seen) == [
        ("interconnection", "list_procedure", ["serious_dishonesty"]),
        ("supervision", "list_procedure", ["serious_dishonesty"]),
    ]
