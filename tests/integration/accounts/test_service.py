"""Organisations and accounts: validation, separation of duties, audit (PLT-1)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories.accounts import PASSWORD, make_org, make_user
from xinyong.accounts import service as accounts
from xinyong.accounts.models import Organisation, UserAccount
from xinyong.accounts.passwords import verify_password
from xinyong.audit.models import AuditEntry
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.errors import Conflict, InvalidInput, NotAuthenticated, PermissionDenied

USCC = "91520102MA6H12345E"


def entries(db: Session, tag: str) -> list[AuditEntry]:
    return list(db.scalars(select(AuditEntry).where(AuditEntry.tag == tag)))


def test_organisation_tree_with_regions(db: Session, clock: Clock) -> None:
    at = clock.now()
    province = make_org(db, at=at, code="GZ-SCO", kind="office", region="520000")
    city = make_org(db, at=at, code="GY-MR", kind="provider", region="520100", parent_code="GZ-SCO")
    county = make_org(db, at=at, code="GY-MR-1", kind="provider", region=None, parent_code="GY-MR")
    assert city.parent_id == province.id
    assert county.region == "520100"  # inherited from its parent
    (entry,) = entries(db, "accounts:organisation:create")[-1:]
    assert entry.object_id == str(county.id)
    assert entry.after is not None
    assert entry.after["parent_code"] == "GY-MR"


def test_child_region_must_lie_inside_the_parent(db: Session, clock: Clock) -> None:
    make_org(db, at=clock.now(), code="GY", kind="office", region="520100")
    with pytest.raises(InvalidInput) as err:
        make_org(db, at=clock.now(), code="ZY", kind="office", region="520300", parent_code="GY")
    assert err.value.details[0]["field"] == "region"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "ministry"}, "kind"),
        ({"region": "52010"}, "region"),
        ({"region": "990000"}, "region"),
        ({"code": "has space"}, "code"),
        ({"name": "  "}, "name"),
    ],
)
def test_bad_organisation_input(
    db: Session, clock: Clock, kwargs: dict[str, str], field: str
) -> None:
    args = {"code": "X1", "name": "某局", "kind": "provider", "region": "520000"} | kwargs
    with pytest.raises(InvalidInput) as err:
        accounts.add_organisation(db, actor=accounts.OPERATOR, at=clock.now(), **args)
    assert [d["field"] for d in err.value.details] == [field]
    assert db.scalar(select(Organisation).where(Organisation.code == args["code"])) is None


def test_duplicate_and_unknown_organisations(db: Session, clock: Clock) -> None:
    make_org(db, at=clock.now(), code="GZ-SCO")
    with pytest.raises(Conflict, match="GZ-SCO"):
        make_org(db, at=clock.now(), code="GZ-SCO")
    with pytest.raises(InvalidInput, match="NOPE") as err:
        make_org(db, at=clock.now(), code="X", parent_code="NOPE")
    assert err.value.code == "unknown_organisation"


def test_only_a_sysadmin_manages_organisations(db: Session, clock: Clock) -> None:
    for role in (Role.SECADMIN, Role.AUDITOR, Role.CREDIT_OFFICE):
        with pytest.raises(PermissionDenied):
            accounts.add_organisation(
                db,
                actor=Actor(role=role, user_id=9),
                code="X",
                name="X",
                kind="office",
                at=clock.now(),
            )
    with pytest.raises(NotAuthenticated):
        accounts.add_organisation(
            db, actor=Actor(role=Role.PUBLIC), code="X", name="X", kind="office", at=clock.now()
        )


def test_add_user_hashes_the_password_and_never_audits_it(db: Session, clock: Clock) -> None:
    user = make_user(db, at=clock.now(), role="inquirer", username="Li.Si", purposes=["licensing"])
    assert user.username == "li.si"
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, PASSWORD)
    (entry,) = entries(db, "accounts:user:create")
    dumped = json.dumps([entry.before, entry.after], ensure_ascii=False)
    assert PASSWORD not in dumped
    assert "argon2" not in dumped
    assert entry.after is not None
    assert entry.after["purposes"] == ["licensing"]


def test_inquirer_authority_reaches_the_actor(db: Session, clock: Clock) -> None:
    limited = make_user(
        db,
        at=clock.now(),
        role="inquirer",
        username="limited",
        purposes=["licensing", "inspection"],
        items=["admin_penalty"],
    )
    actor = accounts.actor_for(limited)
    assert actor.purposes == {"licensing", "inspection"}
    assert actor.items == {"admin_penalty"}
    assert actor.org_code == "ORG-organ"
    everything = make_user(db, at=clock.now(), role="inquirer", username="all")
    assert accounts.actor_for(everything).purposes is None  # no rows: every published purpose


def test_weak_password_names_what_is_missing(db: Session, clock: Clock) -> None:
    with pytest.raises(InvalidInput) as err:
        make_user(db, at=clock.now(), role="provider", password="short")
    assert err.value.code == "weak_password"
    assert "12" in err.value.message or "12" in str(err.value.details)
    assert db.scalar(select(UserAccount)) is None


@pytest.mark.parametrize(
    ("role", "org_kind"),
    [
        ("provider", "office"),
        ("inquirer", "provider"),
        ("sysadmin", "provider"),
        ("auditor", "organ"),
    ],
)
def test_role_must_fit_the_organisation(
    db: Session, clock: Clock, role: str, org_kind: str
) -> None:
    make_org(db, at=clock.now(), code="U1", kind=org_kind)
    with pytest.raises(InvalidInput) as err:
        make_user(db, at=clock.now(), role=role, org_code="U1")
    assert err.value.details[0]["field"] == "org"


@pytest.mark.parametrize("role", ["public", "sysadmin,auditor", "root"])
def test_one_real_role_per_account(db: Session, clock: Clock, role: str) -> None:
    make_org(db, at=clock.now(), code="U1", kind="office")
    with pytest.raises(InvalidInput) as err:
        accounts.add_user(
            db,
            actor=accounts.OPERATOR,
            username="x1",
            password=PASSWORD,
            org_code="U1",
            role=role,
            at=clock.now(),
        )
    assert err.value.details[0]["field"] == "role"


def test_purposes_must_be_from_the_list_and_only_for_inquirers(db: Session, clock: Clock) -> None:
    with pytest.raises(InvalidInput, match="curiosity"):
        make_user(db, at=clock.now(), role="inquirer", purposes=["curiosity"])
    with pytest.raises(InvalidInput) as err:
        make_user(db, at=clock.now(), role="provider", purposes=["licensing"])
    assert err.value.details[0]["field"] == "purpose"


def test_duplicate_username_is_a_conflict(db: Session, clock: Clock) -> None:
    make_user(db, at=clock.now(), role="provider", username="wang")
    with pytest.raises(Conflict) as err:
        make_user(db, at=clock.now(), role="provider", username="WANG")
    assert err.value.code == "username_taken"


def test_subject_accounts_bind_a_valid_subject(db: Session, clock: Clock) -> None:
    user = make_user(db, at=clock.now(), role="subject", subject_code=USCC.lower())
    assert user.subject_code == USCC
    assert user.org_id is None
    assert accounts.actor_for(user).extra["subject_code"] == USCC
    with pytest.raises(InvalidInput) as err:
        make_user(db, at=clock.now(), role="subject", username="s2", subject_code=USCC[:-1] + "0")
    assert err.value.details[0]["field"] == "subject"
    with pytest.raises(InvalidInput):
        make_user(db, at=clock.now(), role="subject", username="s3")
    with pytest.raises(InvalidInput):
        make_user(db, at=clock.now(), role="provider", username="p3", subject_code=USCC)


def test_lists_for_the_operator(db: Session, clock: Clock) -> None:
    make_user(db, at=clock.now(), role="auditor", username="shen")
    assert [u.username for u in accounts.list_users(db, actor=accounts.OPERATOR)] == ["shen"]
    assert [o.code for o in accounts.list_organisations(db, actor=accounts.OPERATOR)] == [
        "ORG-office"
    ]
    with pytest.raises(PermissionDenied):
        accounts.list_users(db, actor=Actor(role=Role.AUDITOR, user_id=1))


def test_the_demo_password_and_common_ones_are_refused_for_new_accounts(
    db: Session, clock: Clock
) -> None:
    from xinyong.demo.data import DEMO_PASSWORD

    for password in (DEMO_PASSWORD, "Admin@123456"):
        with pytest.raises(InvalidInput) as err:
            make_user(db, at=clock.now(), role="provider", username="p1", password=password)
        assert err.value.code == "weak_password"
        assert "common" in err.value.message or "common" in str(err.value.details)
    assert db.scalar(select(UserAccount)) is None


def test_only_the_demo_loader_may_keep_the_demo_password(db: Session, clock: Clock) -> None:
    from xinyong.demo.data import DEMO_PASSWORD

    org = make_org(db, at=clock.now(), code="ORG-P", kind="provider")
    user = accounts.add_user(
        db, actor=accounts.OPERATOR, username="demo-provider", password=DEMO_PASSWORD,
        org_code=org.code, role="provider", at=clock.now(), demo_account=True,
    )  # fmt: skip
    assert verify_password(user.password_hash, DEMO_PASSWORD)
