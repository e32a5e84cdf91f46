"""The publication store (issue 15 item 1) on both databases: every subject's public document
equals what the disclosure policy computes from the core; nothing non-public is in the store;
publishing is idempotent, incremental, resumable, and applies the day's expiring windows."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from tests.factories.disclosure import penalty
from tests.integration.publication.conftest import (
    COMPANY,
    ENDING,
    EXPIRED_PERSON,
    PERSON,
    REPRESENTATIVE_ID,
    TAX_OFFICE,
    TAXED,
)
from xinyong.accounts.models import UserAccount as User
from xinyong.audit.service import make_checkpoint
from xinyong.core.actor import Actor
from xinyong.core.clock import PLATFORM_ZONE, Clock
from xinyong.core.config import Settings
from xinyong.core.errors import NotFound
from xinyong.core.redaction import resident_ids_in
from xinyong.disclosure import service as disclosure
from xinyong.publication import publish as publish_module
from xinyong.publication import service as public
from xinyong.publication.documents import to_json
from xinyong.publication.models import PublicBase, PubSubject
from xinyong.publication.publish import publish
from xinyong.subjects.models import Subject

Factory = sessionmaker[Session]


def _policy(db: Session, at: datetime) -> dict[str, Any]:
    """What the disclosure policy serves the public for every core subject (None: 404)."""
    out: dict[str, Any] = {}
    for subject in db.scalars(select(Subject)):
        try:
            out[subject.code] = json.loads(
                to_json(disclosure.public_subject(db, code=subject.code, at=at))
            )
        except NotFound:
            out[subject.code] = None
    return out


def _served(factory: Factory, codes: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with factory() as s:
        for code in codes:
            try:
                out[code] = json.loads(public.public_subject_json(s, code=code))
            except NotFound:
                out[code] = None
    return out


def _dump(engine: Engine, *, skip: frozenset[str] = frozenset()) -> str:
    """Every value of every store table but ``skip``, as text (for scans and idempotence)."""
    parts: list[str] = []
    with engine.connect() as conn:
        for table in PublicBase.metadata.sorted_tables:
            if table.name in skip:
                continue
            cols = [c for c in table.columns if c.name not in ("published_at", "generated_at")]
            for row in conn.execute(select(*cols).order_by(*table.primary_key.columns)):
                parts.append(f"{table.name}|" + "|".join(str(v) for v in row))
    return "\n".join(parts)


def _core_factory(db: Session) -> Factory:
    return sessionmaker(bind=db.get_bind(), join_transaction_mode="create_savepoint")


def test_every_document_equals_the_policy(
    core: Session, public_factory: Factory, clock: Clock
) -> None:
    summary = publish(_core_factory(core), public_factory, clock)
    assert summary.rebuilt
    expected = _policy(core, clock.now())
    assert _served(public_factory, list(expected)) == expected
    assert expected[PERSON[1]] is not None
    assert expected[EXPIRED_PERSON[1]] is None
    assert expected[TAXED[1]]["records"] == []  # a shared item: never public


def test_store_holds_nothing_non_public(
    core: Session, public_factory: Factory, store_engine: Engine, clock: Clock
) -> None:
    publish(_core_factory(core), public_factory, clock)
    dump = _dump(store_engine)
    # The published catalogue names every item and field, non-public ones too (its schema is
    # public, Art. 12): field and item names are looked for in the data, not in it.
    data = _dump(store_engine, skip=frozenset({"pub_catalogue"}))
    assert PERSON[0][:2] + "某" in dump  # the person is there, masked
    # No full identity number anywhere (subject codes, fields, free text, keys).
    assert resident_ids_in(dump) == set()
    for code in (PERSON[1], EXPIRED_PERSON[1], REPRESENTATIVE_ID):
        assert code not in dump
    # No non-public field (government / privacy classes) and no non-public item.
    assert "护照号" not in data
    assert "FR_ZJHM" not in data
    assert "XDR_ZJHM" not in data
    assert TAX_OFFICE not in dump
    assert "tax_arrears" not in data
    assert "tax_arrears" in dump  # the catalogue lists the item itself
    # No account: no user name, no password hash, no table of accounts.
    for user in core.scalars(select(User)):
        assert user.username not in dump
        assert user.password_hash not in dump
    assert not re.search(r"\$argon2|\$2[aby]\$|pbkdf2", dump)
    assert {t.name for t in PublicBase.metadata.sorted_tables} == {
        "pub_state", "pub_subject", "pub_name_gram", "pub_list", "pub_open_data", "pub_record",
        "pub_report", "pub_catalogue", "pub_checkpoint",
    }  # fmt: skip


def test_publishing_twice_changes_nothing(
    core: Session, public_factory: Factory, store_engine: Engine, clock: Clock, settings: Settings
) -> None:
    make_checkpoint(core, at=clock.now(), settings=settings)
    core.flush()
    publish(_core_factory(core), public_factory, clock, settings=settings)
    before = _dump(store_engine)
    assert "pub_catalogue|admin_penalty" in before
    assert "pub_checkpoint|1|" in before
    again = publish(_core_factory(core), public_factory, clock, settings=settings)
    assert again.subjects_changed == 0
    assert again.units == []
    rebuilt = publish(_core_factory(core), public_factory, clock, rebuild=True, settings=settings)
    assert rebuilt.subjects_changed == 0
    assert rebuilt.catalogue_changed == 0
    assert _dump(store_engine) == before


def test_a_new_record_is_published_from_the_change_feed(
    core: Session, public_factory: Factory, clock: Clock, provider: Actor
) -> None:
    publish(_core_factory(core), public_factory, clock)
    name, code = COMPANY
    penalty(core, provider, person=False, name=name, code=code, decided_on=date(2026, 9, 1),
            severity="serious", at=clock.now(), doc="黔公示罚〔2026〕9号")  # fmt: skip
    summary = publish(_core_factory(core), public_factory, clock)
    assert summary.subjects_changed == 1
    assert not summary.rebuilt
    served = _served(public_factory, [code])[code]
    assert "黔公示罚〔2026〕9号" in {r["document_no"] for r in served["records"]}
    assert served == _policy(core, clock.now())[code]


def test_windows_ending_at_midnight_leave_the_next_day_without_any_change(
    core: Session, public_factory: Factory, clock: Clock
) -> None:
    publish(_core_factory(core), public_factory, clock)
    code = ENDING[1]
    records = _served(public_factory, [code])[code]["records"]
    assert len(records) == 1
    last_day = date.fromisoformat(records[0]["window_ends_on"])
    next_day = Clock(datetime.combine(last_day + timedelta(days=1), datetime.min.time(),
                                      tzinfo=PLATFORM_ZONE) + timedelta(seconds=1))  # fmt: skip
    summary = publish(_core_factory(core), public_factory, next_day)
    assert any(u.startswith("day:") for u in summary.units)
    assert _served(public_factory, [code])[code]["records"] == []
    expected = _policy(core, next_day.now())
    assert _served(public_factory, list(expected)) == expected


def test_an_interrupted_rebuild_resumes(
    core: Session, public_factory: Factory, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(publish_module, "CHUNK", 1)
    real = publish_module._publish_subjects
    calls = {"n": 0}

    def failing(*args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("power cut")
        real(*args, **kwargs)

    monkeypatch.setattr(publish_module, "_publish_subjects", failing)
    with pytest.raises(RuntimeError):
        publish(_core_factory(core), public_factory, clock)
    with public_factory() as s:
        done = s.scalar(select(text("count(*)")).select_from(PubSubject))
    assert done is not None
    assert 1 <= done <= 2
    monkeypatch.setattr(publish_module, "_publish_subjects", real)
    resumed = publish(_core_factory(core), public_factory, clock)
    assert not resumed.rebuilt
    assert resumed.subjects_examined == len(_policy(core, clock.now())) - 2
    expected = _policy(core, clock.now())
    assert _served(public_factory, list(expected)) == expected
