"""The published catalogue and the audit checkpoint in the publication store (issue 15 item
1), on both databases: the public-only app answers the catalogue routes and pages and
``GET /audit/checkpoint`` exactly as the core app does, a catalogue change shows after the
next publication, an item comes into force on its day, and a newer checkpoint replaces the
held one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tests.factories.catalogue import OFFICE, item_create
from tests.integration.publication.test_publish import _core_factory
from xinyong.audit import service as audit_service
from xinyong.catalogue import service as catalogue
from xinyong.catalogue.models import OpinionSource, VersionStatus
from xinyong.catalogue.schemas import ItemRead, OpinionCreate
from xinyong.core.clock import Clock
from xinyong.core.config import Settings
from xinyong.publication import service as public
from xinyong.publication.publish import publish
from xinyong.web.app import create_app

Factory = sessionmaker[Session]

#: The catalogue and checkpoint answers the public server must give exactly as the core does.
PATHS = (
    "/api/v1/catalogue/items",
    "/api/v1/catalogue/items?tier=local",
    "/api/v1/catalogue/items?tier=national&sort=name&order=desc",
    "/api/v1/catalogue/items?sort=update_frequency",
    "/api/v1/catalogue/items?status=public_comment",
    "/api/v1/catalogue/items?status=superseded",
    "/api/v1/catalogue/items?sort=nonsense",
    "/api/v1/catalogue/items?tier=provincial",
    "/api/v1/catalogue/items/admin_penalty",
    "/api/v1/catalogue/items/gz_test_item",
    "/api/v1/catalogue/items/no_such_item",
    "/api/v1/audit/checkpoint",
)


@pytest.fixture
def public_client(settings: Settings, store_engine: Engine) -> Iterator[TestClient]:
    """``xinyong serve --public`` in process: the store alone, no core database."""
    with TestClient(create_app(settings, public_engine=store_engine, public_only=True)) as c:
        yield c


def _in_comment(core: Session, clock: Clock) -> None:
    """A local draft item under public comment, with an opinion (public in the core too)."""
    catalogue.draft_item(core, actor=OFFICE, data=item_create(), at=clock.now())
    catalogue.open_public_comment(core, actor=OFFICE, code="gz_test_item", at=clock.now())
    opinion = OpinionCreate(
        source_name="贵阳市工商联", source_kind=OpinionSource.ASSOCIATION, content="建议细化"
    )
    catalogue.record_opinion(core, actor=OFFICE, code="gz_test_item", opinion=opinion,
                             at=clock.now())  # fmt: skip


def _publish_item(core: Session, clock: Clock, code: str, *, days: int = 0) -> None:
    catalogue.report_to_higher_authority(core, actor=OFFICE, code=code, at=clock.now())
    catalogue.publish_item(core, actor=OFFICE, code=code, at=clock.now(),
                           effective_on=clock.today() + timedelta(days=days))  # fmt: skip


def _codes(items: list[ItemRead]) -> list[str]:
    return [i.code for i in items]


def test_the_public_app_answers_the_catalogue_and_checkpoint_as_the_core(
    core: Session,
    public_factory: Factory,
    clock: Clock,
    settings: Settings,
    client: TestClient,
    public_client: TestClient,
) -> None:
    assert public_client.get("/api/v1/audit/checkpoint").json()["error"]["code"] == "no_checkpoint"
    _in_comment(core, clock)
    audit_service.make_checkpoint(core, at=clock.now(), settings=settings)
    core.flush()
    publish(_core_factory(core), public_factory, clock, settings=settings)
    for path in PATHS:
        ours, theirs = client.get(path), public_client.get(path)
        assert theirs.status_code == ours.status_code, path
        assert theirs.json() == ours.json(), path
    assert public_client.get("/api/v1/catalogue/items?status=public_comment").json()["items"]
    # The pages and the CSV.
    csv = public_client.get("/catalogue.csv?tier=national&sort=name")
    assert csv.status_code == 200
    assert csv.text == client.get("/catalogue.csv?tier=national&sort=name").text
    page = public_client.get("/catalogue?lang=zh")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert "行政处罚信息" in page.text or "admin_penalty" in page.text
    item = public_client.get("/catalogue/gz_test_item?lang=zh")
    assert item.status_code == 200
    assert "建议细化" in item.text
    assert public_client.get("/catalogue/no_such_item").status_code == 404
    # The credit office's routes are not there: the public server only reads.
    assert public_client.post("/api/v1/catalogue/items", json={}).status_code in (404, 405)
    assert public_client.get("/api/v1/catalogue/items/admin_penalty/sources").status_code == 404


def test_a_catalogue_change_is_published_and_an_item_comes_into_force_on_its_day(
    core: Session, public_factory: Factory, clock: Clock, settings: Settings
) -> None:
    publish(_core_factory(core), public_factory, clock, settings=settings)
    _in_comment(core, clock)
    _publish_item(core, clock, "gz_test_item", days=1)
    summary = publish(_core_factory(core), public_factory, clock, settings=settings)
    assert summary.rebuilt  # a catalogue change may alter every answer
    assert summary.catalogue_changed == 1
    with public_factory() as s:
        assert "gz_test_item" not in _codes(public.catalogue_items(s))  # not in force yet
        assert "gz_test_item" in _codes(public.catalogue_items(s, status=VersionStatus.PUBLISHED))
    tomorrow = Clock(clock.now() + timedelta(days=1))
    summary = publish(_core_factory(core), public_factory, tomorrow, settings=settings)
    assert any(u.startswith("day:") for u in summary.units)
    with public_factory() as s:
        held = public.catalogue_items(s)
    expected = catalogue.list_items(core, at=tomorrow.now())
    assert [i.model_dump(mode="json") for i in held] == [
        i.model_dump(mode="json") for i in expected
    ]
    assert "gz_test_item" in _codes(held)


def test_a_newer_checkpoint_replaces_the_held_one_and_twice_is_once(
    core: Session, public_factory: Factory, clock: Clock, settings: Settings
) -> None:
    first = audit_service.make_checkpoint(core, at=clock.now(), settings=settings)
    core.flush()
    summary = publish(_core_factory(core), public_factory, clock, settings=settings)
    assert summary.checkpoint_size == first.size
    again = publish(_core_factory(core), public_factory, clock, settings=settings)
    assert again.units == []
    assert (again.catalogue_changed, again.checkpoint_size) == (0, None)
    _in_comment(core, clock)  # the log grows
    later = clock.now() + timedelta(minutes=5)
    second = audit_service.make_checkpoint(core, at=later, settings=settings)
    core.flush()
    assert second.size > first.size
    summary = publish(_core_factory(core), public_factory, Clock(later), settings=settings)
    assert summary.checkpoint_size == second.size
    with public_factory() as s:
        held = public.checkpoint_json(s)
    expected = audit_service.get_checkpoint(core, settings=settings)
    assert held == expected.model_dump_json()
