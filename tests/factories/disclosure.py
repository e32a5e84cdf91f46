"""Disclosure test data: valid identifiers, and records delivered through the records service.

Windows are stored the way the records use cases will store them (``compute_and_store_windows``
in the delivery transaction); ``store_window=False`` leaves a record without one, to test the
on-the-fly path.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.core.actor import Actor
from xinyong.core.identifiers import USCC_CHARSET, resident_check_char, uscc_check_char
from xinyong.disclosure.service import compute_and_store_windows
from xinyong.records import service as records
from xinyong.records.schemas import RecordCreate

AUTHORITY = "贵阳市市场监督管理局"


def uscc(seq: int, region: str = "520100") -> str:
    """A valid Unified Social Credit Code (legal person, 91), distinct per ``seq``."""
    body = f"91{region}"
    org = ""
    n = seq + 10_000_000
    for _ in range(9):
        org = USCC_CHARSET[n % 10] + org
        n //= 10
    first17 = body + org
    return first17 + uscc_check_char(first17)


AUTH_CODE = uscc(1, "520000")


def resident_id(seq: int, born: date = date(1985, 3, 7), region: str = "520102") -> str:
    """A valid 18-digit resident identity number."""
    first17 = f"{region}{born:%Y%m%d}{seq % 1000:03d}"
    return first17 + resident_check_char(first17)


def party_fields(*, person: bool, name: str, code: str) -> dict[str, Any]:
    if person:
        return {"XDR_MC": name, "XDR_LB": "自然人", "XDR_ZJLX": "身份证", "XDR_ZJHM": code}
    return {"XDR_MC": name, "XDR_LB": "法人及非法人组织", "XDR_SHXYM": code}


def penalty_fields(
    *, person: bool, name: str, code: str, decided_on: date, doc: str, **extra: Any
) -> dict[str, Any]:
    fields = party_fields(person=person, name=name, code=code)
    fields.update(
        {
            "CF_WSH": doc,
            "CF_WFXW": "未按规定履行义务",
            "CF_SY": f"经查，当事人{name}未按规定履行义务。",
            "CF_YJ": "《中华人民共和国行政处罚法》",
            "CF_CFLB": "罚款",
            "CF_NR": "罚款人民币伍仟元整",
            "CF_NR_FK": "0.5",
            "CF_JDRQ": decided_on.isoformat(),
            "CF_CFJG": AUTHORITY,
            "CF_CFJGDM": AUTH_CODE,
            "CF_SJLY": AUTHORITY,
            "CF_SJLYDM": AUTH_CODE,
        }
    )
    fields.update(extra)
    return fields


def tax_fields(*, person: bool, name: str, code: str, on: date) -> dict[str, Any]:
    fields = party_fields(person=person, name=name, code=code)
    fields.update(
        {
            "QS_SZ": "增值税",
            "QS_JE": "12.5",
            "QS_TJRQ": on.isoformat(),
            "QS_ZGJG": "国家税务总局贵阳市税务局",
            "LYDW": "国家税务总局贵阳市税务局",
            "LYDWDM": AUTH_CODE,
        }
    )
    return fields


def deliver(
    db: Session,
    provider: Actor,
    *,
    item: str,
    fields: dict[str, Any],
    at: datetime,
    severity: str | None = None,
    decided_on: date | None = None,
    source_id: str | None = None,
    store_window: bool = True,
) -> int:
    """Deliver one record through the records service; returns its id."""
    data: dict[str, Any] = {"item": item, "fields": fields}
    if severity is not None:
        data["severity"] = severity
    if decided_on is not None:
        data["decided_on"] = decided_on
    if source_id is not None:
        data["source_id"] = source_id
    record, _ = records.deliver_record(
        db, actor=provider, data=RecordCreate.model_validate(data), at=at
    )
    if store_window:
        compute_and_store_windows(db, [record.id], at=at)
        db.commit()
    return record.id


def penalty(
    db: Session,
    provider: Actor,
    *,
    person: bool,
    name: str,
    code: str,
    decided_on: date,
    severity: str,
    at: datetime,
    doc: str,
    store_window: bool = True,
) -> int:
    fields = penalty_fields(person=person, name=name, code=code, decided_on=decided_on, doc=doc)
    return deliver(
        db,
        provider,
        item="admin_penalty",
        fields=fields,
        at=at,
        severity=severity,
        source_id=doc,
        store_window=store_window,
    )
