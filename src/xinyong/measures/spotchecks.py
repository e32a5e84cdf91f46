"""Random spot-check draws for graded supervision (Art. 21(4), 23(4); MEA-5).

Each subject of the population is graded at draw time; the draw takes ``ceil(ratio × n)`` of
each grade with one seeded generator. The seed, the ratios and the graded population are
stored with the draw, so anyone can re-derive it (:func:`rederive_draw`) and see that the
subjects drawn were not chosen by hand.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from xinyong.audit.service import record_event
from xinyong.core import identifiers
from xinyong.core.actor import Actor
from xinyong.core.errors import InvalidInput, NotFound
from xinyong.measures import reference, rules
from xinyong.measures import repository as repo
from xinyong.measures.access import MANAGE, require_role
from xinyong.measures.checks import grade_subject
from xinyong.measures.models import SpotCheckDraw
from xinyong.measures.schemas import SpotCheckList, SpotCheckRead
from xinyong.subjects.service import find_by_code

#: Grading runs per subject at draw time; beyond this, draw from a named population.
MAX_POPULATION = 20_000


def _population_ids(session: Session, codes: Sequence[str] | None) -> list[int]:
    if codes is None:
        return repo.organisation_subject_ids(session, MAX_POPULATION)
    ids: list[int] = []
    unknown: list[str] = []
    for code in dict.fromkeys(c.strip() for c in codes):
        subject = find_by_code(session, code)
        if subject is None:
            unknown.append(code)
        else:
            ids.append(subject.id)
    if unknown:
        hints = {c: identifiers.invalid_hint(c) for c in unknown}
        zh = "、".join(c + (f"（{h[0]}）" if h else "") for c, h in hints.items())
        en = ", ".join(c + (f" ({h[1]})" if h else "") for c, h in hints.items())
        raise InvalidInput(
            f"未知的信用主体：{zh} / unknown subjects: {en}",
            code="unknown_subject",
            details=[{"field": "subjects", "reason": f"unknown {c}"} for c in unknown],
        )
    return sorted(ids)


def draw_spot_check(
    session: Session,
    *,
    actor: Actor,
    at: datetime,
    ratios: dict[str, float] | None = None,
    seed: str | None = None,
    subject_codes: Sequence[str] | None = None,
) -> SpotCheckRead:
    """Draw subjects for inspection by grade (credit office). Ratios default to the rule
    set's; ones outside the published bounds are refused (422 ``invalid_ratios``)."""
    require_role(actor, MANAGE, "measures:spot_check")
    data = reference.grading_rules()
    chosen = dict(ratios if ratios is not None else data["sampling_ratios"])
    problems = rules.ratio_problems(chosen, data["ratio_bounds"])
    if problems:
        raise InvalidInput(
            "抽查比例超出分级规则允许的范围。 A sampling ratio is outside its grade's bounds.",
            code="invalid_ratios",
            details=problems,
        )
    # An unrated subject is sampled at an ordinary grade's ratio (grading rules' data).
    unrated_as = str(data.get("unrated_sampling_grade", "B"))
    population = [
        (sid, grade_subject(session, subject_id=sid, at=at).grade or unrated_as)
        for sid in _population_ids(session, subject_codes)
    ]
    the_seed = seed or secrets.token_hex(16)
    drawn = rules.draw_spot_checks(population, chosen, the_seed)
    row = SpotCheckDraw(
        at=at, drawn_by_id=actor.user_id, drawn_by_name=actor.display_name, seed=the_seed,
        ratios=chosen, rules_version=int(data["version"]),
        population=[[i, g] for i, g in sorted(population)],
        population_digest=rules.population_digest(population), drawn=drawn,
    )  # fmt: skip
    session.add(row)
    session.flush()
    record_event(
        session, actor=actor, tag="measures:spot_check:draw", at=at,
        object_type="spot_check_draw", object_id=row.id,
        after={"seed": the_seed, "ratios": chosen, "population_digest": row.population_digest,
               "population_size": len(population), "drawn": drawn},
    )  # fmt: skip
    session.flush()
    return draw_read(session, row)


def _stored_population(row: SpotCheckDraw) -> list[tuple[int, str]]:
    return [(int(i), str(g)) for i, g in row.population]


def rederive_draw(session: Session, *, draw_id: int) -> list[int]:
    """The subjects the stored seed, ratios and population give (MEA-5)."""
    row = repo.get_draw(session, draw_id)
    if row is None:
        raise NotFound(f"没有抽查 {draw_id} / no spot-check draw {draw_id}")
    return rules.draw_spot_checks(_stored_population(row), row.ratios, row.seed)


def get_draw(session: Session, *, actor: Actor, draw_id: int) -> SpotCheckRead:
    require_role(actor, MANAGE, "measures:spot_check")
    row = repo.get_draw(session, draw_id)
    if row is None:
        raise NotFound(f"没有抽查 {draw_id} / no spot-check draw {draw_id}")
    return draw_read(session, row)


def list_draws(session: Session, *, actor: Actor) -> SpotCheckList:
    require_role(actor, MANAGE, "measures:spot_check")
    return SpotCheckList(items=[draw_read(session, r) for r in repo.recent_draws(session)])


def draw_read(session: Session, row: SpotCheckDraw) -> SpotCheckRead:
    population = _stored_population(row)
    again = rules.draw_spot_checks(population, row.ratios, row.seed)
    intact = rules.population_digest(population) == row.population_digest
    codes = repo.subject_codes(session, row.drawn)
    return SpotCheckRead(
        id=row.id, at=row.at, drawn_by=row.drawn_by_name, seed=row.seed, ratios=row.ratios,
        rules_version=row.rules_version, population_size=len(population),
        population_by_grade=dict(sorted(Counter(g for _, g in population).items())),
        population_digest=row.population_digest, drawn=list(row.drawn),
        drawn_codes=[codes.get(i, "") for i in row.drawn],
        reproducible=intact and again == list(row.drawn),
    )  # fmt: skip
