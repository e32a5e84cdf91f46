"""Tables of the publication store: its own metadata, never part of the core schema.

The store holds only what the disclosure policy serves to the public, already masked and
windowed (Art. 18; DIS-1…5): each subject's publicity answer as serialised JSON, the
organisation name index, the public lists, the open-data files, report verifications, the
published catalogue and the latest signed audit checkpoint. It holds no account, no
non-public field and no full identity number: a subject is found by ``code_key``, the SHA-256
of its normalised code under a domain prefix, never by the code itself (a person's number
appears only masked inside the documents).

The schema is created by :func:`xinyong.publication.store.ensure_schema` (``create_all`` of
this metadata plus a version row in ``pub_state``); a store of an older version is rebuilt
from the core, which it only ever mirrors.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Index, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from xinyong.db.base import NAMING_CONVENTION, Conventions
from xinyong.db.types import Count, IndexedInt, Str16, Str32, Str64, Str300

#: Bumped whenever a table below changes; a store at another version is rebuilt.
SCHEMA_VERSION = 4


class PublicBase(Conventions, DeclarativeBase):
    """Separate metadata: the core's ``Base.metadata`` and Alembic never see these tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class PubState(PublicBase):
    """The single row (``id = 1``): schema version and how far the store is published."""

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    schema_version: Mapped[int]
    #: Last core audit sequence number whose changes are published (-1: none yet).
    audit_seq: Mapped[int] = mapped_column(BigInteger, default=-1)
    #: Platform-local day of the last publication (expiring windows are applied per day).
    published_on: Mapped[date | None]
    published_at: Mapped[datetime | None]
    #: Highest core subject id published: newer subjects are published even without changes.
    subject_high: Mapped[Count]
    #: When a publication last found the store current (each run ends by setting it), so the
    #: public server can tell a quiet store from a stalled publisher.
    checked_at: Mapped[datetime | None]
    #: Highest core credit report id whose verification is published.
    report_high: Mapped[Count]
    #: A full rebuild under way: the audit head it started at, and the last subject id done.
    rebuild_seq: Mapped[int | None] = mapped_column(BigInteger)
    rebuild_after: Mapped[Count]


class PubSubject(PublicBase):
    """One subject's publicity answer (``GET /public/subjects/{code}``), ready to send."""

    #: ``keys.code_key(code)``: the one primary-key lookup of a public read by code.
    code_key: Mapped[Str64] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(unique=True)
    type: Mapped[Str32]
    #: The subject as search results show it (masked), JSON.
    brief: Mapped[str]
    #: The whole answer, JSON as the API sends it.
    body: Mapped[str]
    #: First day on which the answer changes with no new change (a window or period ends).
    refresh_on: Mapped[date | None] = mapped_column(index=True)
    published_at: Mapped[datetime]


class PubNameGram(PublicBase):
    """The organisation name index (as ``subjects.name_index``): one row per bigram of every
    current and former name key. Natural persons are never indexed."""

    gram: Mapped[str] = mapped_column(String(8), primary_key=True)
    name_key: Mapped[Str300] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(primary_key=True, index=True)


class PubList(PublicBase):
    """A public list entry in force (``GET /public/lists``), JSON as served."""

    kind: Mapped[Str32] = mapped_column(primary_key=True)
    entry_key: Mapped[Str64] = mapped_column(primary_key=True)
    subject_id: Mapped[IndexedInt]
    body: Mapped[str]
    #: First day the entry is no longer in force (``None``: until removed).
    ends_on: Mapped[date | None]


class PubOpenData(PublicBase):
    """One open-data file: an item's public records of one day (issue 17 item 5)."""

    item: Mapped[Str64] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    format: Mapped[str] = mapped_column(String(8), primary_key=True)
    records: Mapped[int]
    sha256: Mapped[Str64]
    content: Mapped[str]
    #: The day's audit checkpoint (``GET /audit/checkpoint`` JSON), or None if none yet.
    checkpoint: Mapped[str | None]
    generated_at: Mapped[datetime]


class PubRecord(PublicBase):
    """A record as the public is served it, with its subject as shown: the rows the open-data
    files are made of (kept beside the subject documents, in the same transaction)."""

    record_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    subject_id: Mapped[IndexedInt]
    item: Mapped[Str64]
    #: Decision day (``decided_on``): the day whose open-data file lists the record.
    day: Mapped[date]

    __table_args__ = (Index("ix_pub_record_item_day", "item", "day", "record_id"),)
    #: The record as served, with the masked subject, JSON.
    body: Mapped[str]


class PubReport(PublicBase):
    """What anyone may learn about an issued report (``GET /reports/{number}``): its number,
    the masked subject, when it was issued and its digest, JSON as served (RGT-1)."""

    number: Mapped[Str32] = mapped_column(primary_key=True)
    body: Mapped[str]


class PubCatalogueItem(PublicBase):
    """One catalogue item as anyone reads it (``GET /catalogue/items/{code}``: its versions,
    the one in force, the public-comment opinions), JSON as served (CAT-1…4). The listings
    (``GET /catalogue/items``, the catalogue page and CSV) are computed from these rows."""

    __tablename__ = "pub_catalogue"

    code: Mapped[Str64] = mapped_column(primary_key=True)
    tier: Mapped[Str16]
    body: Mapped[str]


class PubCheckpoint(PublicBase):
    """The single row (``id = 1``): the latest signed audit checkpoint, JSON as
    ``GET /audit/checkpoint`` sends it (PLT-2): a size, a root hash and a signature."""

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    size: Mapped[int] = mapped_column(BigInteger)
    body: Mapped[str]
