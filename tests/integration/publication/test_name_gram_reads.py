"""The name index's rows of given subjects are found by subject, not by reading the whole index
(issue 16, thirteenth round): the publication reads each chunk's rows by subject, and indexing a
name asks whether the subject has that key already. Through the primary key (gram first) both
read every row of the index; at 1 M subjects a first publication copied 192 subjects a second,
333 with the index. Checked on the plan each database makes for the statements the code runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.orm import Session

from tests.integration.subjects.test_name_index import register
from xinyong.core.clock import Clock
from xinyong.publication import source
from xinyong.subjects import name_index
from xinyong.subjects.rules import normalize_name

INDEX = "ix_subject_name_gram_subject_id"


def _statements(db: Session, call: Callable[[], object]) -> list[tuple[str, Any]]:
    """The statements on ``subject_name_gram`` that ``call`` runs, with their parameters."""
    conn = db.connection()
    seen: list[tuple[str, Any]] = []

    def record(_c: Connection, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "subject_name_gram" in statement and not statement.lstrip().upper().startswith("INSERT"):
            seen.append((statement, parameters))

    event.listen(conn, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(conn, "before_cursor_execute", record)
    return seen


def _plan(db: Session, statement: str, parameters: Any) -> str:
    conn = db.connection()
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
        return "\n".join(str(r[-1]) for r in rows)
    # A handful of rows would be read whole whatever the indexes: ask for the best index plan.
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    rows = conn.exec_driver_sql(f"EXPLAIN {statement}", parameters).all()
    return "\n".join(str(r[0]) for r in rows)


def _uses_index(plan: str) -> bool:
    """The plan finds the rows through the index by subject (a search on it, not a walk)."""
    lines = plan.splitlines()
    return any(INDEX in line and "SEARCH" in line for line in lines) or (
        any(INDEX in line for line in lines) and any("Index Cond" in ln for ln in lines)
    )


def test_a_subjects_name_rows_are_read_through_the_index_by_subject(
    db: Session, clock: Clock
) -> None:
    names = ["贵州茅台酒股份有限公司", "贵阳银行股份有限公司", "遵义钢铁集团"]
    ids = [register(db, clock, n, name) for n, name in enumerate(names, start=1)]
    db.flush()

    grams: list[tuple[str, str, int]] = []
    read = _statements(db, lambda: grams.extend(source.name_grams(db, ids)))
    assert {s for _, _, s in grams} == set(ids)  # the rows themselves are the subjects' own
    assert read, "the publication read no name rows"
    for statement, parameters in read:
        plan = _plan(db, statement, parameters)
        assert _uses_index(plan), plan

    key = normalize_name("贵州茅台集团")
    asked = _statements(
        db,
        lambda: name_index.index_name(db, subject_id=ids[0], subject_type="legal_person", key=key),
    )
    assert asked, "indexing a name asked nothing of the index"
    for statement, parameters in asked:
        plan = _plan(db, statement, parameters)
        assert _uses_index(plan), plan
