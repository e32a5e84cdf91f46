"""Pure rules of the register of credit service institutions (Art. 37–39; CSI-1).

Art. 37 makes the social credit department responsible for the supervision and management of
credit service institutions, and Art. 38 requires the institutions to accept it. The platform
turns that into a filing (备案) per institution organisation with a status the credit office
sets, and one consequence the law needs enforced in code: only an institution whose filing is
active may run authorized inquiries (Art. 16, 38; CSI-2).

Status machine (each change with its instant, actor and reason, kept as history):

- ``active``: filed and in good standing (the filing makes the institution active);
- ``suspended``: its business on the platform is halted pending rectification; it may be
  reinstated (→ ``active``) or end for good;
- ``revoked`` (撤销备案): the office withdrew the filing — terminal;
- ``deregistered`` (注销备案): the institution closed or asked to leave — terminal.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum


class FilingStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    DEREGISTERED = "deregistered"


class ServiceKind(StrEnum):
    """What an institution offers (Art. 40 names rating, guarantee, consulting and training)."""

    CREDIT_INVESTIGATION = "credit_investigation"  # 征信
    CREDIT_RATING = "credit_rating"  # 信用评级
    CREDIT_REPORTS = "credit_reports"  # 信用报告
    CREDIT_GUARANTEE = "credit_guarantee"  # 信用担保
    CREDIT_CONSULTING = "credit_consulting"  # 信用管理咨询
    CREDIT_TRAINING = "credit_training"  # 信用培训


class SupervisionKind(StrEnum):
    """How the credit office supervised an institution (Art. 37, 38)."""

    ONSITE_INSPECTION = "onsite_inspection"  # 现场检查
    OFFSITE_CHECK = "offsite_check"  # 非现场检查
    COMPLAINT_HANDLED = "complaint_handled"  # 投诉处理
    INTERVIEW = "interview"  # 约谈
    ADMINISTRATIVE_MEASURE = "administrative_measure"  # 行政措施
    OTHER = "other"


#: Filing numbers: ``XYFW-<year>-<seq>`` (信用服务), numbered like the platform's documents.
FILING_PREFIX = "XYFW"

TERMINAL = frozenset({FilingStatus.REVOKED, FilingStatus.DEREGISTERED})

#: Every allowed change of status; anything else is refused.
TRANSITIONS: dict[FilingStatus, frozenset[FilingStatus]] = {
    FilingStatus.ACTIVE: frozenset(
        {FilingStatus.SUSPENDED, FilingStatus.REVOKED, FilingStatus.DEREGISTERED}
    ),
    FilingStatus.SUSPENDED: frozenset(
        {FilingStatus.ACTIVE, FilingStatus.REVOKED, FilingStatus.DEREGISTERED}
    ),
    FilingStatus.REVOKED: frozenset(),
    FilingStatus.DEREGISTERED: frozenset(),
}

MAX_REASON = 1000
_BLANK = re.compile(r"^\s*$")


def transition_allowed(current: FilingStatus, target: FilingStatus) -> bool:
    """Whether the credit office may move a filing from ``current`` to ``target`` (Art. 37):
    suspend and reinstate, and end a filing once — revoked and deregistered are final."""
    return target in TRANSITIONS[current]


def may_inquire(status: FilingStatus | None) -> bool:
    """Whether an institution may run authorized inquiries (Art. 16, 38; CSI-2): only while
    its filing is active — not unfiled, suspended, revoked or deregistered."""
    return status is FilingStatus.ACTIVE


def reason_problem(reason: str) -> str | None:
    """A change of status, being an act of supervision, says why (Art. 37)."""
    if _BLANK.match(reason):
        return "请填写理由 / give a reason"
    if len(reason) > MAX_REASON:
        return f"理由最多 {MAX_REASON} 个字符 / a reason has at most {MAX_REASON} characters"
    return None


def filed_on_problem(filed_on: date, today: date) -> str | None:
    """A filing is recorded on or after the day it was made, never ahead of it."""
    if filed_on > today:
        return "备案日期不能晚于今天 / the filing date cannot be in the future"
    return None


def supervised_on_problem(on: date, today: date) -> str | None:
    """Supervision is recorded after the fact: its date is not in the future."""
    if on > today:
        return "监管日期不能晚于今天 / the supervision date cannot be in the future"
    return None
