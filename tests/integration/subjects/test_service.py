"""SUB-1…3 with storage: registration is validated and idempotent, renames keep the former
name, representatives are linked (Art. 27), the USCC allow-list is honoured."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.audit.models import AuditEntry
from xinyong.core.actor import ANONYMOUS, Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.errors import Conflict, InvalidInput, NotAuthenticated, PermissionDenied
from xinyong.core.identifiers import IdentifierKind
from xinyong.subjects import service
from xinyong.subjects.models import RepresentativeRole, SubjectType

OFFICE = Actor(role=Role.CREDIT_OFFICE, user_id=1, username="office", display_name="省信用办")
PROVIDER = Actor(role=Role.PROVIDER, user_id=2, username="dept", display_name="市场监管局")
USCC = "91520000214434146R"
RESIDENT = "11010519491231002X"
COMPANY = "贵州茅台酒股份有限公司"


def _tags(db: Session) -> list[str]:
    return list(db.scalars(select(AuditEntry.tag).order_by(AuditEntry.seq)))


def _company(db: Session, clock: Clock, name: str = COMPANY, code: str = USCC):  # type: ignore[no-untyped-def]
    return service.register_subject(
        db, actor=PROVIDER, type="legal_person", id_value=code, name=name, at=clock.now()
    )


def test_register_normalises_and_audits(db: Session, clock: Clock) -> None:
    subject = _company(db, clock, code=" 91520000214434146r ")
    assert subject.code == USCC
    assert subject.id_kind == IdentifierKind.USCC
    assert subject.id_verified
    assert subject.type == SubjectType.LEGAL_PERSON
    assert service.find_by_code(db, "９１５２００００２１４４３４１４６Ｒ") is subject
    entry = db.scalars(select(AuditEntry).where(AuditEntry.tag == "subjects:subject:create")).one()
    assert entry.subject_id == subject.id
    assert entry.after is not None
    assert entry.after["code"] == USCC


def test_same_code_again_is_the_same_subject(db: Session, clock: Clock) -> None:
    first = _company(db, clock)
    again = _company(db, clock, name=f" {COMPANY} ")
    assert again.id == first.id
    assert _tags(db) == ["subjects:subject:create"]


def test_new_name_renames_and_keeps_the_former_one(db: Session, clock: Clock) -> None:
    first = _company(db, clock, name="贵州茅台酒厂")
    renamed = _company(db, clock, name=COMPANY)
    assert renamed.id == first.id
    assert renamed.name == COMPANY
    former = service.former_names(db, first.id)
    assert [f.name for f in former] == ["贵州茅台酒厂"]
    assert former[0].valid_to_on == date(2026, 9, 30)
    # An old record may name the subject by its former name: no rename back.
    _company(db, clock, name="贵州茅台酒厂")
    assert service.get_subject(db, first.id).name == COMPANY
    assert _tags(db) == ["subjects:subject:create", "subjects:subject:rename"]
    # Searches find it by either name.
    assert [s.id for s in service.search_by_name(db, "茅台酒厂")] == [first.id]


def test_invalid_identifier_is_refused_with_the_reason(db: Session, clock: Clock) -> None:
    with pytest.raises(InvalidInput) as caught:
        _company(db, clock, code="91520000214434146A")
    assert caught.value.code == "invalid_identifier"
    assert "check character should be R" in caught.value.message
    assert caught.value.details[0]["field"] == "id"


def test_identifier_kind_must_fit_the_type(db: Session, clock: Clock) -> None:
    with pytest.raises(InvalidInput) as caught:
        service.register_subject(
            db,
            actor=PROVIDER,
            type="legal_person",
            id_value=RESIDENT,
            name="某公司",
            at=clock.now(),
            id_kind="resident_id",
        )
    assert caught.value.code == "identifier_kind_mismatch"
    with pytest.raises(InvalidInput, match="type"):
        service.register_subject(
            db, actor=PROVIDER, type="alien", id_value=USCC, name="x", at=clock.now()
        )


def test_person_expects_a_resident_number(db: Session, clock: Clock) -> None:
    person = service.register_subject(
        db, actor=PROVIDER, type="natural_person", id_value=RESIDENT, name="张三", at=clock.now()
    )
    assert person.id_kind == "resident_id"
    with pytest.raises(InvalidInput, match="birth date 1949-13-31"):
        service.register_subject(
            db,
            actor=PROVIDER,
            type="natural_person",
            id_value="11010519491331002X",
            name="李四",
            at=clock.now(),
        )


def test_passport_is_accepted_unverified(db: Session, clock: Clock) -> None:
    person = service.register_subject(
        db,
        actor=PROVIDER,
        type="natural_person",
        id_value=" e12345678 ",
        name="John Smith",
        at=clock.now(),
        id_kind="passport",
    )
    assert person.code == "E12345678"
    assert not person.id_verified


def test_same_code_with_another_type_conflicts(db: Session, clock: Clock) -> None:
    _company(db, clock)
    with pytest.raises(Conflict) as caught:
        service.register_subject(
            db, actor=PROVIDER, type="state_organ", id_value=USCC, name=COMPANY, at=clock.now()
        )
    assert caught.value.code == "subject_type_conflict"


def test_ensure_subject_does_not_commit(db: Session, clock: Clock) -> None:
    db.begin_nested()
    service.ensure_subject(
        db, actor=PROVIDER, type="legal_person", id_value=USCC, name=COMPANY, at=clock.now()
    )
    db.rollback()
    assert service.find_by_code(db, USCC) is None


def test_only_providers_and_the_office_register(db: Session, clock: Clock) -> None:
    inquirer = Actor(role=Role.INQUIRER, user_id=3, username="organ")
    with pytest.raises(PermissionDenied):
        service.register_subject(
            db, actor=inquirer, type="legal_person", id_value=USCC, name="x", at=clock.now()
        )
    with pytest.raises(NotAuthenticated):
        service.register_subject(
            db, actor=ANONYMOUS, type="legal_person", id_value=USCC, name="x", at=clock.now()
        )


def test_search_by_name_ignores_brackets_width_and_spaces(db: Session, clock: Clock) -> None:
    a = _company(db, clock, name="贵州某某（集团）有限公司")
    other = "91520000" + "000000001"
    from xinyong.core.identifiers import uscc_check_char

    b = _company(db, clock, name="遵义某某有限公司", code=other + uscc_check_char(other))
    assert [s.id for s in service.search_by_name(db, "某某 (集团)")] == [a.id]
    assert {s.id for s in service.search_by_name(db, "某某")} == {a.id, b.id}
    assert service.search_by_name(db, "   ") == []
    assert service.search_by_name(db, "%") == []
    assert len(service.search_by_name(db, "某某", limit=1)) == 1


def test_rename_subject_use_case(db: Session, clock: Clock) -> None:
    subject = _company(db, clock, name="旧名称有限公司")
    service.rename_subject(
        db,
        actor=OFFICE,
        subject_id=subject.id,
        name="新名称有限公司",
        at=clock.now(),
        reason="变更登记",
    )
    assert subject.name == "新名称有限公司"
    with pytest.raises(InvalidInput):
        service.rename_subject(
            db, actor=OFFICE, subject_id=subject.id, name="  ", at=clock.now(), reason="x"
        )


def test_representatives_are_linked_over_time(db: Session, clock: Clock) -> None:
    org = _company(db, clock)
    zhang = service.register_subject(
        db, actor=PROVIDER, type="natural_person", id_value=RESIDENT, name="张三", at=clock.now()
    )
    first17 = "52010219800101001"
    from xinyong.core.identifiers import resident_check_char

    li = service.register_subject(
        db,
        actor=PROVIDER,
        type="natural_person",
        id_value=first17 + resident_check_char(first17),
        name="李四",
        at=clock.now(),
    )
    role = RepresentativeRole.LEGAL_REPRESENTATIVE
    service.link_representative(
        db,
        actor=PROVIDER,
        organisation_id=org.id,
        person_id=zhang.id,
        role=role,
        valid_from_on=date(2020, 1, 1),
        at=clock.now(),
    )
    service.link_representative(
        db,
        actor=PROVIDER,
        organisation_id=org.id,
        person_id=li.id,
        role="legal_representative",
        valid_from_on=date(2025, 6, 1),
        at=clock.now(),
    )
    assert [r.person_id for r in service.representatives(db, org.id, on=date(2024, 1, 1))] == [
        zhang.id
    ]
    assert [r.person_id for r in service.representatives(db, org.id, on=date(2026, 1, 1))] == [
        li.id
    ]
    assert len(service.representatives(db, org.id)) == 2
    assert _tags(db).count("subjects:representative:link") == 2
    with pytest.raises(InvalidInput, match="natural person"):
        service.link_representative(
            db,
            actor=PROVIDER,
            organisation_id=org.id,
            person_id=org.id,
            role=role,
            valid_from_on=date(2026, 1, 1),
            at=clock.now(),
        )
    with pytest.raises(InvalidInput, match="organisation"):
        service.link_representative(
            db,
            actor=PROVIDER,
            organisation_id=zhang.id,
            person_id=li.id,
            role=role,
            valid_from_on=date(2026, 1, 1),
            at=clock.now(),
        )
    with pytest.raises(Conflict):
        service.link_representative(
            db,
            actor=PROVIDER,
            organisation_id=org.id,
            person_id=zhang.id,
            role=role,
            valid_from_on=date(2025, 1, 1),
            at=clock.now(),
        )


def test_allow_listed_pilot_code(db: Session, clock: Clock) -> None:
    pilot = USCC[:-1] + "A"
    assert not service.check_identifier(db, pilot).valid
    with pytest.raises(PermissionDenied):
        service.add_allowlisted_uscc(db, actor=PROVIDER, code=pilot, note="x", at=clock.now())
    with pytest.raises(InvalidInput, match="passes the check"):
        service.add_allowlisted_uscc(db, actor=OFFICE, code=USCC, note="x", at=clock.now())
    with pytest.raises(InvalidInput):
        service.add_allowlisted_uscc(db, actor=OFFICE, code="ABC", note="x", at=clock.now())
    service.add_allowlisted_uscc(
        db, actor=OFFICE, code=pilot.lower(), note="试点地区早期代码", at=clock.now()
    )
    result = service.check_identifier(db, pilot)
    assert result.valid
    assert result.kind is IdentifierKind.USCC
    subject = _company(db, clock, code=pilot)
    assert subject.id_verified
    assert "subjects:uscc_allowlist:add" in _tags(db)
    assert [e.code for e in service.allowlist(db)] == [pilot]


def test_blank_identifier_check_is_invalid_input(db: Session) -> None:
    with pytest.raises(InvalidInput):
        service.check_identifier(db, " \u3000 ")


def test_created_at_is_the_given_instant(db: Session, clock: Clock) -> None:
    subject = _company(db, clock)
    db.expire_all()
    reloaded = service.get_subject(db, subject.id)
    assert abs(reloaded.created_at - clock.now()) < timedelta(seconds=1)
