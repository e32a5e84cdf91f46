"""The red list: adopted, published as a ``red_list`` record, pushed to the departments that
subscribe to it — on the feed and in their inbox (Art. 22; MEA-4)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy.orm import Session

from tests.conftest import FROZEN
from tests.factories.lists import OFFICE_USCC, ListWorld, make_list_world
from xinyong.core.clock import PLATFORM_ZONE, Clock
from xinyong.core.errors import Conflict, InvalidInput, PermissionDenied
from xinyong.documents import service as documents
from xinyong.feed import service as feed
from xinyong.feed.schemas import WebhookCreate
from xinyong.lists import notices, service
from xinyong.lists.schemas import RedListCreate

NOW = Clock(datetime(2026, 9, 30, 10, 0, tzinfo=PLATFORM_ZONE)).now()


@pytest.fixture
def world(db: Session) -> ListWorld:
    return make_list_world(db, at=NOW, seq=611)


def adoption(code: str, **overrides: object) -> RedListCreate:
    data: dict[str, object] = {
        "subject": code,
        "title": "2026年度贵州省诚信示范企业",
        "basis": "《贵州省守信联合激励办法》",
        "reason": "连续三年无失信记录，积极履行社会责任",
        "adopted_by_uscc": OFFICE_USCC,
        "valid_until": "2027-09-30",
    }
    data.update(overrides)
    return RedListCreate.model_validate(data)


def test_adopt_publish_and_push(db: Session, world: ListWorld) -> None:
    feed.create_subscription(
        db, actor=world.organ, data=WebhookCreate(url="https://organ.example/hook",
                                                  item_codes=["red_list"]), at=NOW,
    )  # fmt: skip
    entry = service.adopt_red_list_entry(
        db, actor=world.office, data=adoption(world.company_code), at=NOW
    )
    assert entry.published_at == NOW
    assert entry.in_force
    assert entry.record_id is not None
    # On the feed (webhooks deliver what the feed holds) …
    changes = feed.list_changes(db, actor=world.organ, after=None, at=FROZEN, limit=500).changes
    assert any(c.record_id == entry.record_id and c.item == "red_list" for c in changes)
    # … and in the subscribing department's inbox, when the documents context lists the kind.
    if notices.kind_of(notices.RED_LIST_NOTICE) is not None:
        inbox = documents.inbox(db, actor=world.organ)
        assert any(d.kind == notices.RED_LIST_NOTICE for d in inbox.items)
    public = service.public_red_list(db, at=NOW)
    assert [r.subject.code for r in public.items] == [world.company_code]
    kinds = [e.list_kind for e in service.active_entries(db, subject_id=world.company_id, at=NOW)]
    assert kinds == ["red_list"]
    # Past its validity it is no longer shown or counted.
    after = Clock(datetime(2027, 10, 1, tzinfo=PLATFORM_ZONE)).now()
    assert service.public_red_list(db, at=after).items == []
    assert service.active_entries(db, subject_id=world.company_id, at=after) == []


def test_adopt_then_publish_later(db: Session, world: ListWorld) -> None:
    data = adoption(world.person_code, publish=False, valid_until=None)
    entry = service.adopt_red_list_entry(db, actor=world.office, data=data, at=NOW)
    assert entry.published_at is None
    assert service.public_red_list(db, at=NOW).items == []
    published = service.publish_red_list_entry(db, actor=world.office, entry_id=entry.id, at=NOW)
    assert published.in_force
    with pytest.raises(Conflict):
        service.publish_red_list_entry(db, actor=world.office, entry_id=entry.id, at=NOW)


def test_refusals(db: Session, world: ListWorld) -> None:
    with pytest.raises(PermissionDenied):
        service.adopt_red_list_entry(
            db, actor=world.organ, data=adoption(world.company_code), at=NOW
        )
    with pytest.raises(InvalidInput) as bad:
        service.adopt_red_list_entry(
            db, actor=world.office, at=NOW,
            data=adoption(world.company_code, adopted_on=date(2026, 10, 9),
                          valid_until="2026-10-01", adopted_by_uscc="91520000214434146X"),
        )  # fmt: skip
    fields = {d["field"] for d in bad.value.details}
    assert fields == {"adopted_on", "valid_until"}
    # Item 8 (Art. 22, 26): the adopting organ is the account's organisation, not the request's.
    with pytest.raises(InvalidInput) as other:
        service.adopt_red_list_entry(
            db, actor=world.office, at=NOW,
            data=adoption(world.company_code, adopted_by_uscc="91520000214434146R"),
        )  # fmt: skip
    assert other.value.code == "deciding_org_not_own"
