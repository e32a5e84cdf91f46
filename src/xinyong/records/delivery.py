"""Who may deliver what, and on which channel (Art. 13–15; COL-2). Shared by every delivery
path (single, JSON batch, file). No commit here: the calling use case commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.accounts.models import Organisation
from xinyong.accounts.rules import OrgKind
from xinyong.catalogue.models import CatalogueItemVersion
from xinyong.catalogue.service import require_published_version
from xinyong.catalogue.sources import is_source
from xinyong.core.actor import Actor, Role
from xinyong.core.clock import local_date
from xinyong.core.errors import InvalidInput, PermissionDenied
from xinyong.core.permissions import require
from xinyong.records import repository as repo
from xinyong.records.agreement_rules import agreeable
from xinyong.records.models import Channel
from xinyong.records.rows import FieldValidator, ItemSpec
from xinyong.records.rules import FieldRule
from xinyong.subjects.service import allowlist

#: Items a subject may state about itself (Art. 8 commitments, Art. 15 statements), besides
#: those whose collection source is the subject itself.
SELF_DECLARABLE = frozenset({"credit_commitment", "voluntary_statement"})


@dataclass(frozen=True, slots=True)
class Delivery:
    """Provenance shared by every record of one delivery (COL-2)."""

    channel: Channel
    provider_org_id: int | None
    agreement_id: int | None
    self_declared: bool
    #: A subject account delivers only about itself.
    own_subject_id: int | None = None
    #: The platform's own list procedure produced the record (Art. 22, 26 ¶2): its fields
    #: are checked without the ``source_required`` ones (``ItemSpec.procedure_validator``).
    procedure: bool = False

    def validator(self, item: ItemSpec) -> FieldValidator:
        return item.procedure_validator if self.procedure else item.validator


def item_spec(version: CatalogueItemVersion) -> ItemSpec:
    codes: set[str] = set()
    for source in version.collection_source or []:
        codes.update(str(c) for c in source.get("codes") or [])
    default = version.default_severity
    return ItemSpec(
        code=version.item.code,
        version_id=version.id,
        fields=tuple(FieldRule.from_spec(f) for f in version.fields),
        polarity=str(version.polarity.value),
        default_severity=None if default is None else str(default.value),
        publicity=str(version.publicity.value),
        subject_types=frozenset(version.subject_types),
        source_org_codes=frozenset(codes),
        restricted_sources=bool(version.restricted_sources),
    )


def published_item(session: Session, code: str, *, at: datetime) -> ItemSpec:
    """The item version records are collected against (CAT-3): published and in force."""
    return item_spec(require_published_version(session, code, at=at))


def allow_list(session: Session) -> frozenset[str]:
    """Real pilot-region USCCs that fail the check character (SUB-2)."""
    return frozenset(e.code for e in allowlist(session))


def _self_declarable(session: Session, item: ItemSpec, at: datetime) -> bool:
    if item.code in SELF_DECLARABLE:
        return True
    version = require_published_version(session, item.code, at=at)
    return any(s.get("kind") == "subject" for s in version.collection_source or [])


def authorise_delivery(
    session: Session,
    *,
    actor: Actor,
    item: ItemSpec,
    at: datetime,
    channel: Channel,
    procedure: bool = False,
) -> Delivery:
    """Providers deliver items whose collection source includes them — an item with
    restricted sources only from an organisation registered as its source (Art. 25, 26) —;
    non-public providers (institutions) only under an agreement in force that covers the item
    (Art. 14); a subject states only about itself, and its statements are marked
    self-declared (Art. 15). ``procedure``: the platform's own list procedure delivers the
    record of its decision (``lists.publishing``), which no source gate applies to.
    """
    if actor.role is Role.SUBJECT and actor.subject_id is not None:
        if not _self_declarable(session, item, at):
            raise PermissionDenied(
                f"信用主体只能报送本主体的声明和承诺，不能报送 {item.code} / a subject may "
                f"deliver only its own statements and commitments, not {item.code}",
                code="not_self_declarable",
            )
        return Delivery(Channel.SELF_DECLARED, actor.org_id, None, True, actor.subject_id)
    require(actor, "records:deliver")
    if actor.org_id is None:
        raise PermissionDenied("报送账号须属于某机构 / a delivering account belongs to a unit")
    if procedure:
        return Delivery(channel, actor.org_id, None, False, procedure=True)
    if not _is_source(session, actor, item):
        raise PermissionDenied(
            f"本单位不是信息项 {item.code} 的{'在册' if item.restricted_sources else ''}采集来源"
            f" / your organisation is not a {'registered ' if item.restricted_sources else ''}"
            f"collection source of {item.code}",
            code="not_a_collection_source",
            details=[{"field": "item", "reason": item.code}],
        )
    if actor.role is Role.INSTITUTION:
        if not agreeable(item.publicity):  # even under an agreement signed before (Art. 14, 16)
            raise PermissionDenied(
                f"{item.code} 为公开类信息，不能依报送协议报送（第十四条、第十六条）/ {item.code} "
                "is public: no agreement covers it (Art. 14, 16)",
                code="item_not_agreeable",
            )
        agreement = repo.active_agreement(
            session, org_id=actor.org_id, item_code=item.code, on=local_date(at)
        )
        if agreement is None:
            raise PermissionDenied(
                f"没有覆盖 {item.code} 的有效报送协议（第十四条）/ no delivery agreement in "
                f"force covers {item.code} (Art. 14)",
                code="no_agreement",
            )
        return Delivery(Channel.AGREEMENT, actor.org_id, agreement.id, False)
    return Delivery(channel, actor.org_id, None, False)


def _is_source(session: Session, actor: Actor, item: ItemSpec) -> bool:
    if item.restricted_sources:
        # Art. 25, 26: only the listing department (or court) registered for the item.
        return is_source(session, item_code=item.code, org_id=actor.org_id)
    return not item.source_org_codes or actor.org_code in item.source_org_codes


def operator_for_org(session: Session, org_code: str) -> Actor:
    """The local operator delivering on behalf of a provider unit (``xinyong import``): the
    CLI needs shell access to the server, so it is trusted to name the unit; the records and
    the audit log name the operator and the unit."""
    org = session.scalar(select(Organisation).where(Organisation.code == org_code.strip()))
    if org is None:
        raise InvalidInput(f"机构 {org_code} 不存在 / no organisation {org_code}")
    role = Role.INSTITUTION if org.kind is OrgKind.INSTITUTION else Role.PROVIDER
    return Actor(
        role=role,
        username="cli",
        display_name=f"本机操作员 local operator (cli) @ {org.name}",
        org_id=org.id,
        org_code=org.code,
        org_name=org.name,
    )
