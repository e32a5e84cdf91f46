"""Use cases of the reports context (RGT-1; Art. 31): self-query, issuing a credit report and
verifying one.

A subject account (role ``subject``, bound to one subject) reads everything held on its
subject and downloads reports; anyone verifies a report number. Issuing writes the report's
register row and its audit entry in one transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.accounts.sectors import sector_codes, sectors
from xinyong.audit.service import record_row_event
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import local_date
from xinyong.core.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from xinyong.reports import content as builder
from xinyong.reports import document, rules, special, special_rules
from xinyong.reports import repository as repo
from xinyong.reports.models import CreditReport
from xinyong.reports.schemas import (
    DomainList,
    DomainRead,
    ReportVerificationRead,
    SelfQueryRead,
    SubjectRead,
)
from xinyong.subjects.models import Subject
from xinyong.subjects.service import find_by_code, get_subject

ISSUE_TAG = "reports:report:issue"
SPECIAL_TAG = "reports:special_report:issue"
_NUMBER_ATTEMPTS = 5


def _own_subject(session: Session, actor: Actor) -> tuple[Actor, Subject | None]:
    """The subject a subject account acts for (``None``: not registered yet, so nothing is
    held on it), and the actor bound to its id. Any other role is refused."""
    if actor.is_anonymous:
        raise NotAuthenticated("请先登录 / log in to see your credit information")
    if actor.role is not Role.SUBJECT:
        raise PermissionDenied(
            "仅信用主体账号可查询本人信用信息 / only a credit subject's account can read its "
            "own credit information",
            code="subject_only",
        )
    if actor.subject_id is not None:
        return actor, get_subject(session, actor.subject_id)
    subject = find_by_code(session, actor.subject_code) if actor.subject_code else None
    if subject is None:
        return actor, None
    # The account was bound by code before the subject was registered.
    return replace(actor, subject_id=subject.id), subject


def self_query(session: Session, *, actor: Actor, at: datetime) -> SelfQueryRead:
    """Everything held on the actor's subject (RGT-1): every record of every channel, the
    withdrawn, repaired and expired ones included, each with its state, its source and every
    version with reason, actor and time."""
    actor, subject = _own_subject(session, actor)
    if subject is None:
        return SelfQueryRead(subject=None, at=at, records=[])
    records = builder.self_records(session, subject=subject, actor=actor, at=at)
    brief = SubjectRead(id=subject.id, type=subject.type, code=subject.code, name=subject.name)
    return SelfQueryRead(subject=brief, at=at, records=records)


def _new_number(session: Session, at: datetime) -> str:
    for _ in range(_NUMBER_ATTEMPTS):
        token = "".join(secrets.choice(rules.TOKEN_ALPHABET) for _ in range(rules.TOKEN_LENGTH))
        number = rules.report_number(local_date(at), token)
        if not repo.number_taken(session, number):
            return number
    raise RuntimeError("no free report number after several attempts")  # 2^-40 per attempt


def issue_report(
    session: Session, *, actor: Actor, at: datetime, base_url: str = "", lang: str = "zh"
) -> tuple[CreditReport, bytes]:
    """Issue a credit report to the actor's subject: build its content, digest it, render the
    PDF, register the report and log it (``reports:report:issue``); one commit.

    ``base_url`` is the site's address, for the QR code and the printed verification link;
    ``lang`` (``zh`` or ``en``) the language it is printed in (the digest does not depend on it).
    """
    actor, subject = _own_subject(session, actor)
    if subject is None:
        raise NotFound(
            "平台尚未登记您的主体信息，无法出具信用报告 / no information is held on your "
            "subject yet, so no credit report can be issued",
            code="subject_not_registered",
        )
    records = builder.self_records(session, subject=subject, actor=actor, at=at)
    number = _new_number(session, at)
    content = builder.report_content(
        subject=subject,
        records=records,
        number=number,
        at=at,
        issued_to=actor.display_name,
        verify_url=document.verify_url(base_url, number),
    )
    digest = rules.content_digest(content)
    pdf = document.report_pdf(content, digest=digest, lang=lang)
    report = _register(
        session, actor=actor, subject=subject, at=at, content=content, digest=digest, tag=ISSUE_TAG
    )
    session.flush()
    return report, pdf


def _register(
    session: Session,
    *,
    actor: Actor,
    subject: Subject,
    at: datetime,
    content: dict[str, Any],
    digest: str,
    tag: str,
    special: tuple[date, date, list[str]] | None = None,
) -> CreditReport:
    """Register an issued report — the subject and the account it was issued to copied — and
    audit it (``tag``): its number, digest and count of records, and a special report's
    ``special`` period and domains."""
    report = CreditReport(
        number=content["number"],
        subject_id=subject.id,
        subject_type=subject.type,
        subject_code=subject.code,
        subject_name=subject.name,
        issued_at=at,
        issued_to_id=actor.user_id,
        issued_to_name=actor.display_name,
        digest=digest,
        records_count=content["records_count"],
    )
    after = {"number": report.number, "digest": digest, "records_count": report.records_count}
    if special is not None:
        start, end, domains = special
        report.kind, report.period_from, report.period_to = "special", start, end
        report.domains = domains
        scope = {"from": start.isoformat(), "to": end.isoformat(), "domains": domains}
        after |= {"kind": "special", **scope}
    repo.add(session, report)
    record_row_event(
        session, report, actor=actor, tag=tag, at=at, subject_id=subject.id, after=after
    )
    return report


def verify_report(session: Session, *, number: str) -> ReportVerificationRead:
    """What anyone may learn about a report number: that it was issued, when, for whom
    (masked) and the digest of its content (RGT-1)."""
    normalised = rules.normalise_number(number)
    report = repo.by_number(session, normalised) if normalised else None
    if report is None:
        raise report_not_found()
    return verification_of(report)


def report_not_found() -> NotFound:
    return NotFound(
        "未找到该编号的信用报告 / no credit report has this number",
        code="report_not_found",
        details=[{"field": "number", "reason": "unknown"}],
    )


def reports_after(session: Session, *, after: int, limit: int) -> list[CreditReport]:
    """Issued reports with an id above ``after``, oldest first (what the publication store
    copies for the public server's verification)."""
    return repo.issued_after(session, after=after, limit=limit)


def verification_of(report: CreditReport) -> ReportVerificationRead:
    """The public verification answer of one issued report."""
    return ReportVerificationRead(
        number=report.number,
        subject=rules.masked_subject(
            type_=report.subject_type, code=report.subject_code, name=report.subject_name
        ),
        issued_at=report.issued_at,
        digest=report.digest,
        kind=report.kind,
        from_=report.period_from,
        to=report.period_to,
        domains=list(report.domains) if report.domains is not None else None,
    )


def special_domains(lang: str = "zh") -> DomainList:
    """The domains a special credit report can cover (shipped data), in their order."""
    return DomainList(
        items=[DomainRead(code=s.code, name=s.name(lang), name_en=s.name_en) for s in sectors()]
    )


def parse_domains(value: str | Sequence[str]) -> list[str]:
    """``a,b`` (or a list of codes, from a form) → unique codes in the given order."""
    parts = value.split(",") if isinstance(value, str) else list(value)
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


def _day(value: date | str | None, field: str, problems: list[tuple[str, str]]) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        problems.append((field, f"须为日期 YYYY-MM-DD / a date YYYY-MM-DD is needed: {value!r}"))
        return None


def _special_period(
    start_value: date | str | None,
    end_value: date | str | None,
    domains: list[str],
    *,
    today: date,
) -> tuple[date, date]:
    problems: list[tuple[str, str]] = []
    start = _day(start_value, "from", problems)
    end = _day(end_value, "to", problems)
    if start is not None and end is not None:
        problems.extend(special_rules.period_problems(start, end, today=today))
    problems.extend(special_rules.domain_problems(domains, sector_codes()))
    if problems or start is None or end is None:
        raise InvalidInput(
            "; ".join(reason for _, reason in problems),
            code="invalid_special_report",
            details=[{"field": f, "reason": r} for f, r in problems],
        )
    return start, end


def issue_special_report(
    session: Session,
    *,
    actor: Actor,
    at: datetime,
    start: date | str | None,
    end: date | str | None,
    domains: str | Sequence[str],
    base_url: str = "",
) -> tuple[CreditReport, bytes]:
    """Issue a special credit report (专项信用报告) to the actor's subject over ``start``…
    ``end`` (at most five years back) for ``domains``: numbered, digested, registered and
    audited like the credit report (``reports:special_report:issue``); flushes, the caller
    commits. 422 ``invalid_special_report`` naming each wrong field."""
    actor, subject = _own_subject(session, actor)
    chosen = parse_domains(domains)
    start, end = _special_period(start, end, chosen, today=local_date(at))
    if subject is None:
        raise NotFound(
            "平台尚未登记您的主体信息，无法出具专项信用报告 / no information is held on your "
            "subject yet, so no special credit report can be issued",
            code="subject_not_registered",
        )
    records = builder.self_records(session, subject=subject, actor=actor, at=at)
    orgs = {r.source.provider_org_id for r in records if r.source.provider_org_id is not None}
    number = _new_number(session, at)
    content = special.special_content(
        subject=subject,
        records=records,
        sectors_of=repo.sectors(session, orgs),
        start=start,
        end=end,
        domains=chosen,
        number=number,
        at=at,
        issued_to=actor.display_name,
        verify_url=document.verify_url(base_url, number),
    )
    digest = rules.content_digest(content)
    pdf = document.special_pdf(content, digest=digest)
    report = _register(
        session,
        actor=actor,
        subject=subject,
        at=at,
        content=content,
        digest=digest,
        tag=SPECIAL_TAG,
        special=(start, end, chosen),
    )
    return report, pdf
