"""Pydantic shapes of the publication store's own answers (open data, the public lists, the
latest double-publicity decisions)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel

from xinyong.core.wire import Closed
from xinyong.disclosure.schemas import PublicSubjectBrief


class OpenDataFile(BaseModel):
    item: str
    date: date
    format: str
    records: int
    sha256: str
    url: str
    #: The audit checkpoint current when the file was made (``GET /audit/checkpoint`` shape,
    #: without the public key), or None before the first checkpoint.
    checkpoint: dict[str, Any] | None


class OpenDataIndex(BaseModel):
    items: list[OpenDataFile]


class PublicListEntry(BaseModel):
    """An entry in force of a public list (``serious_dishonesty`` or ``red_list``), as its
    public record shows it: the subject masked like every public answer (DIS-3)."""

    kind: str
    record_id: int
    subject: PublicSubjectBrief
    #: The day the entry was decided (listed, or adopted).
    decided_on: date
    #: Last day of the entry, when it has one.
    until: date | None
    #: The deciding organ.
    organ: str | None
    basis: str | None
    document_no: str | None
    #: Red list: the title of the honour; serious dishonesty: the ground for listing.
    title: str | None


class PublicLists(BaseModel):
    items: list[PublicListEntry]


class PublicDecision(BaseModel):
    """A double-publicity decision (administrative licensing or penalty) as the public is
    served it, for the home page's latest decisions."""

    item: str
    record_id: int
    subject: PublicSubjectBrief
    decided_on: date
    document_no: str | None
    authority: str | None
    #: What was licensed, or the violation penalised.
    summary: str | None


#: The public lists, by the catalogue item their entries are published as.
ListKind = Literal["serious_dishonesty", "red_list"]


class PublicListsQuery(Closed):
    """The public lists page's filter and order (``/public/lists``, its CSV twin)."""

    kind: ListKind | None = None
    sort: Literal["decided_on", "subject", "kind", "until"] = "decided_on"
    order: Literal["asc", "desc"] = "desc"
