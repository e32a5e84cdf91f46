"""Self-query, issuing and verifying credit reports (RGT-1; Art. 31) on both databases, with
records delivered, amended and withdrawn through the records service; clock at 2026-09-30."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories.reports import PROVIDER_NAME, seed, subject_account
from xinyong.audit.models import AuditEntry
from xinyong.core.actor import ANONYMOUS
from xinyong.core.clock import Clock
from xinyong.core.errors import NotAuthenticated, NotFound, PermissionDenied
from xinyong.documents.pdf import page_texts
from xinyong.reports import content as builder
from xinyong.reports import document, service
from xinyong.reports.models import CreditReport
from xinyong.subjects.service import get_subject

NUMBER = re.compile(r"^XYBG-20260930-[0-9A-Z]{8}$")


def test_self_query_shows_every_record_with_its_state_source_and_versions(
    db: Session, clock: Clock
) -> None:
    s = seed(db, at=clock.now())
    me = subject_account(db, at=clock.now(), code=s.code)

    answer = service.self_query(db, actor=me, at=clock.now())

    assert answer.subject is not None
    assert answer.subject.code == s.code
    by_id = {r.id: r for r in answer.records}
    assert set(by_id) == {s.amended, s.withdrawn, s.expired}
    assert by_id[s.amended].state == "in_effect"
    assert by_id[s.withdrawn].state == "withdrawn"
    assert by_id[s.expired].state == "expired"
    amended = by_id[s.amended]
    assert amended.source.provider_org_name == PROVIDER_NAME
    assert amended.source.channel == "api"
    assert amended.source.document_no == "黔市监罚〔2026〕1号"
    assert amended.section == "administrative"
    assert [v.version for v in amended.versions] == [1, 2]
    assert amended.versions[1].reason == "罚款金额录入有误"
    assert amended.versions[1].actor  # who made the change, copied from the account
    assert amended.fields["CF_NR_FK"] == "0.3"
    withdrawal = by_id[s.withdrawn].versions[-1]
    assert (withdrawal.status, withdrawal.reason) == ("withdrawn", "处罚决定已被撤销")


def test_issuing_a_report_registers_it_logs_it_and_prints_only_what_is_in_effect(
    db: Session, clock: Clock
) -> None:
    s = seed(db, at=clock.now(), extra=2)
    me = subject_account(db, at=clock.now(), code=s.code)

    report, pdf = service.issue_report(db, actor=me, at=clock.now(), base_url="https://x.test")

    assert pdf.startswith(b"%PDF-")
    assert NUMBER.match(report.number)
    assert re.fullmatch(r"[0-9a-f]{64}", report.digest)
    assert report.records_count == 3  # the amended one and 2 extra; not withdrawn or expired
    stored = db.scalar(select(CreditReport).where(CreditReport.number == report.number))
    assert stored is not None
    assert stored.subject_id == s.subject_id
    entry = db.scalar(
        select(AuditEntry)
        .where(AuditEntry.tag == "reports:report:issue")
        .order_by(AuditEntry.seq.desc())
    )
    assert entry is not None
    assert entry.subject_id == s.subject_id
    assert str(entry.object_id) == str(report.id)


def test_report_numbers_are_unpredictable(db: Session, clock: Clock) -> None:
    s = seed(db, at=clock.now())
    me = subject_account(db, at=clock.now(), code=s.code)
    first, _ = service.issue_report(db, actor=me, at=clock.now())
    second, _ = service.issue_report(db, actor=me, at=clock.now())
    assert first.number != second.number
    assert first.number[:14] == second.number[:14] == "XYBG-20260930-"


def test_a_report_is_verified_by_its_number_with_the_person_masked(
    db: Session, clock: Clock
) -> None:
    s = seed(db, at=clock.now(), person=True)
    me = subject_account(db, at=clock.now(), code=s.code)
    report, _ = service.issue_report(db, actor=me, at=clock.now())

    answer = service.verify_report(db, number=f"  {report.number.lower()} ")

    assert answer.number == report.number
    assert answer.digest == report.digest
    assert answer.issued_at == clock.now()
    assert s.name not in answer.subject
    assert "王某" in answer.subject
    assert s.code not in answer.subject
    assert f"{s.code[:6]}{'*' * 11}{s.code[-1]}" in answer.subject


@pytest.mark.parametrize("number", ["XYBG-20260930-ZZZZZZZZ", "nonsense", ""])
def test_an_unknown_number_is_not_found(db: Session, number: str) -> None:
    with pytest.raises(NotFound) as caught:
        service.verify_report(db, number=number)
    assert caught.value.code == "report_not_found"


def test_only_the_subject_itself_reads_and_reports(db: Session, clock: Clock) -> None:
    s = seed(db, at=clock.now())
    with pytest.raises(PermissionDenied):
        service.self_query(db, actor=s.provider, at=clock.now())
    with pytest.raises(PermissionDenied):
        service.issue_report(db, actor=s.provider, at=clock.now())
    with pytest.raises(NotAuthenticated):
        service.self_query(db, actor=ANONYMOUS, at=clock.now())


def test_a_subject_without_records_sees_nothing_and_gets_no_report(
    db: Session, clock: Clock
) -> None:
    seed(db, at=clock.now())
    me = subject_account(db, at=clock.now(), code="91520000214434146R", username="nobody")
    assert service.self_query(db, actor=me, at=clock.now()).records == []
    with pytest.raises(NotFound):
        service.issue_report(db, actor=me, at=clock.now())


def test_the_report_number_is_on_every_page(db: Session, clock: Clock) -> None:
    s = seed(db, at=clock.now(), extra=30)
    me = subject_account(db, at=clock.now(), code=s.code)
    subject = get_subject(db, s.subject_id)
    records = builder.self_records(db, subject=subject, actor=me, at=clock.now())
    number = "XYBG-20260930-7K3QX9MD"
    content = builder.report_content(
        subject=subject, records=records, number=number, at=clock.now(), issued_to="me",
        verify_url=document.verify_url("https://x.test", number),
    )  # fmt: skip
    html = document.report_html(content, digest="0" * 64)

    pages = page_texts(document.render_report(html))

    assert len(pages) > 1
    assert all(f"报告编号 {number}" in text for text in pages)
    assert "行政管理信息" in pages[0]
    assert s.name in pages[0]
