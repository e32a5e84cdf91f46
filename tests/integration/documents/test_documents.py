"""Numbered documents and the inbox (PLT-4)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.factories.accounts import actor_of, make_user
from tests.factories.objections import World
from xinyong.core.actor import ANONYMOUS, Role
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from xinyong.db.base import Base
from xinyong.db.session import make_engine
from xinyong.documents import service
from xinyong.documents.models import DocumentKind
from xinyong.documents.rules import document_number, looks_like_number


def issue(db: Session, clock: Clock, **recipient: object) -> str:
    doc = service.issue_document(
        db, kind=DocumentKind.CORRECTION_NOTICE, title="测试通知", body={"paragraphs": ["正文"]},
        at=clock.now(), **recipient,  # type: ignore[arg-type]
    )  # fmt: skip
    return doc.number


def test_numbers_run_per_prefix_and_year(db: Session, world: World, clock: Clock) -> None:
    first = issue(db, clock, recipient_org_id=world.provider.org_id)
    second = issue(db, clock, recipient_subject_id=world.subject.subject_id)
    db.commit()
    assert (first, second) == ("GZTZ-2026-000001", "GZTZ-2026-000002")
    later = service.issue_document(
        db, kind=DocumentKind.CORRECTION_NOTICE, title="t", body={},
        at=clock.now() + timedelta(days=100), recipient_office=True,
    )  # fmt: skip
    assert later.number == "GZTZ-2027-000001"
    assert looks_like_number(later.number)
    assert document_number("YYJD", 2026, 12) == "YYJD-2026-000012"


def test_a_rolled_back_use_case_gives_its_number_back(
    db: Session, world: World, clock: Clock
) -> None:
    issue(db, clock, recipient_office=True)
    db.rollback()
    assert issue(db, clock, recipient_office=True) == "GZTZ-2026-000001"


def test_inbox_shows_each_recipient_its_own(db: Session, world: World, clock: Clock) -> None:
    to_org = issue(db, clock, recipient_org_id=world.provider.org_id)
    to_subject = issue(db, clock, recipient_subject_id=world.subject.subject_id)
    to_office = issue(db, clock, recipient_office=True)
    db.commit()
    assert [d.number for d in service.inbox(db, actor=world.provider).items] == [to_org]
    assert [d.number for d in service.inbox(db, actor=world.subject).items] == [to_subject]
    assert [d.number for d in service.inbox(db, actor=world.office).items] == [to_office]
    assert service.inbox(db, actor=world.other_provider).items == []
    with pytest.raises(NotFound):
        service.get_document(db, actor=world.subject, number=to_org, at=clock.now())
    with pytest.raises(NotAuthenticated):
        service.inbox(db, actor=ANONYMOUS)
    name, pdf = service.get_document_pdf(db, actor=world.subject, number=to_subject)
    assert name == f"{to_subject}.pdf"
    assert pdf.startswith(b"%PDF")


def test_a_document_has_exactly_one_recipient(db: Session, world: World, clock: Clock) -> None:
    with pytest.raises(InvalidInput):
        issue(db, clock)
    with pytest.raises(InvalidInput):
        issue(db, clock, recipient_office=True, recipient_org_id=world.provider.org_id)


def test_concurrent_issuing_has_no_gaps_and_no_duplicates(
    fresh_db_url: str, backend: str, clock: Clock
) -> None:
    engine = make_engine(fresh_db_url)
    Base.metadata.create_all(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(5):
            with factory() as session:
                try:
                    number = issue(session, clock, recipient_office=True)
                    session.commit()
                except BaseException as exc:
                    session.rollback()
                    with lock:
                        errors.append(exc)
                    continue
                with lock:
                    numbers.append(number)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    engine.dispose()
    if backend == "sqlite":
        # SQLite serialises writers; a busy writer may be refused, never misnumbered.
        numbers_ok = sorted(numbers) == [f"GZTZ-2026-{n:06d}" for n in range(1, len(numbers) + 1)]
        assert numbers_ok
        return
    assert errors == []
    assert sorted(numbers) == [f"GZTZ-2026-{n:06d}" for n in range(1, 21)]


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR])
def test_administrators_never_read_the_offices_documents(
    db: Session, world: World, clock: Clock, role: Role
) -> None:
    """Separation of duties (PLT-1, issue 12 item 7): an administrator belongs to the credit
    office's organisation but neither reads its notices nor, by opening one, marks it read;
    the office's staff member, its recipient, does."""
    number = issue(db, clock, recipient_org_id=world.office.org_id)
    db.commit()
    admin = actor_of(
        make_user(db, at=clock.now(), role=role, username=f"admin_{role.value}",
                  org_code=world.office.org_code)
    )  # fmt: skip
    assert admin.org_id == world.office.org_id
    with pytest.raises(PermissionDenied):
        service.inbox(db, actor=admin)
    with pytest.raises(PermissionDenied):
        service.get_document(db, actor=admin, number=number, at=clock.now())
    with pytest.raises(PermissionDenied):
        service.get_document_pdf(db, actor=admin, number=number)
    assert service.inbox(db, actor=world.office).unread == 1
    read = service.get_document(db, actor=world.office, number=number, at=clock.now())
    assert read.read_at is not None
    assert service.inbox(db, actor=world.office).unread == 0
