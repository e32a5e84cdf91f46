"""The worker's feed passes (``bootstrap.FEED_PASSES``): one call serves the repair notices and the
watchers of every change delivered since the last run, and a second run serves nothing again."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests.factories.accounts import actor_of, make_org, make_user
from tests.factories.repair import make_repair_world
from xinyong.bootstrap import FEED_PASSES, run_feed_passes
from xinyong.core.actor import Role
from xinyong.core.clock import Clock
from xinyong.watches.service import add_watch


def test_one_call_runs_every_pass_once(db: Session, clock: Clock) -> None:
    at = clock.now()
    # The watch first: the world's deliveries then change a watched subject.
    make_org(db, at=at, code="GY-PASS", kind="organ", name="贵阳市示例局")
    watcher = actor_of(
        make_user(db, at=at, role=Role.INQUIRER, username="w_pass", org_code="GY-PASS")
    )
    world = make_repair_world(db, at=at, seq=781)
    add_watch(db, actor=watcher, subject_code=world.code, at=at, limit=10)
    db.commit()
    assert [name for name, _ in FEED_PASSES] == ["repair_notices", "watches"]
    first = run_feed_passes(db, at=at)
    db.commit()
    assert set(first) == {"repair_notices", "watches"}
    assert first["repair_notices"] >= 1
    assert first["watches"] >= 1
    assert run_feed_passes(db, at=at) == {"repair_notices": 0, "watches": 0}
