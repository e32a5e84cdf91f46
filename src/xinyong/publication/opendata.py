"""Open data of public records (issue 17 item 5): per item and decision day, the records the
public is served, as CSV and JSON files with their record count and SHA-256.

Made from the store's own rows (``pub_record``), never from the core: a file can hold nothing
the subject pages do not already show. A file is regenerated whenever one of its records
changes or leaves publicity (withdrawn, repaired, its window ended), so a file never keeps
publishing what the law no longer lets the platform show; its SHA-256 lets a reader prove what
they downloaded, and the audit checkpoint current when it was made ties it to the log.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from xinyong.core.tabular import csv_writer
from xinyong.publication.documents import dumps
from xinyong.publication.models import PubOpenData, PubRecord

FORMATS = ("csv", "json")
#: Columns before the item's fields, in every CSV file.
COLUMNS = (
    "record_id", "item", "subject_code", "subject_name", "subject_type", "decided_on",
    "document_no", "severity", "under_objection", "published_until",
)  # fmt: skip


def _row(rec: dict[str, Any]) -> list[Any]:
    subject = rec["subject"]
    return [
        rec["id"], rec["item"], subject["code"], subject["name"], subject["type"],
        rec["decided_on"], rec["document_no"] or "", rec["severity"] or "",
        "true" if rec["under_objection"] else "false", rec["window_ends_on"] or "",
    ]  # fmt: skip


def render_csv(records: list[dict[str, Any]]) -> str:
    fields = sorted({k for r in records for k in r["fields"]})
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow([*COLUMNS, *fields])
    for rec in records:
        writer.writerow([*_row(rec), *(_cell(rec["fields"].get(f)) for f in fields)])
    return out.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return dumps(value)
    return str(value)


def render_json(item: str, day: date, records: list[dict[str, Any]]) -> str:
    return dumps({"item": item, "date": day.isoformat(), "records": records})


def regenerate(
    session: Session,
    stale: Iterable[tuple[str, date]],
    *,
    checkpoint: dict[str, Any] | None,
    at: datetime,
) -> int:
    """Rewrite the files of each ``(item, day)`` from the store's rows; a day left without
    records loses its files. Returns how many files were written or removed."""
    n = 0
    cp = json.dumps(checkpoint, ensure_ascii=False) if checkpoint is not None else None
    session.flush()
    rows: list[dict[str, Any]] = []
    for item, day in sorted(set(stale)):
        bodies = session.scalars(
            select(PubRecord.body)
            .where(PubRecord.item == item, PubRecord.day == day)
            .order_by(PubRecord.record_id)
        ).all()
        session.execute(delete(PubOpenData).where(PubOpenData.item == item, PubOpenData.day == day))
        n += len(FORMATS)
        if not bodies:
            continue
        records = [json.loads(b) for b in bodies]
        for fmt, content in (
            ("csv", render_csv(records)),
            ("json", render_json(item, day, records)),
        ):
            rows.append(
                {
                    "item": item, "day": day, "format": fmt, "records": len(records),
                    "sha256": hashlib.sha256(content.encode()).hexdigest(), "content": content,
                    "checkpoint": cp, "generated_at": at,
                }
            )  # fmt: skip
    if rows:
        session.execute(insert(PubOpenData), rows)
    session.flush()
    return n
