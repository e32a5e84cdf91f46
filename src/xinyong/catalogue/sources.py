"""Collection sources (Art. 12 para. 2; Art. 25, 26): the credit office binds real
organisations to the kinds of unit a catalogue item names.

An item with ``restricted_sources`` (``serious_dishonesty``, ``red_list``, ``judgment_default``)
accepts deliveries only from organisations registered here; for the other items a registration
says who is expected to deliver (supervision, COL-3) without refusing anyone else. A list
decision is taken by a registered listing department, or by the credit office (``lists``).

Use cases: authorise → load → rules → persist → audit, one commit. Registering again an
organisation whose registration ended reopens it; ending one keeps the row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.accounts import service as accounts
from xinyong.accounts.rules import OrgKind
from xinyong.audit.service import record_row_event
from xinyong.catalogue import repository as repo
from xinyong.catalogue import rules
from xinyong.catalogue.models import CatalogueItem, SourceRegistration
from xinyong.catalogue.schemas import SourceCreate, SourceList, SourceRead
from xinyong.core.actor import Actor, Role
from xinyong.core.errors import Conflict, InvalidInput, NotFound
from xinyong.core.permissions import require
from xinyong.core.rows import from_row

MANAGE = "catalogue:manage"

#: The local operator (``xinyong org add --source-of``): shell access to the server is trusted
#: like the credit office's, as for ``xinyong webhooks`` and institution filings.
OPERATOR = Actor(
    role=Role.CREDIT_OFFICE, username="cli", display_name="本机操作员 local operator (cli)"
)

#: Kinds of organisation that can be a public credit information provider (Art. 13). A credit
#: service institution delivers only under an agreement (Art. 14), never as a source.
SOURCE_ORG_KINDS = frozenset({OrgKind.PROVIDER, OrgKind.ORGAN, OrgKind.OFFICE})


class NotASourceOrganisation(InvalidInput, code="not_a_source_organisation"): ...


class AlreadyRegistered(Conflict, code="source_already_registered"): ...


def _read(r: SourceRegistration) -> SourceRead:
    return from_row(SourceRead, r, item=r.item.code, org=r.org_code)


def _item(session: Session, code: str) -> CatalogueItem:
    item = repo.item_by_code(session, code)
    if item is None:
        raise NotFound(f"目录项 {code} 不存在。 There is no catalogue item {code}.")
    return item


def _kinds(session: Session, item: CatalogueItem) -> tuple[list[str], bool]:
    """The source kinds and restriction the item states now: its last published version, or
    its draft while it has none."""
    version = repo.last_published(session, item.id) or repo.latest_version(session, item.id)
    assert version is not None, "an item is created with its first version"
    return [str(s["kind"]) for s in version.collection_source or []], version.restricted_sources


def source_kind_of(session: Session, *, item_code: str, kind: str | None) -> str:
    """The kind an organisation would be registered as for the item (or why it cannot)."""
    kinds, _restricted = _kinds(session, _item(session, item_code))
    return rules.source_kind(kind, kinds)


def is_source(session: Session, *, item_code: str, org_id: int | None) -> bool:
    """Whether the organisation is a registered collection source of the item now."""
    return org_id is not None and repo.is_registered(session, item_code, org_id)


def register_source(
    session: Session, *, actor: Actor, item_code: str, data: SourceCreate, at: datetime
) -> SourceRead:
    """Bind an organisation to one of the kinds of unit the item names (Art. 12 para. 2)."""
    require(actor, MANAGE)
    item = _item(session, item_code)
    org = accounts.find_organisation(session, data.org)
    if org is None:
        raise InvalidInput(
            f"机构 {data.org} 不存在 / no organisation {data.org}",
            code="unknown_organisation",
            details=[{"field": "org", "reason": "unknown organisation"}],
        )
    if org.kind not in SOURCE_ORG_KINDS:
        raise NotASourceOrganisation(
            f"机构 {org.code} 是 {org.kind.value}，不能登记为采集来源（非公共信用信息提供单位依协议"
            f"报送，第十四条）/ organisation {org.code} is a {org.kind.value}: it delivers under "
            "an agreement (Art. 14), not as a collection source",
            details=[{"field": "org", "reason": org.kind.value}],
        )
    kinds, _restricted = _kinds(session, item)
    kind = rules.source_kind(data.kind, kinds)
    row = repo.registration(session, item.id, org.id)
    before: dict[str, Any] | None = None
    if row is not None and row.ended_at is None:
        raise AlreadyRegistered(
            f"机构 {org.code} 已是 {item.code} 的采集来源 / {org.code} is already a collection "
            f"source of {item.code}",
        )
    if row is None:
        row = SourceRegistration(item_id=item.id, org_id=org.id)
        session.add(row)
    else:
        before = {"ended_at": row.ended_at.isoformat() if row.ended_at else None}
    row.org_code, row.org_name, row.kind, row.basis = org.code, org.name, kind, data.basis.strip()
    row.registered_at, row.registered_by = at, actor.display_name or actor.username
    row.ended_at = row.ended_by = row.end_reason = None
    session.flush()
    _audit(session, actor, "register", at, row, before=before, reason=data.basis.strip() or None)
    session.flush()
    return _read(row)


def end_source(
    session: Session, *, actor: Actor, item_code: str, org_code: str, reason: str, at: datetime
) -> SourceRead:
    """End a registration (the row and the audit log keep it)."""
    require(actor, MANAGE)
    item = _item(session, item_code)
    org = accounts.find_organisation(session, org_code)
    row = repo.registration(session, item.id, org.id) if org is not None else None
    if row is None or row.ended_at is not None:
        raise NotFound(
            f"{org_code} 不是 {item_code} 的在册采集来源 / {org_code} is not a registered "
            f"collection source of {item_code}"
        )
    row.ended_at, row.ended_by, row.end_reason = at, actor.display_name or actor.username, reason
    session.flush()
    _audit(session, actor, "end", at, row, before={"ended_at": None}, reason=reason)
    session.flush()
    return _read(row)


def list_sources(
    session: Session, *, actor: Actor, item_code: str, include_ended: bool = False
) -> SourceList:
    require(actor, MANAGE)
    item = _item(session, item_code)
    kinds, restricted = _kinds(session, item)
    rows = repo.registrations_of(session, item.id, include_ended=include_ended)
    return SourceList(
        item=item.code,
        restricted_sources=restricted,
        kinds=kinds,
        items=[_read(r) for r in rows],
    )


def _audit(
    session: Session,
    actor: Actor,
    action: str,
    at: datetime,
    row: SourceRegistration,
    *,
    before: dict[str, Any] | None,
    reason: str | None,
) -> None:
    record_row_event(
        session,
        row,
        actor=actor,
        tag=f"catalogue:source:{action}",
        at=at,
        before=before,
        after={
            "item": row.item.code if row.item else None,
            "org": row.org_code,
            "kind": row.kind,
            "ended_at": row.ended_at.isoformat() if row.ended_at else None,
        },
        reason=reason,
    )
