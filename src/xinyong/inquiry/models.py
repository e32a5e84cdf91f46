"""Tables of the inquiry context: the inquiry log (Art. 20) and the subjects' consents (Art. 38).

The log is append-only and kept without limit (INQ-2): a row is written for every inquiry that
reached the platform, answered or refused, in the same transaction as the answer is assembled,
and no code path updates or deletes one. Who inquired and their unit are copied, so that the
log outlives accounts and renamed organisations.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db.base import Base
from xinyong.db.types import (
    IndexedInt,
    IntPk,
    Str32,
    Str64,
    Str200,
    Str300,
    Str500,
    UniqueStr64,
    str_enum,
)


class InquiryChannel(StrEnum):
    GOVERNMENT = "government"  # a state organ within its authority (Art. 19)
    AUTHORIZED = "authorized"  # an institution under the subject's consent (Art. 16, 38)
    WINDOW = "window"  # service-window staff on the subject's behalf (Art. 17; DIS-2)
    # Looks at non-public information outside an inquiry (Art. 20, 31; ``inquiry.reads``):
    RECORD = "record"  # a record with its versions (``GET /records/{id}``, the record page)
    PROCEDURE = "list_procedure"  # a list procedure (Art. 25, 26)
    FEED = "feed"  # the change feed (``GET /changes``; Art. 6)
    EXPORT = "export"  # an export of records (``/records/export.csv``, ``xinyong export``)
    #: A row of a declared batch check (批量比对, ``/checks/batches``): a government or an
    #: authorized inquiry (``consent_id`` set) asked in a file; capped, not an enumeration.
    BATCH = "batch"


class Outcome(StrEnum):
    ANSWERED = "answered"
    REFUSED = "refused"


class Inquiry(Base):
    """One inquiry about one subject (Art. 20: inquirer, unit, time, subject, items, purpose)."""

    __table_args__ = (
        Index("ix_inquiry_user_at", "user_id", "at"),
        Index("ix_inquiry_subject_at", "subject_id", "at"),
    )

    id: Mapped[IntPk]
    at: Mapped[datetime] = mapped_column(index=True)
    user_id: Mapped[int | None]
    user_name: Mapped[Str200]
    org_id: Mapped[int | None]
    org_code: Mapped[Str64 | None] = mapped_column(index=True)
    org_name: Mapped[Str300 | None]
    #: ``None`` when the code named no subject of the register (still logged: guessing codes
    #: is how enumeration looks, INQ-3).
    subject_id: Mapped[int | None]
    subject_code: Mapped[Str64] = mapped_column(index=True)
    purpose: Mapped[Str64]
    channel: Mapped[InquiryChannel] = mapped_column(str_enum(InquiryChannel, 16))
    outcome: Mapped[Outcome] = mapped_column(str_enum(Outcome, 16))
    #: Stable code of the refusal (``purpose_not_authorised``, ``consent_required``, …).
    refusal_code: Mapped[Str64 | None]
    refusal_reason: Mapped[Str500 | None]
    #: Catalogue items the answer held, and the ids of the records served.
    items: Mapped[list[str]] = mapped_column(default=list)
    record_ids: Mapped[list[int]] = mapped_column(default=list)
    consent_id: Mapped[int | None]
    #: Service window only: how the staff verified the person's identity (DIS-2).
    identity_check: Mapped[Str500 | None]
    request_id: Mapped[Str64 | None]
    address: Mapped[Str64 | None]


class Consent(Base):
    """A subject's consent to an authorized inquiry by one organisation (Art. 16, 38; CSI-2):
    for which items, for which purpose, until when; revocable at any time."""

    id: Mapped[IntPk]
    subject_id: Mapped[IndexedInt]
    grantee_org_id: Mapped[IndexedInt]
    grantee_code: Mapped[Str64]
    grantee_name: Mapped[Str300]
    items: Mapped[list[str]]
    purpose: Mapped[Str64]
    #: The consent expressly covers privacy and trade-secret fields (Art. 18).
    private_fields: Mapped[bool] = mapped_column(default=False)
    #: The subject affirmed that no one made this consent a condition of another service
    #: (Art. 38); a consent is not recorded without it.
    not_a_condition_of_service: Mapped[bool]
    granted_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    granted_by_user_id: Mapped[int | None]
    granted_by_name: Mapped[Str200]


class PurposeStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class InquiryPurpose(Base):
    """An inquiry purpose and check matter with its legal basis (Art. 19 ¶3): drafted, published
    and retired by the credit office. The shipped purposes (``data/purposes.json``) are in
    force from the start; a row exists for one of them once the office has changed it."""

    id: Mapped[IntPk]
    code: Mapped[UniqueStr64]
    name_zh: Mapped[Str200]
    name_en: Mapped[Str200]
    legal_basis: Mapped[str]
    status: Mapped[PurposeStatus] = mapped_column(str_enum(PurposeStatus, 16))
    shipped: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    status_at: Mapped[datetime]
    #: Who made the last step, copied so that it outlives the account.
    by_name: Mapped[Str200]


class InquiryCap(Base):
    """How many inquiries an inquirer's or institution's account may have answered per day
    (Art. 18), set by the credit office: ``scope`` is ``default`` (every such account) or
    ``user:<id>`` (one account, overriding the default)."""

    scope: Mapped[Str32] = mapped_column(primary_key=True)
    per_day: Mapped[int]
    set_at: Mapped[datetime]
    set_by_name: Mapped[Str200]


class InquiryDayCount(Base):
    """How many inquiries were answered to an account on one platform day on the capped
    channels (Art. 18; ``purposes.CAPPED_CHANNELS``): the daily cap's counter. Kept in the
    transaction that logs the answer (``purposes.count_answered``), after its audit entry, so
    the screening reads one row however many inquiries the account made that day. The log is
    the record; this row only counts it."""

    user_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    day: Mapped[date] = mapped_column(primary_key=True)
    answered: Mapped[int]
