"""Catalogue test data: a credit-office actor and item definitions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.catalogue.schemas import ItemCreate
from xinyong.core.actor import Actor, Role

OFFICE = Actor(
    role=Role.CREDIT_OFFICE,
    user_id=9001,
    username="office",
    display_name="省信用办 王敏",
    org_id=1,
    org_name="贵州省发展和改革委员会",
)
PROVIDER = Actor(role=Role.PROVIDER, user_id=9002, username="prov", display_name="市监局 李强")


def item_payload(**overrides: Any) -> dict[str, Any]:
    """A valid local negative item, as JSON."""
    data: dict[str, Any] = {
        "code": "gz_test_item",
        "tier": "local",
        "region_code": "520000",
        "category": "compliance",
        "name": "测试信息项",
        "name_en": "Test item",
        "behaviour": "测试用的失信行为",
        "subject_types": ["legal_person"],
        "fields": [
            {
                "code": "XDR_MC",
                "name_zh": "行政相对人名称",
                "name_en": "Party name",
                "type": "string",
                "required": True,
            },
            {
                "code": "CF_WSH",
                "name_zh": "行政处罚决定书文号",
                "name_en": "Decision number",
                "type": "string",
                "required": True,
            },
            {
                "code": "CF_NR_FK",
                "name_zh": "罚款金额（万元）",
                "name_en": "Fine (10 000 CNY)",
                "type": "decimal",
            },
        ],
        "publicity": "public",
        "sharing_scope": "向社会公开",
        "collection_source": [{"kind": "department", "description": "某厅"}],
        "update_frequency": "monthly",
        "max_delivery_gap_days": 45,
        "polarity": "negative",
        "default_severity": "general",
        "disclosure_rule": "by_class",
        "repairable": True,
        "legal_basis": "《贵州省社会信用条例》第十二条；《贵州省某某条例》第十条",
    }
    data.update(overrides)
    return data


def item_create(**overrides: Any) -> ItemCreate:
    return ItemCreate.model_validate(item_payload(**overrides))


def register_source(db: Session, *, item: str, org: str, at: datetime) -> None:
    """Register an organisation as a collection source of an item (issue 11 item 2): items
    with restricted sources (``judgment_default``, the lists) accept only registered ones."""
    from xinyong.catalogue import sources
    from xinyong.catalogue.schemas import SourceCreate

    sources.register_source(
        db, actor=sources.OPERATOR, item_code=item, data=SourceCreate(org=org), at=at
    )
