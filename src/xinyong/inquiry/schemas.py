"""Pydantic shapes of inquiries, the inquiry log and consents."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, Field

from xinyong.core.wire import Closed, Text64
from xinyong.disclosure.schemas import DisclosedRecord


class InquiryCreate(Closed):
    """A state organ's inquiry (Art. 19): a subject, a purpose and optionally the items."""

    subject: Text64
    purpose: Text64
    #: Narrow the answer to these catalogue items (each must be within the authority).
    items: list[str] | None = Field(default=None, max_length=100)


class AuthorizedInquiryCreate(Closed):
    subject: Text64
    purpose: Text64


class WindowInquiryCreate(Closed):
    """A service-window query on a subject's behalf (Art. 17; DIS-2)."""

    subject: Text64
    #: How the person's identity was verified, e.g. "核验居民身份证原件".
    identity_check: str = Field(min_length=2, max_length=500)


class SubjectBrief(BaseModel):
    code: str
    name: str
    type: str


class InquiryAnswer(BaseModel):
    inquiry_id: int
    subject: SubjectBrief
    purpose: str
    channel: str
    records: list[DisclosedRecord]
    #: Lists and grade arrive with the measures and lists contexts; the keys stay stable.
    lists: list[dict[str, Any]] = Field(default_factory=list)
    grade: str | None = None


class InquiryLogRead(BaseModel):
    """One row of the inquiry log as the auditor reads it (INQ-2)."""

    id: int
    at: datetime
    user_id: int | None
    user_name: str
    org_code: str | None
    org_name: str | None
    subject_id: int | None
    subject_code: str
    purpose: str
    channel: str
    outcome: str
    refusal_code: str | None
    refusal_reason: str | None
    items: list[str]
    record_ids: list[int]
    consent_id: int | None
    identity_check: str | None
    request_id: str | None


class InquiryLogPage(BaseModel):
    items: list[InquiryLogRead]
    total: int
    page: int
    pages: int


class SubjectInquiryRead(BaseModel):
    """What a subject sees of who looked (Art. 31): the unit, why, when, through which channel
    and which items — never the staff member's name."""

    organisation: str
    purpose: str
    at: datetime
    channel: str
    items: list[str]


class SubjectInquiries(BaseModel):
    items: list[SubjectInquiryRead]


class ConsentCreate(Closed):
    #: The organisation code of the credit service institution.
    grantee: Text64
    items: list[str] = Field(min_length=1, max_length=50)
    purpose: Text64
    expires_at: AwareDatetime
    private_fields: bool = False
    #: Art. 38: the subject affirms that no one made this consent a condition of another
    #: service. Sending the request is that affirmation (default ``true``); ``false`` is
    #: refused, and the web form makes the subject tick it.
    not_a_condition_of_service: bool = True


class ConsentRead(BaseModel):
    id: int
    subject_id: int
    grantee: str
    grantee_name: str
    items: list[str]
    purpose: str
    private_fields: bool
    not_a_condition_of_service: bool
    granted_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    #: ``live``, ``expired`` or ``revoked`` at the time of reading.
    status: str


class ConsentList(BaseModel):
    items: list[ConsentRead]


class InquiryLogQuery(Closed):
    """The auditor's filters and order of the inquiry log (dates are platform-local days,
    ``until`` included)."""

    subject: str | None = Field(default=None, max_length=64)
    org: str | None = Field(default=None, max_length=64)
    purpose: str | None = Field(default=None, max_length=64)
    outcome: Literal["answered", "refused"] | None = None
    since: date | None = None
    until: date | None = None
    sort: Literal["at", "subject", "organisation", "purpose", "outcome"] = "at"
    order: Literal["asc", "desc"] = "desc"
