"""The change feed (COL-4; Art. 6): commit order, cursors, who sees what — both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from tests.conftest import FROZEN
from tests.factories.accounts import actor_of, make_user
from tests.integration.feed.helpers import deliver
from xinyong.core.actor import ANONYMOUS, Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.errors import InvalidInput, NotAuthenticated, PermissionDenied
from xinyong.feed import service
from xinyong.feed.rules import InvalidCursor, encode_cursor
from xinyong.feed.service import ChangeSpec, emit_changes


def test_pages_in_commit_order_with_a_cursor(
    db: Session, provider: Actor, office: Actor, clock: Clock
) -> None:
    first = deliver(db, provider, "101", clock.now())
    second = deliver(db, provider, "102", clock.now() + timedelta(minutes=1))

    page1 = service.list_changes(db, actor=office, after=None, at=FROZEN, limit=1)
    assert [c.record_id for c in page1.changes] == [first.id]
    assert page1.changes[0].kind == "delivered"
    assert page1.changes[0].item == "admin_penalty"
    assert page1.next == page1.changes[0].cursor

    page2 = service.list_changes(db, actor=office, after=page1.next, at=FROZEN, limit=1)
    assert [c.record_id for c in page2.changes] == [second.id]
    assert page2.changes[0].audit_seq > page1.changes[0].audit_seq

    page3 = service.list_changes(db, actor=office, after=page2.next, at=FROZEN, limit=1)
    assert page3.changes == []
    assert page3.next == page2.next  # nothing new: poll again with the same cursor


def test_ordered_by_audit_seq_not_by_insertion(db: Session, office: Actor, clock: Clock) -> None:
    """A change inserted later but committed earlier (smaller seq) comes first."""
    at = clock.now()
    spec = ChangeSpec(1, 1, "admin_penalty", 1, "delivered", None)
    emit_changes(db, audit_seq=20, at=at, changes=[spec])
    emit_changes(db, audit_seq=10, at=at, changes=[spec, ChangeSpec(2, 1, "x", 1, "amended", None)])
    page = service.list_changes(db, actor=office, after=None, at=FROZEN, limit=10)
    assert [(c.audit_seq, c.record_id) for c in page.changes] == [(10, 1), (10, 2), (20, 1)]
    rest = service.list_changes(db, actor=office, after=page.changes[0].cursor, at=FROZEN, limit=10)
    assert [(c.audit_seq, c.record_id) for c in rest.changes] == [(10, 2), (20, 1)]


@pytest.mark.parametrize("cursor", ["nonsense", "djE6YWJjOjE", encode_cursor(1, 2) + "!!", ""])
def test_a_bad_cursor_is_refused(db: Session, office: Actor, cursor: str) -> None:
    if cursor == "":
        assert service.list_changes(db, actor=office, after=cursor, at=FROZEN).changes == []
        return
    with pytest.raises(InvalidCursor) as err:
        service.list_changes(db, actor=office, after=cursor, at=FROZEN)
    assert err.value.code == "invalid_cursor"


def test_limit_is_bounded(db: Session, office: Actor) -> None:
    for limit in (0, 1001):
        with pytest.raises(InvalidInput):
            service.list_changes(db, actor=office, after=None, at=FROZEN, limit=limit)


def test_who_sees_which_change(
    db: Session, provider: Actor, other_provider: Actor, office: Actor, clock: Clock
) -> None:
    mine = deliver(db, provider, "201", clock.now())
    theirs = deliver(db, other_provider, "202", clock.now())
    emit_changes(
        db,
        audit_seq=10**6,
        at=clock.now(),
        changes=[ChangeSpec(999, mine.subject.id, "admin_licensing", 1, "delivered", None)],
    )

    def seen(actor: Actor) -> list[int]:
        return [
            c.record_id
            for c in service.list_changes(db, actor=actor, after=None, at=FROZEN).changes
        ]

    assert seen(office) == [mine.id, theirs.id, 999]
    assert seen(provider) == [mine.id]
    assert seen(other_provider) == [theirs.id]
    organ = actor_of(
        make_user(
            db, at=clock.now(), role=Role.INQUIRER, username="organ1", items=["admin_penalty"]
        )
    )
    assert seen(organ) == [mine.id, theirs.id]
    organ_all = actor_of(make_user(db, at=clock.now(), role=Role.INQUIRER, username="organ2"))
    assert seen(organ_all) == [mine.id, theirs.id, 999]

    with pytest.raises(NotAuthenticated):
        service.list_changes(db, actor=ANONYMOUS, after=None, at=FROZEN)
    subject_like = Actor(role=Role.INSTITUTION, user_id=5, org_id=1)
    with pytest.raises(PermissionDenied):
        service.list_changes(db, actor=subject_like, after=None, at=FROZEN)
