"""Export in the 双公示 layout (COL-4): the exported file re-imports as "unchanged"."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy.orm import Session

from tests.integration.feed.helpers import deliver
from tests.integration.supervision.conftest import DATA
from xinyong.core.actor import Actor
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput, PermissionDenied
from xinyong.feed.export import export_records
from xinyong.records import service as records
from xinyong.records.importing.bulk import import_file
from xinyong.records.schemas import AmendmentCreate


def _import(db: Session, actor: Actor, data: bytes, clock: Clock, name: str = "x.csv"):  # type: ignore[no-untyped-def]
    return import_file(
        db, actor=actor, item_code="admin_penalty", stream=io.BytesIO(data), filename=name,
        at=clock.now(),
    )  # fmt: skip


@pytest.mark.parametrize("headers", ["code", "zh"])
def test_export_reimports_as_unchanged(
    db: Session, provider: Actor, clock: Clock, headers: str
) -> None:
    first = _import(db, provider, DATA.read_bytes(), clock, DATA.name)
    assert first.accepted == 4
    single = deliver(db, provider, "SJJ-77", clock.now())  # delivered with a source id
    records.amend_record(
        db,
        actor=provider,
        record_id=single.id,
        data=AmendmentCreate(fields={"CF_NR_FK": "2"}, reason="金额录入错误"),
        at=clock.now(),
    )

    text = "".join(
        export_records(
            db, actor=provider, item_code="admin_penalty", at=clock.now(),
            headers=headers,  # type: ignore[arg-type]
        )
    )  # fmt: skip
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == (
        ["source_id", "XDR_MC", "XDR_LB"]
        if headers == "code"
        else ["来源编号", "行政相对人名称", "行政相对人类别"]
    )
    assert len(rows) == 1 + 5
    amended = next(r for r in rows if r[0] == "SJJ-77")
    assert "2" in amended  # the current version, not the first

    again = _import(db, provider, text.encode(), clock)
    assert again.rejected == []
    assert (again.accepted, again.unchanged) == (0, 5)


def test_who_exports_what(
    db: Session, provider: Actor, other_provider: Actor, office: Actor, clock: Clock
) -> None:
    deliver(db, provider, "601", clock.now())
    deliver(db, other_provider, "602", clock.now())

    def count(actor: Actor, org: str | None = None) -> int:
        text = "".join(
            export_records(db, actor=actor, item_code="admin_penalty", at=clock.now(), org_code=org)
        )
        return len(text.strip().splitlines()) - 1

    assert count(office) == 2
    assert count(office, "GY-SWJ") == 1
    assert count(provider) == 1
    with pytest.raises(PermissionDenied):
        count(provider, "GY-SWJ")
    with pytest.raises(InvalidInput):
        count(office, "NOPE")
    with pytest.raises(InvalidInput):
        export_records(db, actor=office, item_code="no_such_item", at=clock.now())
