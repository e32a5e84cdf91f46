"""The content of a special credit report (专项信用报告): per chosen domain, the negative
records delivered by that domain's departments in the period, or a plain statement that the
platform holds none (RGT-1; Art. 31).

Built from the subject's own view (``content.self_records``), so it sees exactly what the
subject sees, and digested like the credit report: the PDF prints the digest of this content.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from xinyong.accounts.sectors import sector
from xinyong.reports import content, rules, special_rules
from xinyong.reports.schemas import SelfRecordRead
from xinyong.subjects.models import Subject


def _entry(r: SelfRecordRead) -> dict[str, Any]:
    return {
        **content.record_heading(r),
        "repaired": r.state == rules.RecordState.REPAIRED.value,
        "under_objection": r.under_objection,
        **content.provider(r),
    }


def special_content(
    *,
    subject: Subject,
    records: Sequence[SelfRecordRead],
    sectors_of: dict[int, str | None],
    start: date,
    end: date,
    domains: Sequence[str],
    number: str,
    at: datetime,
    issued_to: str,
    verify_url: str,
) -> dict[str, Any]:
    """What the special report's PDF is rendered from and its digest covers. ``sectors_of``:
    provider organisation id → its domain code."""
    by_domain: dict[str, list[dict[str, Any]]] = {d: [] for d in domains}
    for r in records:
        domain = sectors_of.get(r.source.provider_org_id or -1)
        if domain not in by_domain:
            continue
        state = rules.RecordState(r.state)
        if special_rules.listed(
            polarity=r.polarity, state=state, decided_on=r.decided_on, start=start, end=end
        ):
            by_domain[domain].append(_entry(r))
    sections = []
    for code in domains:
        found = sector(code)
        entries = sorted(by_domain[code], key=lambda e: (e["decided_on"], e["id"]))
        sections.append(
            {
                "code": code,
                "name_zh": found.name_zh if found else code,
                "name_en": found.name_en if found else code,
                "records": entries,
            }
        )
    return content.json_native(
        {
            **content.issued(
                subject=subject, number=number, at=at, issued_to=issued_to, verify_url=verify_url
            ),
            "kind": "special",
            "from": start,
            "to": end,
            "domains": list(domains),
            "records_count": sum(len(s["records"]) for s in sections),
            "sections": sections,
        }
    )
