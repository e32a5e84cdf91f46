"""``xinyong demo load``: every step goes through the services, so the audit log records it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from xinyong.accounts import service as accounts
from xinyong.catalogue.loader import load_shipped_catalogues
from xinyong.core.actor import SYSTEM
from xinyong.core.errors import Conflict
from xinyong.demo.data import DEMO_PASSWORD, ORGS, SUBJECTS, USERS
from xinyong.subjects import service as subjects


@dataclass
class DemoResult:
    catalogue_items: int = 0
    organisations: int = 0
    users: int = 0
    subjects: int = 0
    notes: list[str] = field(default_factory=list)


def load_demo(session: Session, *, at: datetime) -> DemoResult:
    """Load the shipped catalogues and the demo set; safe to run again (existing rows stay)."""
    result = DemoResult()
    loaded = load_shipped_catalogues(session, actor=SYSTEM, at=at)
    result.catalogue_items = len(loaded.published) + len(loaded.drafted)
    for org in ORGS:
        try:
            accounts.add_organisation(
                session,
                actor=accounts.OPERATOR,
                code=org.code,
                name=org.name,
                kind=org.kind,
                region=org.region,
                parent_code=org.parent,
                at=at,
            )
            result.organisations += 1
        except Conflict:
            session.rollback()
    for subj in SUBJECTS:
        before = subjects.find_by_code(session, subj.code)
        subjects.register_subject(
            session, actor=SYSTEM, type=subj.type, id_value=subj.code, name=subj.name, at=at
        )
        result.subjects += before is None
    for user in USERS:
        try:
            accounts.add_user(
                session,
                actor=accounts.OPERATOR,
                username=user.username,
                password=DEMO_PASSWORD,
                org_code=user.org,
                role=user.role,
                display_name=user.display_name,
                subject_code=user.subject,
                purposes=user.purposes,
                at=at,
            )
            result.users += 1
        except Conflict:
            session.rollback()
    return result


def demo_accounts() -> list[tuple[str, str, str, str]]:
    """(role, username, password, display name) of every demo account."""
    return [(u.role, u.username, DEMO_PASSWORD, u.display_name) for u in USERS]
