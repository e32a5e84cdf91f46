"""The credit office's table of grades (MEA-5; Art. 21(4), 23(4): graded supervision).

Every organisation of the register — the spot-check draw's default population — graded now by
the documented rule set, each grade with its reasons. Nothing is stored: a grade is computed
at query time from every record served to the government channel and the lists in force, so
the table and a later draw agree on the same day. Read-only; credit office only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.core.actor import Actor
from xinyong.measures import reference, rules
from xinyong.measures.access import MANAGE, require_role
from xinyong.measures.checks import grade_subject
from xinyong.subjects.models import Subject

#: Subjects one table grades at most (each is graded on its own); beyond, the first by code.
MAX_GRADED = 5_000
#: The value of the grade filter and of the CSV's grade column for an unrated subject.
UNRATED = "unrated"


@dataclass(frozen=True, slots=True)
class GradeRow:
    code: str
    name: str
    type: str
    #: ``A``…``D``, or ``None`` (unrated).
    grade: str | None
    #: Each reason as the rule set words it (``"中文 / English"``), and the rule's code.
    reasons: tuple[str, ...]
    rules: tuple[str, ...]

    @property
    def grade_key(self) -> str:
        """Sorts A…D, the unrated last."""
        return self.grade or "~"


@dataclass(frozen=True, slots=True)
class GradeTable:
    rows: list[GradeRow]
    #: Subjects per grade (``unrated`` for the unrated), over the whole population.
    counts: dict[str, int]
    population: int
    #: Whether the register held more organisations than one table grades.
    truncated: bool


def _population(session: Session) -> list[tuple[int, str, str, str]]:
    query = (
        select(Subject.id, Subject.code, Subject.name, Subject.type)
        .where(Subject.type.in_(("legal_person", "unincorporated_org")))
        .order_by(Subject.code)
        .limit(MAX_GRADED + 1)
    )
    return [(int(i), str(c), str(n), str(t)) for i, c, n, t in session.execute(query)]


def grade_table(session: Session, *, actor: Actor, at: datetime) -> GradeTable:
    """Every organisation with its grade and reasons (credit office)."""
    require_role(actor, MANAGE, "measures:grades")
    found = _population(session)
    truncated = len(found) > MAX_GRADED
    rows: list[GradeRow] = []
    for subject_id, code, name, kind in found[:MAX_GRADED]:
        graded = grade_subject(session, subject_id=subject_id, at=at)
        rows.append(
            GradeRow(
                code=code, name=name, type=kind, grade=graded.grade,
                reasons=tuple(r.reason for r in graded.reasons),
                rules=tuple(r.rule for r in graded.reasons),
            )
        )  # fmt: skip
    counts = Counter(r.grade or UNRATED for r in rows)
    order = [*reference.grading_rules()["order"], UNRATED]
    return GradeTable(
        rows=rows,
        counts={g: counts.get(g, 0) for g in order},
        population=len(rows),
        truncated=truncated,
    )


def grade_names() -> dict[str, str]:
    """Each grade's name as ``"中文 / English"`` (the rule set's data), the unrated included."""
    data: dict[str, Any] = reference.grading_rules()
    names = {g: f"{v['name']} / {v['name_en']}" for g, v in data["grades"].items()}
    names[UNRATED] = "未评级 / Unrated"
    return names


def rule_set() -> dict[str, Any]:
    """The documented rule set as the page shows it: title, rules, sampling ratios."""
    data: dict[str, Any] = reference.grading_rules()
    return {
        "title": f"{data['title_zh']} / {data['title_en']}",
        "version": data["version"],
        "effective_on": data["effective_on"],
        "rules": data["rules"],
        "default_reason": data["default_reason"],
        "unrated_reason": data["unrated_reason"],
        "ratios": data["sampling_ratios"],
        "order": data["order"],
        "unrated_as": data.get("unrated_sampling_grade", "B"),
        "unrated_rule": rules.UNRATED,
    }
