"""List items only through their procedure (issue 11 item 2; Art. 12, 25, 26), on both
databases: an item with restricted sources (``serious_dishonesty``, ``red_list``,
``judgment_default``) is delivered — by API, JSON batch or file — only by an organisation the
credit office registered as its collection source, and a registered source of a list item
gives the decision document number, the decision date and the day its prior notice was
served. Other items keep accepting any provider."""

from __future__ import annotations

import io
from typing import Any

import pytest
from sqlalchemy.orm import Session

from xinyong.catalogue import sources
from xinyong.catalogue.schemas import SourceCreate
from xinyong.core.actor import Actor
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput, PermissionDenied
from xinyong.records import service
from xinyong.records.importing.bulk import import_file
from xinyong.records.schemas import AmendmentCreate, RecordBatchCreate, RecordCreate

ORGAN_USCC = "11520000MB1234567J"


def listing_fields(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "XDR_MC": "贵州示例商贸有限公司",
        "XDR_LB": "法人及非法人组织",
        "XDR_SHXYM": "91520000214434146R",
        "YZ_LRYJ": "《市场监督管理严重违法失信名单管理办法》第十条",
        "YZ_LRSY": "拒不履行行政处罚决定",
        "YZ_RDWH": "黔市监信〔2026〕12号",
        "YZ_RDJG": "贵阳市市场监督管理局",
        "YZ_JDRQ": "2026-09-01",
        "YZ_GZSDRQ": "2026-08-20",
        "YZ_LRRQ": "2026-09-01",
        "LYDW": "贵阳市市场监督管理局",
        "LYDWDM": ORGAN_USCC,
    }
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not None}


def listing(**changes: Any) -> RecordCreate:
    return RecordCreate.model_validate(
        {"item": "serious_dishonesty", "source_id": "SJJ-YZ-1", "fields": listing_fields(**changes)}
    )


def register(db: Session, office: Actor, clock: Clock, item: str, org: str = "GY-SJJ") -> None:
    sources.register_source(
        db, actor=office, item_code=item, data=SourceCreate(org=org), at=clock.now()
    )


def test_an_unregistered_provider_delivers_no_restricted_item(
    db: Session, provider: Actor, clock: Clock
) -> None:
    for item in ("serious_dishonesty", "red_list", "judgment_default"):
        data = RecordCreate.model_validate({"item": item, "source_id": "X-1", "fields": {}})
        with pytest.raises(PermissionDenied) as refused:
            service.deliver_record(db, actor=provider, data=data, at=clock.now())
        assert refused.value.code == "not_a_collection_source", item
    with pytest.raises(PermissionDenied) as batch:
        service.deliver_records(
            db, actor=provider, data=RecordBatchCreate(records=[listing()]), at=clock.now()
        )
    assert batch.value.code == "not_a_collection_source"
    with pytest.raises(PermissionDenied) as file:
        import_file(
            db, actor=provider, item_code="serious_dishonesty", filename="yz.csv",
            stream=io.BytesIO("XDR_MC\n某公司\n".encode()), at=clock.now(),
        )  # fmt: skip
    assert file.value.code == "not_a_collection_source"


def test_a_registered_listing_department_delivers_with_its_decision_document(
    db: Session, provider: Actor, other_provider: Actor, office: Actor, clock: Clock
) -> None:
    register(db, office, clock, "serious_dishonesty")
    for missing in ("YZ_GZSDRQ", "YZ_JDRQ", "YZ_RDWH"):
        with pytest.raises(InvalidInput) as refused:
            service.deliver_record(
                db, actor=provider, data=listing(**{missing: None}), at=clock.now()
            )
        assert refused.value.code == "invalid_record"
        assert {d["field"] for d in refused.value.details} == {missing}
    record, created = service.deliver_record(db, actor=provider, data=listing(), at=clock.now())
    assert created
    assert (record.document_no, str(record.decided_on)) == ("黔市监信〔2026〕12号", "2026-09-01")
    # An amendment cannot drop what the source had to give.
    with pytest.raises(InvalidInput) as dropped:
        service.amend_record(
            db, actor=provider, record_id=record.id, at=clock.now(),
            data=AmendmentCreate(fields={"YZ_GZSDRQ": None}, reason="删除告知日期"),
        )  # fmt: skip
    assert {d["field"] for d in dropped.value.details} == {"YZ_GZSDRQ"}
    # Another provider is still no source of the item.
    with pytest.raises(PermissionDenied):
        service.deliver_record(db, actor=other_provider, data=listing(), at=clock.now())
    # Ending the registration ends the right to deliver.
    sources.end_source(
        db, actor=office, item_code="serious_dishonesty", org_code="GY-SJJ",
        reason="职责调整", at=clock.now(),
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        service.deliver_record(
            db, actor=provider, data=listing(YZ_RDWH="黔市监信〔2026〕13号"), at=clock.now()
        )


def test_a_registered_source_delivers_a_file_and_each_row_names_what_is_missing(
    db: Session, provider: Actor, office: Actor, clock: Clock
) -> None:
    register(db, office, clock, "serious_dishonesty")
    good = listing_fields()
    header = list(good)
    rows = [
        [good[h] for h in header],
        [good[h] if h != "YZ_GZSDRQ" else "" for h in header[:-2]] + ["某局", ORGAN_USCC],
    ]
    rows[1][header.index("YZ_RDWH")] = "黔市监信〔2026〕14号"
    text = "\n".join(",".join(r) for r in [header, *rows]) + "\n"
    result = import_file(
        db, actor=provider, item_code="serious_dishonesty", filename="yz.csv",
        stream=io.BytesIO(text.encode()), at=clock.now(),
    )  # fmt: skip
    assert result.accepted == 1
    assert [(r.line, r.field) for r in result.rejected] == [(3, "YZ_GZSDRQ")]


def test_a_registered_court_delivers_judgment_defaulters(
    db: Session, provider: Actor, office: Actor, clock: Clock
) -> None:
    register(db, office, clock, "judgment_default")
    data = RecordCreate.model_validate(
        {
            "item": "judgment_default",
            "source_id": "FY-2026-1",
            "fields": {
                "XDR_MC": "贵州示例商贸有限公司",
                "XDR_LB": "法人及非法人组织",
                "XDR_SHXYM": "91520000214434146R",
                "SX_AH": "（2026）黔01执123号",
                "SX_ZXFY": "贵阳市中级人民法院",
                "SX_ZXYJWH": "（2025）黔01民初45号",
                "SX_QX": "有履行能力而拒不履行生效法律文书确定义务",
                "SX_LARQ": "2026-03-01",
                "SX_FBRQ": "2026-09-01",
                "LYDW": "贵阳市中级人民法院",
                "LYDWDM": ORGAN_USCC,
            },
        }
    )
    _, created = service.deliver_record(db, actor=provider, data=data, at=clock.now())
    assert created
