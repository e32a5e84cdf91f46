"""``publish``: bring the publication store up to date from the core, one way (issue 15).

Work proceeds in units, each in its own store transaction that begins by locking the state
row, so a publisher stopped at any point resumes where the last commit left it and several
publishers (the worker, ``xinyong publish``, the one-process server) never do a unit twice:

1. **Rebuild** (first run, a new store, or a catalogue change that may alter every answer):
   every subject in id order, :data:`CHUNK` per transaction; the audit head at its start is
   kept, and the changes made meanwhile are then caught up by step 2.
2. **Changes**: the subjects named by the audit entries and feed changes after the last
   published sequence number, and subjects registered since, are recomputed.
3. **The day**: on a new platform-local day, every subject whose answer changes by itself
   (a window or list period ended at midnight) is recomputed, with no change needed.

Each unit also rewrites the open-data files its records belong to. The published catalogue is
copied at the end of a rebuild (every catalogue change starts one) and on each new day (an
item comes into force on its effective day); every publication ends by copying the latest
signed audit checkpoint if it is newer. Recomputing a subject whose answer did not change
writes nothing: publishing twice is publishing once.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from xinyong.audit import service as audit_service
from xinyong.catalogue import service as catalogue_service
from xinyong.core.clock import Clock, local_date
from xinyong.core.config import Settings
from xinyong.db.uow import use_case
from xinyong.publication import opendata, source, writer
from xinyong.publication.documents import SubjectDocument, subject_document
from xinyong.publication.models import PubState
from xinyong.publication.store import PUBLISHED, lock_state
from xinyong.reports import service as report_service

#: Subjects per store transaction in a rebuild.
CHUNK = 500

SessionFactory = Callable[[], Session]


@dataclass
class PublishSummary:
    """What one ``publish`` did (the worker logs it; ``xinyong publish`` prints it)."""

    rebuilt: bool = False
    subjects_examined: int = 0
    subjects_changed: int = 0
    files_written: int = 0
    reports_published: int = 0
    catalogue_changed: int = 0
    checkpoint_size: int | None = None
    audit_seq: int = -1
    day: date | None = None
    seconds: float = 0.0
    units: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "rebuilt": self.rebuilt, "subjects_examined": self.subjects_examined,
            "subjects_changed": self.subjects_changed, "files_written": self.files_written,
            "reports_published": self.reports_published,
            "catalogue_changed": self.catalogue_changed, "checkpoint_size": self.checkpoint_size,
            "audit_seq": self.audit_seq, "day": self.day.isoformat() if self.day else None,
            "seconds": round(self.seconds, 3), "units": self.units,
        }  # fmt: skip


def publish(
    core_session_factory: SessionFactory,
    public_session_factory: SessionFactory,
    clock: Clock,
    *,
    rebuild: bool = False,
    settings: Settings | None = None,
) -> PublishSummary:
    """Publish everything the core discloses to the public at ``clock.now()``; ``settings``
    name the audit key whose public half the checkpoint answer carries (default: the
    environment's, as the core server's own)."""
    started = time.perf_counter()
    summary = PublishSummary()
    at = clock.now()
    if rebuild:
        _unit(core_session_factory, public_session_factory, at, summary, _start_rebuild)
    while _unit(core_session_factory, public_session_factory, at, summary, _next_unit):
        pass
    checked = functools.partial(_checked, settings=settings or Settings())
    _unit(core_session_factory, public_session_factory, at, summary, checked)
    summary.seconds = time.perf_counter() - started
    return summary


Unit = Callable[[Session, Session, PubState, datetime, PublishSummary], bool]


def _unit(
    core_factory: SessionFactory,
    public_factory: SessionFactory,
    at: datetime,
    summary: PublishSummary,
    unit: Unit,
) -> bool:
    core = core_factory()
    try:
        # The store's write is the unit of work; the core is only read.
        with use_case(public_factory) as uow:
            state = lock_state(uow.session)
            more = unit(core, uow.session, state, at, summary)
            summary.audit_seq, summary.day = state.audit_seq, state.published_on
        return more
    finally:
        core.rollback()
        core.close()


def _checked(
    core: Session,
    pub: Session,
    state: PubState,
    at: datetime,
    summary: PublishSummary,
    *,
    settings: Settings,
) -> bool:
    """The store is current as of ``at``, with the latest signed checkpoint (a checkpoint adds
    no audit entry, so it is looked for on every publication)."""
    read = audit_service.latest_checkpoint_read(core, settings=settings)
    held = None if read is None else (read.size, read.model_dump_json())
    if writer.store_checkpoint(pub, held):
        summary.checkpoint_size = None if read is None else read.size
        summary.units.append(f"checkpoint:{summary.checkpoint_size}")
    state.checked_at = at
    return False


def _start_rebuild(
    core: Session, pub: Session, state: PubState, at: datetime, summary: PublishSummary
) -> bool:
    state.rebuild_seq = source.audit_head(core)
    state.rebuild_after = 0
    summary.rebuilt = True
    summary.units.append("rebuild")
    return True


def _next_unit(
    core: Session, pub: Session, state: PubState, at: datetime, summary: PublishSummary
) -> bool:
    """Do the next unit of work, if any; True when there may be more."""
    if state.rebuild_seq is None and state.published_at is None:
        return _start_rebuild(core, pub, state, at, summary)
    if state.rebuild_seq is not None:
        ids = source.subject_ids_after(core, state.rebuild_after, limit=CHUNK)
        if ids:
            _publish_subjects(core, pub, ids, at, summary, files=False)
            state.rebuild_after = ids[-1]
            state.subject_high = max(state.subject_high, ids[-1])
            return True
        # Every file once at the end of a rebuild, not once per chunk that touches its day.
        checkpoint = source.latest_checkpoint(core)
        every = writer.open_data_days(pub)
        summary.files_written += opendata.regenerate(pub, every, checkpoint=checkpoint, at=at)
        _publish_reports(core, pub, state, summary)
        _publish_catalogue(core, pub, at, summary)
        state.audit_seq, state.rebuild_seq = state.rebuild_seq, None
        state.published_on, state.published_at = local_date(at), at
        return True
    head = source.audit_head(core)
    if head > state.audit_seq:
        if source.global_change(core, after=state.audit_seq, upto=head):
            return _start_rebuild(core, pub, state, at, summary)
        dirty = source.touched_subjects(core, after=state.audit_seq, upto=head)
        high = source.max_subject_id(core)
        dirty |= set(
            source.subject_ids_after(
                core, state.subject_high, limit=max(high - state.subject_high, 1)
            )
        )
        _publish_subjects(core, pub, dirty, at, summary)
        _publish_reports(core, pub, state, summary)
        state.audit_seq, state.subject_high = head, max(state.subject_high, high)
        state.published_at = at
        summary.units.append(f"changes:{len(dirty)}")
        return True
    today = local_date(at)
    if state.published_on is None or state.published_on < today:
        due = writer.due_for_refresh(pub, today)
        _publish_subjects(core, pub, due, at, summary)
        _publish_catalogue(core, pub, at, summary)
        state.published_on, state.published_at = today, at
        summary.units.append(f"day:{len(due)}")
        return True
    return False


def _publish_subjects(
    core: Session,
    pub: Session,
    ids: Collection[int],
    at: datetime,
    summary: PublishSummary,
    *,
    files: bool = True,
) -> None:
    if not ids:
        return
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        docs: list[SubjectDocument] = []
        for subject in source.subjects(core, chunk):
            doc = subject_document(core, subject, at=at)
            if doc is not None:
                docs.append(doc)
        changed, stale = writer.store_subjects(
            pub, chunk, docs, source.name_grams(core, chunk), at=at
        )
        summary.subjects_examined += len(chunk)
        summary.subjects_changed += changed
        if stale and files:
            checkpoint = source.latest_checkpoint(core)
            summary.files_written += opendata.regenerate(pub, stale, checkpoint=checkpoint, at=at)


def _publish_reports(core: Session, pub: Session, state: PubState, summary: PublishSummary) -> None:
    """Copy the verification answer of every report issued since the last publication (an
    issued report is audited, so its issue always comes with a change to publish)."""
    while reports := report_service.reports_after(core, after=state.report_high, limit=CHUNK):
        writer.store_reports(
            pub,
            [(r.number, report_service.verification_of(r).model_dump_json(by_alias=True,
                                                                          exclude_none=True))
             for r in reports],
        )  # fmt: skip
        state.report_high = reports[-1].id
        summary.reports_published += len(reports)


def _publish_catalogue(core: Session, pub: Session, at: datetime, summary: PublishSummary) -> None:
    """Copy every catalogue item's public answer at ``at`` (rows that did not change are left
    as they are)."""
    details = catalogue_service.public_details(core, at=at)
    summary.catalogue_changed += writer.store_catalogue(
        pub, [(d.code, d.tier.value, d.model_dump_json()) for d in details]
    )


def is_behind(core: Session, pub: Session, at: datetime) -> bool:
    """Whether :func:`publish` has work to do (two reads, no lock): a change after the last
    published one, a rebuild unfinished, or a new day."""
    return behind(pub.execute(PUBLISHED).first(), lambda: source.audit_head(core), at)


def behind(marks: Sequence[Any] | None, head: Callable[[], int], at: datetime) -> bool:
    """:func:`is_behind` on the values of ``store.PUBLISHED`` (``None``: no state row yet);
    ``head`` reads the core's audit head, only when the state row alone does not decide."""
    if marks is None:
        return True
    audit_seq, published_on, published_at, rebuild_seq = marks[:4]
    if published_at is None or rebuild_seq is not None or published_on is None:
        return True
    day = published_on if isinstance(published_on, date) else date.fromisoformat(published_on)
    if day < local_date(at):
        return True
    return head() > int(audit_seq)
