"""Credit checks at the point of service and the measures an organ applies (Art. 21–24, 28, 29;
MEA-2, MEA-3, MEA-5).

A check is an inquiry: it goes through :func:`xinyong.inquiry.service.inquire` with the matter
as its purpose, so the same authority screen, harvesting guard and inquiry log (Art. 20) apply,
and the subject sees who looked and why. The check row then stores what the organ was told.
An applied measure is recorded only if it is on a published list and was offered by that check
(Art. 29); otherwise the whole report is refused and the attempt enters the violation register,
committed although the request fails. Each regulatory or disciplinary measure gets its written
notice (Art. 28) in the subject's inbox. A disciplinary measure is only notified (``pending``)
with a working-day deadline to state and defend; it is decided later (``procedure``). The grade
rests on every record grading uses, whatever the inquirer may read (MEA-5); the inquirer sees
the reasons that rest on what it may read.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.audit.service import record_event
from xinyong.calendar import service as calendar
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import local_date
from xinyong.core.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from xinyong.db.uow import Kept, commit_kept
from xinyong.disclosure.rules import Channel
from xinyong.disclosure.schemas import DisclosedRecord
from xinyong.disclosure.service import visible_records
from xinyong.inquiry import service as inquiry
from xinyong.inquiry.purposes import purposes_in_force
from xinyong.inquiry.ratelimit import InquiryGuard
from xinyong.measures import notices, reference, rules
from xinyong.measures import repository as repo
from xinyong.measures.access import CHECK, require_role
from xinyong.measures.models import (
    NOTICE_KINDS,
    TWO_STEP_KINDS,
    AppliedMeasure,
    AppliedStatus,
    CreditCheck,
    Measure,
)
from xinyong.measures.schemas import (
    AppliedList,
    AppliedMeasureRead,
    CheckMeasure,
    CheckRead,
    GradeRead,
    GradeReasonRead,
    SubjectBrief,
)
from xinyong.subjects.models import Subject
from xinyong.subjects.service import find_by_code, get_subject, representatives
from xinyong.violations.service import register_violation

#: Grading reads what a state organ would be served (government channel, every item).
GRADER = Actor(
    role=Role.INQUIRER, username="grader", display_name="分级分类监管 graded supervision"
)


class MeasureNotApplicable(RuleViolation, code="measure_not_applicable"): ...


#: Shown in place of grade reasons that rest on records the inquirer may not read (MEA-5).
WITHHELD = "withheld"
WITHHELD_REASON = (
    "其余评级依据不在本账号查询权限内 / the other grounds of this grade are outside this"
    " account's authority"
)


# --- facts --------------------------------------------------------------------------------


def list_entries(session: Session, *, subject_id: int, at: datetime) -> list[dict[str, Any]]:
    """The subject's list entries in force (serious dishonesty, red list), as ``{"id",
    "kind"}`` dicts. The one door to the lists context: until it offers
    ``lists.service.active_entries`` the subject is on no list."""
    try:
        lists = importlib.import_module("xinyong.lists.service")
    except ImportError:
        return []
    active = getattr(lists, "active_entries", None)
    if active is None:
        return []
    out = []
    for entry in active(session, subject_id=subject_id, at=at):
        kind = _attr(entry, "list_kind", "kind")
        out.append({"id": f"{kind}:{_attr(entry, 'entry_id', 'id')}", "kind": str(kind)})
    return out


def _attr(entry: Any, *names: str) -> Any:
    for name in names:
        value = entry.get(name) if isinstance(entry, dict) else getattr(entry, name, None)
        if value is not None:
            return getattr(value, "value", value)
    return None


def _facts(records: Sequence[DisclosedRecord]) -> list[rules.RecordFact]:
    return [rules.RecordFact(r.id, r.item, r.polarity, r.severity, r.fields) for r in records]


def _entry_facts(entries: Sequence[dict[str, Any]]) -> list[rules.ListEntryFact]:
    return [rules.ListEntryFact(str(e["id"]), str(e["kind"])) for e in entries]


def spec_of(m: Measure) -> rules.MeasureSpec:
    return rules.MeasureSpec(
        m.code, m.kind.value, m.tier.value, m.region_code, m.status.value, m.effective_on,
        m.implementing_organs, m.matters, m.triggers,
    )  # fmt: skip


def _reasons(reasons: Sequence[rules.GradeReason]) -> list[GradeReasonRead]:
    return [
        GradeReasonRead(
            grade=r.grade, rule=r.rule, reason=r.reason, record_ids=list(r.record_ids),
            list_entry_ids=list(r.list_entry_ids),
        )
        for r in reasons
    ]  # fmt: skip


def grade_subject(
    session: Session,
    *,
    subject_id: int,
    at: datetime,
    entries: Sequence[dict[str, Any]] | None = None,
) -> GradeRead:
    """The subject's grade A–D with its reasons, from the documented rule set (MEA-5), computed
    at query time from every record served to the government and the lists in force — never
    from what one inquirer may read; ``None`` (``unrated``) when there is none of them."""
    records = visible_records(
        session, channel=Channel.GOVERNMENT, subject_id=subject_id, actor=GRADER, at=at
    )
    if entries is None:
        entries = list_entries(session, subject_id=subject_id, at=at)
    grade, reasons = rules.grade_of(
        _facts(records), _entry_facts(entries), reference.grading_rules()
    )
    return GradeRead(
        subject_id=subject_id, grade=grade, reasons=_reasons(reasons),
        grade_reason=rules.UNRATED if grade is None else None,
    )  # fmt: skip


def shown_reasons(
    reasons: Sequence[GradeReasonRead], readable: set[int], grade: str | None
) -> list[GradeReasonRead]:
    """The reasons an inquirer may see: those resting only on records it may read; the others
    are replaced by one ``withheld`` line (MEA-5; Art. 19, 20: no read beyond authority)."""
    shown = [r for r in reasons if set(r.record_ids) <= readable]
    if len(shown) < len(reasons):
        shown.append(GradeReasonRead(grade=grade, rule=WITHHELD, reason=WITHHELD_REASON))
    return shown


# --- the check ----------------------------------------------------------------------------


def _organ(session: Session, actor: Actor) -> rules.Organ:
    org = repo.organisation(session, actor.org_id)
    if org is None:
        return rules.Organ(actor.org_code, None, None)
    return rules.Organ(org.code, org.kind.value, org.region, org.organ_kind)


def _representatives(session: Session, subject: Subject, at: datetime) -> list[dict[str, Any]]:
    """Who an organisation's legal representative / responsible person is (Art. 27)."""
    out = []
    for link in representatives(session, subject.id, on=local_date(at)):
        person = get_subject(session, link.person_id)
        out.append({"role": link.role, "name": person.name})
    return out


def _information(
    session: Session, records: Sequence[DisclosedRecord], entries: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The information the answer rests on, with its provider (Art. 28)."""
    providers = repo.providers_of(session, (r.id for r in records))
    info: list[dict[str, Any]] = [
        {
            "record_id": r.id, "item": r.item, "item_name": r.item_name,
            "document_no": r.document_no,
            "decided_on": r.decided_on.isoformat() if r.decided_on else None,
            "provider": providers.get(r.id, ""),
        }
        for r in records
    ]  # fmt: skip
    info.extend({"list_entry_id": e["id"], "kind": e["kind"]} for e in entries)
    return info


def check_row(
    session: Session,
    actor: Actor,
    subject: Subject,
    inquiry_id: int | None,
    records: Sequence[DisclosedRecord],
    *,
    matter: str,
    grade: GradeRead,
    entries: list[dict[str, Any]],
    offered: Sequence[tuple[rules.MeasureSpec, rules.Match]],
    at: datetime,
) -> CreditCheck:
    """The check as kept (MEA-2): who asked about whom for which matter, the grade with its
    reasons, the information used (Art. 28) and the measures offered."""
    return CreditCheck(
        at=at, inquiry_id=inquiry_id, org_id=actor.org_id, org_code=actor.org_code,
        org_name=actor.org_name, user_id=actor.user_id, user_name=actor.display_name,
        subject_id=subject.id, subject_code=subject.code, matter=matter, grade=grade.grade,
        grade_reasons=[r.model_dump() for r in grade.reasons], list_entries=entries,
        record_ids=[r.id for r in records],
        information=_information(session, records, entries),
        measures_offered=[
            {"code": s.code, "kind": s.kind, "record_ids": list(m.record_ids),
             "list_entry_ids": list(m.list_entry_ids)}
            for s, m in offered
        ],
    )  # fmt: skip


def _check_measure(m: Measure, match: rules.Match) -> CheckMeasure:
    return CheckMeasure(
        code=m.code, name=m.name, name_en=m.name_en, kind=m.kind.value, tier=m.tier.value,
        article=m.article, legal_basis=m.legal_basis, targets=list(m.targets),
        duration=m.duration, duration_note=m.duration_note, record_ids=list(match.record_ids),
        list_entry_ids=list(match.list_entry_ids),
    )  # fmt: skip


def run_check(
    session: Session,
    *,
    actor: Actor,
    subject_code: str,
    matter: str,
    at: datetime,
    guard: InquiryGuard | None = None,
    address: str | None = None,
) -> CheckRead:
    """A credit check for a matter (MEA-2): the subject's list entries, grade with reasons,
    relevant records and the measures that apply, each with its legal basis. Logged as an
    inquiry (Art. 20) and kept as a check row; 403 outside the account's authority."""
    require_role(actor, CHECK, "measures:check")  # the role first: 401/403 before any 422
    in_force = purposes_in_force(session)  # published matters (Art. 19 ¶3)
    if matter not in in_force:
        raise InvalidInput(
            f"未知的办理事项 {matter!r}。 Unknown matter {matter!r}.",
            code="unknown_matter",
            details=[{"field": "matter", "reason": f"one of {sorted(in_force)}"}],
        )
    answer = inquiry.inquire(
        session, actor=actor, subject_code=subject_code, purpose=matter, at=at, guard=guard,
        address=address,
    )  # fmt: skip
    subject = find_by_code(session, answer.subject.code)
    assert subject is not None, "the inquiry found it"
    entries = list_entries(session, subject_id=subject.id, at=at)
    grade = grade_subject(session, subject_id=subject.id, at=at, entries=entries)
    reasons = shown_reasons(grade.reasons, {r.id for r in answer.records}, grade.grade)
    measures = {m.code: m for m in repo.all_measures(session)}
    offered = rules.applicable_measures(
        (spec_of(m) for m in measures.values()), matter=matter, records=_facts(answer.records),
        list_entries=_entry_facts(entries), grade=grade.grade, organ=_organ(session, actor),
        on=local_date(at),
    )  # fmt: skip
    check = check_row(
        session, actor, subject, answer.inquiry_id, answer.records,
        matter=matter, grade=grade, entries=entries, offered=offered, at=at,
    )  # fmt: skip
    session.add(check)
    session.flush()
    record_event(
        session, actor=actor, tag="measures:check:run", at=at, object_type="credit_check",
        object_id=check.id, subject_id=subject.id,
        after={"matter": matter, "grade": grade.grade, "inquiry_id": answer.inquiry_id,
               "measures": [s.code for s, _ in offered]},
    )  # fmt: skip
    session.flush()
    return CheckRead(
        check_id=check.id, inquiry_id=answer.inquiry_id, at=at,
        subject=SubjectBrief(code=subject.code, name=subject.name, type=subject.type),
        matter=matter, lists=entries, grade=grade.grade, grade_reason=grade.grade_reason,
        grade_reasons=reasons, records=answer.records,
        measures=[_check_measure(measures[s.code], m) for s, m in offered],
        representatives=_representatives(session, subject, at),
    )  # fmt: skip


# --- applied measures ---------------------------------------------------------------------


def _own_check(session: Session, actor: Actor, check_id: int) -> CreditCheck:
    check = repo.get_check(session, check_id)
    if check is None or check.org_id != actor.org_id or actor.org_id is None:
        raise NotFound(f"没有核查 {check_id} / no credit check {check_id}")
    return check


def record_applied(
    session: Session, *, actor: Actor, check_id: int, measure_codes: Sequence[str], at: datetime
) -> AppliedList:
    """Record the measures the organ applied after a check (MEA-2). Every code must be on a
    published list in force and offered by this check (Art. 29), else 422
    ``measure_not_applicable`` naming each such code, and the attempt is put on the violation
    register (GOV-1). Regulatory and disciplinary measures get a written notice (Art. 28); a
    disciplinary one is only notified (``pending``), with the working-day deadline to state and
    defend, and takes effect by a later decision (Art. 29 para. 2)."""
    require_role(actor, CHECK, "measures:apply")
    check = _own_check(session, actor, check_id)
    codes = list(dict.fromkeys(c.strip() for c in measure_codes if c.strip()))
    if not codes:
        raise InvalidInput("请至少填写一项措施 / name at least one measure", code="no_measures")
    measures = {m.code: m for m in repo.all_measures(session)}
    today = local_date(at)
    refused = rules.refused_measures(
        codes,
        published=[c for c, m in measures.items() if rules.in_force(spec_of(m), today)],
        offered=[o["code"] for o in check.measures_offered],
    )
    if refused:
        _refuse(session, actor, check, codes, refused, at)
    already = {a.measure_code for a in repo.applied_of_check(session, check.id)}
    subject = get_subject(session, check.subject_id)
    rows = [
        _apply(session, actor, check, subject, measures[code], at)
        for code in codes
        if code not in already
    ]
    session.flush()
    return AppliedList(items=[applied_read(r, today) for r in rows])


def _refuse(
    session: Session, actor: Actor, check: CreditCheck, codes: list[str],
    refused: dict[str, str], at: datetime,
) -> None:  # fmt: skip
    details = [{"code": code, "reason": reason} for code, reason in refused.items()]
    register_violation(
        session, kind="refused_measure", at=at, actor=actor, subject_id=check.subject_id,
        object_type="credit_check", object_id=check.id,
        detail={"requested": codes, "refused": details, "matter": check.matter},
    )  # fmt: skip
    # The register entry must outlive the failed request (GOV-1).
    commit_kept(session, Kept.MEASURE_REFUSED)
    names = ", ".join(refused)
    raise MeasureNotApplicable(
        f"以下措施不在已发布的清单上或不适用于本次核查：{names}（第二十九条）。"
        f" Not on a published list or not applicable to this check: {names} (Art. 29).",
        details=details,
    )


def _apply(
    session: Session, actor: Actor, check: CreditCheck, subject: Subject, measure: Measure,
    at: datetime,
) -> AppliedMeasure:  # fmt: skip
    offered = next(o for o in check.measures_offered if o["code"] == measure.code)
    record_ids, entry_ids = grounds(check, offered)
    row = AppliedMeasure(
        check_id=check.id, subject_id=check.subject_id, measure_code=measure.code,
        measure_version=measure.version, measure_name=measure.name, kind=measure.kind,
        legal_basis=measure.legal_basis, matter=check.matter, applied_at=at,
        applied_by_id=actor.user_id, applied_by_name=actor.display_name, org_id=actor.org_id,
        org_name=actor.org_name, record_ids=record_ids, list_entry_ids=entry_ids,
    )  # fmt: skip
    if measure.kind in TWO_STEP_KINDS:
        row.status = AppliedStatus.PENDING
        row.defence_due_on = calendar.deadline(
            session, start=local_date(at), working_days=reference.defence_working_days()
        )
    else:
        row.status = AppliedStatus.APPLIED
        row.decided_at = at
        row.ends_on = rules.measure_ends_on(local_date(at), measure.period_months)
    session.add(row)
    session.flush()
    if measure.kind in NOTICE_KINDS:
        body = notices.notice_body(
            check=check, measure=measure, offered=offered, defence_due_on=row.defence_due_on
        )
        row.notice = body
        row.notice_number = notices.issue(
            session, actor=actor, row=row, subject=subject, body=body, at=at
        )
    record_event(
        session, actor=actor, tag="measures:measure:apply", at=at,
        object_type="applied_measure", object_id=row.id, subject_id=check.subject_id,
        after={"check_id": check.id, "measure": measure.code, "kind": measure.kind.value,
               "status": row.status.value, "notice_number": row.notice_number,
               "defence_due_on": _iso(row.defence_due_on), "ends_on": _iso(row.ends_on)},
    )  # fmt: skip
    return row


def grounds(check: CreditCheck, offered: dict[str, Any]) -> tuple[list[int], list[str]]:
    """What an applied measure rests on, for lifting it with its ground (Art. 36): what
    triggered it; for a grade-triggered measure, what the grade rests on."""
    record_ids = list(offered.get("record_ids") or [])
    entry_ids = [str(e) for e in offered.get("list_entry_ids") or []]
    if not record_ids and not entry_ids:
        for reason in check.grade_reasons:
            record_ids.extend(reason.get("record_ids") or [])
            entry_ids.extend(str(e) for e in reason.get("list_entry_ids") or [])
    return sorted(set(record_ids)), sorted(set(entry_ids))


def _iso(day: Any) -> str | None:
    return None if day is None else str(day.isoformat())


def applied_read(row: AppliedMeasure, today: Any) -> AppliedMeasureRead:
    return AppliedMeasureRead(
        id=row.id, check_id=row.check_id, code=row.measure_code, name=row.measure_name,
        kind=row.kind.value, legal_basis=row.legal_basis, matter=row.matter,
        applied_at=row.applied_at, organisation=row.org_name, notice_number=row.notice_number,
        notice=row.notice, status=rules.shown_status(row.status.value, row.ends_on, today),
        defence_due_on=row.defence_due_on, statement=row.statement, stated_at=row.stated_at,
        statement_answer=row.statement_answer, answered_at=row.answered_at,
        decided_at=row.decided_at, decision_reason=row.decision_reason,
        decision_number=row.decision_number, ends_on=row.ends_on, lifted_at=row.lifted_at,
        lift_reason=row.lift_reason, record_ids=list(row.record_ids or []),
        list_entry_ids=list(row.list_entry_ids or []),
    )  # fmt: skip


def my_measures(session: Session, *, actor: Actor, at: datetime) -> AppliedList:
    """The measures applied to the subject — pending, in force, ended, lifted — each with its
    notice, deadline and end (Art. 28, 29, 31)."""
    if actor.role is not Role.SUBJECT or actor.subject_id is None:
        require_role(actor, frozenset({Role.SUBJECT}), "measures:read_own")
        raise PermissionDenied("该账号未绑定信用主体 / this account is bound to no subject")
    rows = repo.applied_of_subject(session, actor.subject_id)
    today = local_date(at)
    return AppliedList(items=[applied_read(r, today) for r in rows])
