"""The worker's ``publish`` job (issue 15 item 4): one publication from the core into the
store, every minute and just after local midnight (the day's expiring windows)."""

from __future__ import annotations

from xinyong.core.clock import Clock
from xinyong.db.session import make_session_factory
from xinyong.ops.scheduler import JobContext
from xinyong.publication import store
from xinyong.publication.publish import publish


def publish_job(ctx: JobContext) -> str:
    public = store.store_engine(ctx.settings)
    try:
        store.ensure_schema(public)
        summary = publish(
            make_session_factory(ctx.engine, writes=False),
            store.write_factory(public),
            Clock(ctx.settings.now),
            settings=ctx.settings,
        )
    finally:
        public.dispose()
    return (
        f"subjects changed {summary.subjects_changed} of {summary.subjects_examined}, "
        f"files {summary.files_written}, audit seq {summary.audit_seq}"
    )
