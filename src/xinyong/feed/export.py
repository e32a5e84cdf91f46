"""Export in the national exchange layout (COL-4; Art. 6): the current version of every
active record of one item as a double-publicity (双公示) CSV, headed by the item's field
codes (``headers="zh"``: the Chinese column names), plus ``source_id`` (the provider's own
id, when it gave one) and, for negative items without a ``severity`` field, ``severity``.

The file is the shape ``POST /records/batches`` and ``xinyong import`` accept, so exporting
and re-importing by the same provider yields "unchanged" for every row. Columns follow the
item version in force; a field only an older version had is not exported.

Authorise, look the item up and write the audit entry eagerly (a refusal is a clean 4xx),
then stream: rows are fetched in slices and written line by line, so memory stays flat.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from xinyong.accounts.models import Organisation
from xinyong.audit.service import record_event
from xinyong.catalogue.service import require_published_version
from xinyong.core.actor import Actor
from xinyong.core.errors import InvalidInput, PermissionDenied
from xinyong.core.permissions import allowed, require
from xinyong.core.tabular import csv_writer
from xinyong.inquiry.models import InquiryChannel
from xinyong.inquiry.reads import Seen, log_look
from xinyong.inquiry.rules import read_is_logged
from xinyong.records.models import Record, RecordStatus, RecordVersion
from xinyong.records.reading import source_id_of
from xinyong.subjects.models import Subject

Headers = Literal["code", "zh"]
FETCH = 1000
SOURCE_ID = ("source_id", "来源编号")
SEVERITY = ("severity", "失信严重程度")


def _provider_scope(session: Session, actor: Actor, org_code: str | None) -> int | None:
    """Which provider's records: the credit office any (or the one named), a provider its own."""
    if allowed(actor, "records:read_any"):
        if org_code is None:
            return None
        org = session.scalar(select(Organisation).where(Organisation.code == org_code.strip()))
        if org is None:
            raise InvalidInput(f"机构 {org_code} 不存在 / no organisation {org_code}")
        return org.id
    require(actor, "records:deliver")
    if actor.org_id is None:
        raise PermissionDenied("账号不属于任何报送单位 / the account belongs to no provider unit")
    if org_code is not None and org_code.strip() != actor.org_code:
        raise PermissionDenied("只能导出本单位的记录 / you may export only your own records")
    return actor.org_id


def _seen(session: Session, item_code: str, org_id: int | None) -> Iterator[Seen]:
    """Each active record of the item the export holds, with its subject, in slices."""
    query = (
        select(Record.id, Record.subject_id, Subject.code)
        .join(Subject, Subject.id == Record.subject_id)
        .where(Record.item_code == item_code, Record.status == RecordStatus.ACTIVE)
        .execution_options(yield_per=FETCH)
    )
    if org_id is not None:
        query = query.where(Record.provider_org_id == org_id)
    for record_id, subject_id, code in session.execute(query):
        yield Seen(subject_id, code, item_code, record_id)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def export_records(
    session: Session,
    *,
    actor: Actor,
    item_code: str,
    at: datetime,
    org_code: str | None = None,
    headers: Headers = "code",
) -> Iterator[str]:
    """CSV text chunks (header first) of the current versions of active records of an item."""
    if headers not in ("code", "zh"):
        raise InvalidInput("headers 须为 code 或 zh / headers must be code or zh")
    org_id = _provider_scope(session, actor, org_code)
    version = require_published_version(session, item_code, at=at)
    specs = list(version.fields)
    codes = [str(f["code"]) for f in specs]
    with_severity = "severity" not in codes and version.polarity.value == "negative"
    pick = 0 if headers == "code" else 1
    header = [SOURCE_ID[pick]]
    header += [str(f["code"] if pick == 0 else f.get("name_zh") or f["code"]) for f in specs]
    if with_severity:
        header.append(SEVERITY[pick])
    if read_is_logged(str(version.publicity)):
        # A non-public item exported is a look at each subject it covers (Art. 20, 31).
        log_look(
            session, actor=actor, channel=InquiryChannel.EXPORT, at=at,
            seen=_seen(session, item_code, org_id),
        )  # fmt: skip
    record_event(
        session,
        actor=actor,
        tag="feed:records:export",
        at=at,
        object_type="catalogue_item",
        object_id=item_code,
        after={"item": item_code, "org_id": org_id, "headers": headers},
    )
    session.flush()

    query = (
        select(Record.source_key, Record.severity, RecordVersion.fields)
        .join(
            RecordVersion,
            and_(
                RecordVersion.record_id == Record.id,
                RecordVersion.version == Record.current_version,
            ),
        )
        .where(Record.item_code == item_code, Record.status == RecordStatus.ACTIVE)
        .order_by(Record.id)
        .execution_options(yield_per=FETCH)
    )
    if org_id is not None:
        query = query.where(Record.provider_org_id == org_id)

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv_writer(buffer, lineterminator="\n")
        buffer.write("\ufeff")  # spreadsheet programs then read the Chinese as UTF-8
        writer.writerow(header)
        for n, (key, severity, fields) in enumerate(session.execute(query)):
            row = [_text(source_id_of(key))] + [_text(fields.get(c)) for c in codes]
            if with_severity:
                row.append(_text(severity.value if severity else None))
            writer.writerow(row)
            if n % 200 == 199:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return lines()
