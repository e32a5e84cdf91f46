"""Use cases of operations that people reach: the credit office's view of the jobs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from xinyong.core.actor import Actor
from xinyong.core.permissions import require
from xinyong.ops.jobs import all_jobs
from xinyong.ops.scheduler import job_states
from xinyong.ops.schemas import JobRead, JobsRead


def list_jobs(session: Session, *, actor: Actor, at: datetime) -> JobsRead:
    """Every job the worker runs, with its last and next run (a job never run yet has none).
    ``running``: a worker holds its lease now."""
    require(actor, "ops:jobs")
    rows = {r.name: r for r in job_states(session)}
    items = []
    for job in all_jobs():
        r = rows.get(job.name)
        running = r is not None and r.lease_until is not None and r.lease_until > at
        items.append(
            JobRead(
                name=job.name,
                title=job.title,
                schedule=job.schedule.describe(),
                next_run_at=r.next_run_at if r else None,
                running=running,
                lease_owner=r.lease_owner if r and running else None,
                last_started_at=r.last_started_at if r else None,
                last_finished_at=r.last_finished_at if r else None,
                last_status=r.last_status if r else None,
                last_summary=r.last_summary if r else None,
                last_error=r.last_error if r else None,
                last_duration_ms=r.last_duration_ms if r else None,
                runs=r.runs if r else 0,
                failures=r.failures if r else 0,
                consecutive_failures=r.consecutive_failures if r else 0,
            )
        )
    return JobsRead(items=items)
