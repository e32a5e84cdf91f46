"""Record versions and audit entries are insert-only (Art. 18, 44; COL-5): the code holds no
UPDATE or DELETE of them, and in PostgreSQL the application role cannot issue one."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session

from xinyong.audit.service import record_event
from xinyong.core.actor import SYSTEM
from xinyong.db.base import Base
from xinyong.db.privileges import grant_app_role
from xinyong.db.registry import load_all_models
from xinyong.db.session import make_engine
from xinyong.records.models import Record, RecordVersion
from xinyong.subjects.models import Subject

SRC = Path(__file__).parents[3] / "src"


def test_no_code_updates_or_deletes_a_record_version() -> None:
    pattern = re.compile(r"\b(update|delete)\(\s*(RecordVersion|AuditEntry)\b")
    orm_delete = re.compile(r"session\.delete\(\s*(version|v|entry)\b")
    offenders = []
    for path in SRC.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if "migrations" in path.parts:
            # A downgrade rebuilds an older schema's column from the rows kept (0017 puts
            # each entry's root back); only what an upgrade runs is held to insert-only.
            source = source.split("def downgrade(")[0]
        if pattern.search(source) or orm_delete.search(source):
            offenders.append(str(path.relative_to(SRC)))
        if re.search(r"(UPDATE|DELETE FROM)\s+\"?(record_version|audit_entry)", source) and (
            path.name != "privileges.py"
        ):
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == []


def _write_history(session: Session, at: datetime) -> None:
    """What delivery writes, through the real code: a subject, a record, its version, and an
    audit entry."""
    subject = Subject(
        type="legal_person", code="91520000214434146R", id_kind="uscc", id_verified=True,
        name="n", name_key="n", created_at=at,
    )  # fmt: skip
    session.add(subject)
    session.flush()
    record = Record(
        item_code="admin_penalty", subject_id=subject.id, source_key="sid:1", status="active",
        current_version=1, polarity="negative", publicity="public", channel="api",
        self_declared=False, received_at=at, received_by_name="x", content_hash="h",
    )  # fmt: skip
    session.add(record)
    session.flush()
    session.add(
        RecordVersion(
            record_id=record.id, subject_id=subject.id, version=1, fields={}, status="active",
            actor_name="x", at=at, content_hash="h",
        )
    )  # fmt: skip
    record_event(session, actor=SYSTEM, tag="records:record:create", at=at, object_id=record.id)


@pytest.mark.postgresql_only
def test_app_role_cannot_update_or_delete_history(backend: str, fresh_db_url: str) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite has no roles; the guarantee rests on the code (test above)")
    load_all_models()
    owner = make_engine(fresh_db_url)
    Base.metadata.create_all(owner)
    suffix = uuid.uuid4().hex[:8]
    group, login = f"xinyong_app_{suffix}", f"xinyong_srv_{suffix}"
    at = datetime(2026, 9, 30, 2, tzinfo=UTC)
    with owner.begin() as conn:
        grant_app_role(conn, group)
        grant_app_role(conn, group)  # idempotent
        conn.execute(text(f"CREATE ROLE {login} LOGIN PASSWORD 'pw-{suffix}' IN ROLE {group}"))
    app_url = make_url(fresh_db_url).set(username=login, password=f"pw-{suffix}")
    app = make_engine(app_url.render_as_string(hide_password=False))
    try:
        with Session(app) as session:
            _write_history(session, at)
            session.commit()
            # Tables that are not insert-only stay writable: the head pointer moves.
            session.execute(text("UPDATE record SET current_version = 1"))
            session.commit()
        for statement in (
            "UPDATE audit_entry SET tag = 'forged'",
            "DELETE FROM audit_entry",
            "UPDATE record_version SET reason = 'forged'",
            "DELETE FROM record_version",
        ):
            with pytest.raises(ProgrammingError, match="permission denied"), app.begin() as conn:
                conn.execute(text(statement))
    finally:
        app.dispose()
        with owner.begin() as conn:
            conn.execute(text(f"DROP OWNED BY {group}"))
            conn.execute(text(f"DROP ROLE {login}"))
            conn.execute(text(f"DROP ROLE {group}"))
        owner.dispose()
