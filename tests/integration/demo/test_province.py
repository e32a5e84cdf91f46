"""The demo province (issue 14 item 8): enough data that every page shows something real, the
same every time ``xinyong demo load`` runs on the same clock, through the services."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import FROZEN, create_database, drop_database
from xinyong.core.identifiers import check_resident_id, check_uscc
from xinyong.db.base import Base
from xinyong.db.registry import load_all_models
from xinyong.db.session import make_engine
from xinyong.demo.load import load_demo
from xinyong.demo.province import PREFECTURES, SEED, subjects
from xinyong.lists.models import ListProcedure, RedListEntry
from xinyong.measures.models import Commitment
from xinyong.objections.models import Objection
from xinyong.records.models import Record
from xinyong.repair.models import RepairApplication
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.slow


def _digest(db: Session) -> tuple[dict[str, int], str]:
    """Counts of what the pages show, and a digest of its content (ids and times aside)."""
    h = hashlib.sha256()
    for s in db.scalars(select(Subject).order_by(Subject.code)):
        h.update(f"S|{s.type}|{s.code}|{s.name}\n".encode())
    records = db.execute(
        select(Record.source_key, Record.item_code, Record.severity, Record.status)
        .order_by(Record.item_code, Record.source_key)
    ).all()  # fmt: skip
    for row in records:
        h.update(("R|" + "|".join(str(v) for v in row) + "\n").encode())
    objections = sorted(f"{o.status}:{o.outcome}" for o in db.scalars(select(Objection)))
    repairs = sorted(str(r.status) for r in db.scalars(select(RepairApplication)))
    procedures = sorted(str(p.state) for p in db.scalars(select(ListProcedure)))
    h.update(repr((objections, repairs, procedures)).encode())
    counts = {
        "subjects": db.scalar(select(func.count()).select_from(Subject)) or 0,
        "records": len(records),
        "objections": len(objections),
        "repairs": len(repairs),
        "procedures": len(procedures),
        "red_list": db.scalar(select(func.count()).select_from(RedListEntry)) or 0,
        "commitments": db.scalar(select(func.count()).select_from(Commitment)) or 0,
    }
    return counts, h.hexdigest()


def _load(url: str) -> tuple[dict[str, int], str, Session]:
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    session = Session(engine, expire_on_commit=False)
    result = load_demo(session, at=FROZEN)
    session.commit()
    assert result.province.rejected == []
    counts, digest = _digest(session)
    return counts, digest, session


def test_the_province_is_the_same_every_time_and_meets_the_thresholds(
    backend: str, fresh_db_url: str, tmp_path: Path
) -> None:
    load_all_models()
    counts, digest, session = _load(fresh_db_url)
    try:
        # Loading again changes nothing.
        load_demo(session, at=FROZEN)
        session.commit()
        assert _digest(session) == (counts, digest)

        assert counts["subjects"] >= 300
        assert counts["records"] >= 3000
        assert counts["objections"] >= 4
        assert counts["repairs"] >= 3
        assert counts["procedures"] >= 5
        assert counts["red_list"] >= 5
        assert counts["commitments"] >= 3

        items = {r for (r,) in session.execute(select(Record.item_code).distinct())}
        assert items >= {"admin_penalty", "judgment_default", "serious_dishonesty",
                         "registration_basic", "government_dishonesty", "red_list",
                         "credit_commitment"}  # fmt: skip
        severities = {str(s) for (s,) in session.execute(select(Record.severity).distinct())}
        assert {"minor", "general", "serious"} <= severities
        objections = {str(o.status) for o in session.scalars(select(Objection))}
        assert objections >= {"received", "assistance", "decided"}
        outcomes = {str(o.outcome) for o in session.scalars(select(Objection))}
        assert {"upheld", "rejected"} <= outcomes
        repairs = {str(r.status) for r in session.scalars(select(RepairApplication))}
        assert repairs == {"received", "repaired", "refused"}
        states = {str(p.state) for p in session.scalars(select(ListProcedure))}
        assert states >= {"proposed", "statement_period", "decided", "served", "published"}
    finally:
        session.close()
        session.get_bind().dispose()  # type: ignore[union-attr]

    # Another empty database of the same backend gets exactly the same province.
    other = create_database(backend, tmp_path)
    try:
        again, again_digest, session2 = _load(other)
        session2.close()
        session2.get_bind().dispose()  # type: ignore[union-attr]
        assert (again, again_digest) == (counts, digest)
    finally:
        drop_database(other)


def test_the_subjects_cover_every_kind_and_prefecture_with_valid_identifiers() -> None:
    import random

    people = subjects(random.Random(SEED), today=FROZEN.date())
    assert len(people) >= 300
    kinds = Counter(s.kind for s in people)
    assert set(kinds) == {"legal_person", "unincorporated_org", "individual_business",
                          "natural_person"}  # fmt: skip
    assert {s.prefecture for s in people} == {p[0] for p in PREFECTURES}
    for s in people:
        if s.kind == "natural_person":
            assert check_resident_id(s.code, today=FROZEN.date()).valid, s
        else:
            assert check_uscc(s.code).valid, s
            assert s.code[2:4] == "52"  # a Guizhou region code
        assert s.region.startswith("52")
    assert len({s.code for s in people}) == len(people)
