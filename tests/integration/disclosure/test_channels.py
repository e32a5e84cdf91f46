"""Which channel is served which record (DIS-1…5) on both databases, data delivered through
the records service; the clock is frozen at 2026-09-30."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from tests.factories.disclosure import deliver, penalty, resident_id, tax_fields, uscc
from xinyong.core.actor import ANONYMOUS, Actor, Role
from xinyong.core.clock import Clock
from xinyong.core.errors import PermissionDenied
from xinyong.disclosure import service
from xinyong.disclosure.models import RecordWindow
from xinyong.disclosure.rules import Channel
from xinyong.records import service as records
from xinyong.records.schemas import AmendmentCreate, WithdrawalCreate
from xinyong.subjects.service import find_by_code

COMPANY = "贵州渠道测试有限公司"


def sid(db: Session, code: str) -> int:
    subject = find_by_code(db, code)
    assert subject is not None
    return subject.id


def own(subject_id: int) -> Actor:
    return Actor(role=Role.SUBJECT, user_id=777, username="self", subject_id=subject_id)


def ids_by_channel(
    db: Session, clock: Clock, subject_id: int, actors: dict[Channel, Actor], **kw: object
) -> dict[Channel, set[int]]:
    seen: dict[Channel, set[int]] = {}
    for channel, actor in actors.items():
        rows = service.visible_records(
            db, channel=channel, subject_id=subject_id, actor=actor, at=clock.now(), **kw
        )  # type: ignore[arg-type]
        seen[channel] = {r.id for r in rows}
    return seen


@pytest.fixture
def actors(inquirer: Actor, institution: Actor, auditor: Actor) -> dict[Channel, Actor]:
    return {
        Channel.PUBLICITY: ANONYMOUS,
        Channel.GOVERNMENT: inquirer,
        Channel.AUTHORIZED: institution,
        Channel.AUDIT: auditor,
    }


def test_general_penalty_past_its_year_reaches_only_self_and_audit(
    db: Session, provider: Actor, clock: Clock, actors: dict[Channel, Actor]
) -> None:
    code = uscc(101)
    rid = penalty(db, provider, person=False, name=COMPANY, code=code,
                  decided_on=date(2025, 6, 1), severity="general", at=clock.now(),
                  doc="黔市监罚〔2025〕1号")  # fmt: skip
    subject_id = sid(db, code)
    actors = {**actors, Channel.SELF: own(subject_id)}
    seen = ids_by_channel(db, clock, subject_id, actors, items=["admin_penalty"])
    assert seen == {
        Channel.PUBLICITY: set(),
        Channel.GOVERNMENT: set(),
        Channel.AUTHORIZED: set(),
        Channel.AUDIT: {rid},
        Channel.SELF: {rid},
    }
    window = db.get(RecordWindow, rid)
    assert window is not None
    # Order 58 (decided before 2026-04-01): general class, at most 12 months.
    assert (window.rule_set, window.window_ends_on) == ("order58", date(2026, 6, 1))


def test_serious_penalty_inside_three_years_is_public(
    db: Session, provider: Actor, clock: Clock
) -> None:
    code = uscc(102)
    rid = penalty(db, provider, person=False, name=COMPANY, code=code,
                  decided_on=date(2024, 10, 8), severity="serious", at=clock.now(),
                  doc="黔市监罚〔2024〕2号")  # fmt: skip
    page = service.public_subject(db, code=code, at=clock.now())
    assert [r.id for r in page.records] == [rid]
    record = page.records[0]
    assert record.window_ends_on == date(2027, 10, 8)
    assert record.under_objection is False
    assert record.tab == "penalties"
    assert record.fields["CF_WSH"] == "黔市监罚〔2024〕2号"


def test_shared_item_reaches_government_never_publicity(
    db: Session, provider: Actor, clock: Clock, inquirer: Actor
) -> None:
    code = uscc(103)
    rid = deliver(db, provider, item="tax_arrears", severity="general",
                  fields=tax_fields(person=False, name=COMPANY, code=code, on=date(2026, 9, 1)),
                  decided_on=date(2026, 9, 1), at=clock.now(), source_id="TAX-1")  # fmt: skip
    subject_id = sid(db, code)
    assert service.public_subject(db, code=code, at=clock.now()).records == []
    gov = service.visible_records(
        db, channel=Channel.GOVERNMENT, subject_id=subject_id, actor=inquirer, at=clock.now()
    )
    assert [r.id for r in gov] == [rid]
    # Government-only fields stay inside the government channel, and are served there.
    assert gov[0].fields["QS_JE"] == "12.5"


def test_decision_before_april_2026_follows_order58(
    db: Session, provider: Actor, clock: Clock, inquirer: Actor
) -> None:
    """Minor class: Order 58 did not publish it at all (0 months); Order 36 allows 3 months."""
    code = uscc(104)
    old = penalty(db, provider, person=False, name=COMPANY, code=code,
                  decided_on=date(2026, 3, 31), severity="minor", at=clock.now(),
                  doc="黔市监罚〔2026〕3号")  # fmt: skip
    new = penalty(db, provider, person=False, name=COMPANY, code=code,
                  decided_on=date(2026, 9, 1), severity="minor", at=clock.now(),
                  doc="黔市监罚〔2026〕4号")  # fmt: skip
    windows = {w.record_id: w for w in db.scalars(select(RecordWindow))}
    assert windows[old].rule_set == "order58"
    assert windows[old].window_ends_on == date(2026, 3, 31)
    assert windows[new].rule_set == "order36"
    assert windows[new].window_ends_on == date(2026, 12, 1)
    gov = service.visible_records(
        db, channel=Channel.GOVERNMENT, subject_id=sid(db, code), actor=inquirer, at=clock.now()
    )
    assert [r.id for r in gov] == [new]
    # A minor record is not published on the publicity site, even inside its window.
    assert service.public_subject(db, code=code, at=clock.now()).records == []


def test_withdrawn_record_reaches_only_self_and_audit(
    db: Session, provider: Actor, clock: Clock, actors: dict[Channel, Actor]
) -> None:
    code = uscc(105)
    rid = penalty(db, provider, person=False, name=COMPANY, code=code,
                  decided_on=date(2026, 9, 1), severity="general", at=clock.now(),
                  doc="黔市监罚〔2026〕5号")  # fmt: skip
    subject_id = sid(db, code)
    assert [r.id for r in service.public_subject(db, code=code, at=clock.now()).records] == [rid]
    records.withdraw_record(
        db, actor=provider, record_id=rid,
        data=WithdrawalCreate(reason="处罚决定被撤销", basis="复议决定书"), at=clock.now(),
    )  # fmt: skip
    seen = ids_by_channel(
        db, clock, subject_id, {**actors, Channel.SELF: own(subject_id)}, items=["admin_penalty"]
    )
    assert {c for c, found in seen.items() if found} == {Channel.SELF, Channel.AUDIT}


def test_a_stale_or_missing_window_is_computed_at_query_time(
    db: Session, provider: Actor, clock: Clock
) -> None:
    code = uscc(106)
    rid = penalty(db, provider, person=False, name=COMPANY, code=code,
                  decided_on=date(2026, 9, 1), severity="general", at=clock.now(),
                  doc="黔市监罚〔2026〕6号", store_window=False)  # fmt: skip
    # Records store the window on delivery; drop it (a derived row) to show that a missing
    # window is computed at query time rather than treated as "not served".
    db.execute(delete(RecordWindow).where(RecordWindow.record_id == rid))
    db.expire_all()
    assert db.get(RecordWindow, rid) is None
    assert len(service.public_subject(db, code=code, at=clock.now()).records) == 1
    service.compute_and_store_windows(db, [rid], at=clock.now())
    # The provider corrects the decision date back to 2024: the stored window (version 1)
    # no longer applies, and the record is outside its one-year window.
    records.amend_record(
        db, actor=provider, record_id=rid,
        data=AmendmentCreate(fields={"CF_JDRQ": "2024-09-01"}, decided_on=date(2024, 9, 1),
                             reason="决定日期录入错误"),
        at=clock.now(),
    )  # fmt: skip
    assert service.public_subject(db, code=code, at=clock.now()).records == []
    # A window stored for an older version is not trusted, however wide: version 1's back.
    db.execute(
        update(RecordWindow)
        .where(RecordWindow.record_id == rid)
        .values(version=1, window_ends_on=date(2027, 9, 1), publishable=True)
    )
    assert service.public_subject(db, code=code, at=clock.now()).records == []


def test_person_is_masked_and_private_fields_dropped_in_publicity(
    db: Session, provider: Actor, clock: Clock, inquirer: Actor
) -> None:
    pid = resident_id(11)
    penalty(db, provider, person=True, name="欧阳明华", code=pid,
            decided_on=date(2026, 8, 1), severity="general", at=clock.now(),
            doc="黔市监罚〔2026〕7号")  # fmt: skip
    page = service.public_subject(db, code=pid, at=clock.now())
    assert page.subject.name == "欧阳某"
    assert page.subject.code == pid[:6] + "*" * 11 + pid[-1]
    fields = page.records[0].fields
    assert "XDR_ZJHM" not in fields
    assert "XDR_ZJLX" not in fields
    assert fields["XDR_MC"] == "欧阳某"
    assert "欧阳明华" not in page.model_dump_json()
    gov = service.visible_records(
        db, channel=Channel.GOVERNMENT, subject_id=sid(db, pid), actor=inquirer, at=clock.now()
    )
    assert gov[0].fields["XDR_ZJHM"] == pid  # privacy fields may reach the government


def test_negative_record_without_decision_date_is_not_served_beyond_self(
    db: Session, provider: Actor, clock: Clock, inquirer: Actor
) -> None:
    """Its window cannot be placed in time: it is treated as closed, not as open forever."""
    code = uscc(108)
    rid = deliver(db, provider, item="tax_arrears", severity="general",
                  fields=tax_fields(person=False, name=COMPANY, code=code, on=date(2026, 9, 1)),
                  at=clock.now(), source_id="TAX-2")  # fmt: skip
    subject_id = sid(db, code)
    gov = service.visible_records(
        db, channel=Channel.GOVERNMENT, subject_id=subject_id, actor=inquirer, at=clock.now()
    )
    assert gov == []
    mine = service.visible_records(
        db, channel=Channel.SELF, subject_id=subject_id, actor=own(subject_id), at=clock.now()
    )
    assert [r.id for r in mine] == [rid]


def test_channels_need_the_right_actor(db: Session, provider: Actor, clock: Clock) -> None:
    code = uscc(107)
    penalty(db, provider, person=False, name=COMPANY, code=code,
            decided_on=date(2026, 9, 1), severity="general", at=clock.now(),
            doc="黔市监罚〔2026〕8号")  # fmt: skip
    subject_id = sid(db, code)
    for channel in (Channel.GOVERNMENT, Channel.AUTHORIZED, Channel.SELF, Channel.AUDIT):
        with pytest.raises(PermissionDenied):
            service.visible_records(
                db, channel=channel, subject_id=subject_id, actor=provider, at=clock.now()
            )
    with pytest.raises(PermissionDenied):
        service.visible_records(
            db, channel=Channel.SELF, subject_id=subject_id, actor=own(subject_id + 1),
            at=clock.now(),
        )  # fmt: skip
