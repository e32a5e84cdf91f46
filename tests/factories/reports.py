"""Credit-report test data: a provider, a subject with penalties delivered through the records
service (one amended, one withdrawn, one past its publicity window) and the subject's account."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from tests.factories.accounts import actor_of, make_org, make_user
from tests.factories.disclosure import penalty, resident_id, uscc
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM, Actor, Role
from xinyong.records import service as records
from xinyong.records.schemas import AmendmentCreate, WithdrawalCreate
from xinyong.subjects.service import find_by_code

PROVIDER_NAME = "贵阳市市场监督管理局"
COMPANY = "贵州报告测试有限公司"
PERSON = "王小明"


@dataclass(frozen=True)
class Seeded:
    provider: Actor
    subject_id: int
    code: str
    name: str
    #: Record ids: in effect (amended once), withdrawn, expired.
    amended: int
    withdrawn: int
    expired: int
    extra: list[int]


def catalogue_and_provider(db: Session, *, at: datetime) -> Actor:
    load_shipped_catalogues(db, actor=SYSTEM, at=at)
    make_org(db, at=at, code="GY-SJJ", kind="provider", name=PROVIDER_NAME)
    db.commit()
    return actor_of(make_user(db, at=at, role=Role.PROVIDER, username="gy_sjj", org_code="GY-SJJ"))


def seed(
    db: Session, *, at: datetime, person: bool = False, extra: int = 0, seq: int = 7
) -> Seeded:
    """A subject with 3 penalties in distinct states, plus ``extra`` ones in effect."""
    provider = catalogue_and_provider(db, at=at)
    code = resident_id(seq) if person else uscc(seq)
    name = PERSON if person else COMPANY

    def one(doc: str, decided_on: date, severity: str = "general") -> int:
        return penalty(
            db, provider, person=person, name=name, code=code, decided_on=decided_on,
            severity=severity, at=at, doc=doc,
        )  # fmt: skip

    amended = one("黔市监罚〔2026〕1号", date(2026, 6, 1))
    withdrawn = one("黔市监罚〔2026〕2号", date(2026, 7, 1))
    # A general penalty is shown for at most a year (NDRC Order 36): this one has expired.
    expired = one("黔市监罚〔2024〕3号", date(2024, 5, 1))
    more = [one(f"黔市监罚〔2026〕{100 + i}号", date(2026, 8, 1)) for i in range(extra)]
    records.amend_record(
        db, actor=provider, record_id=amended, at=at,
        data=AmendmentCreate(fields={"CF_NR_FK": "0.3"}, reason="罚款金额录入有误"),
    )  # fmt: skip
    records.withdraw_record(
        db, actor=provider, record_id=withdrawn, at=at,
        data=WithdrawalCreate(reason="处罚决定已被撤销", basis="黔复决〔2026〕9号"),
    )  # fmt: skip
    subject = find_by_code(db, code)
    assert subject is not None
    return Seeded(provider, subject.id, code, name, amended, withdrawn, expired, more)


def subject_account(db: Session, *, at: datetime, code: str, username: str = "self1") -> Actor:
    return actor_of(make_user(db, at=at, role=Role.SUBJECT, username=username, subject_code=code))


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's objects as text: its streams (object streams included) inflated. Enough to
    find page objects, link URIs and font names in what WeasyPrint writes."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            parts.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf_objects(pdf)))
