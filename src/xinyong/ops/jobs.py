"""The platform's periodic work, as jobs of the scheduler (issue 15 item 4).

- ``audit_integrate`` (every 5 s): folds the audit entries sequenced since into the Merkle
  tree, batch by batch, signing the checkpoints that fall due (PLT-2).
- ``audit_checkpoint`` (every minute): signs and witnesses a checkpoint when the log grew and
  the last one is ten minutes old (PLT-2).
- ``webhooks`` (every 30 s): queues new changes, sends the due deliveries, failed ones again
  with backoff.
- ``escalations`` (every 15 min): escalates overdue objections, corrections and repair
  applications (RGT-2…4, GOV-1).
- ``list_periods`` (daily 00:00:05): writes down list entries whose period ended (Art. 29).
- ``partitions`` (daily 01:00): creates this month's and the next months' partitions
  (PostgreSQL).
- ``publish`` (every minute and 00:00:05): brings the publication store up to date, the day's
  expiring windows included.

Window expiry needs no job in the core: what the disclosure policy shows is computed at read
time against the platform clock. The publication store holds the computed result, so its
``publish`` run just after local midnight is what removes the windows that ended that day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta

from xinyong.audit import service as audit
from xinyong.core.clock import Clock
from xinyong.db.uow import use_case
from xinyong.feed.dispatcher import Send, deliver_due, http_send
from xinyong.lists.entries import close_ended_entries
from xinyong.objections.corrections import escalate_overdue_corrections
from xinyong.objections.decisions import escalate_overdue as escalate_objections
from xinyong.ops import extensions, partitions
from xinyong.ops.schedule import Schedule
from xinyong.ops.scheduler import Job, JobContext
from xinyong.repair.decisions import escalate_overdue as escalate_repairs

JUST_AFTER_MIDNIGHT = time(0, 0, 5)


def audit_integrate(ctx: JobContext) -> str:
    """Integrate until no entry waits, one committed batch at a time."""
    folded, size = 0, 0
    signed: list[int] = []
    while True:
        with use_case(ctx.sessions) as uow:
            done = audit.integrate(uow.session, settings=ctx.settings)
        folded, size = folded + done.entries, done.size
        signed.extend(done.checkpoints)
        if not done.waiting:
            break
    cps = f", checkpoints at {', '.join(map(str, signed))}" if signed else ""
    return f"integrated {folded}, tree size {size}{cps}"


def audit_checkpoint(ctx: JobContext) -> str:
    with use_case(ctx.sessions) as uow:
        session = uow.session
        cp = audit.checkpoint_if_due(session, at=ctx.at, settings=ctx.settings)
    return "not due" if cp is None else f"signed checkpoint at size {cp.size}"


def webhooks(send: Send = http_send, limit: int = 500) -> Callable[[JobContext], str]:
    def run(ctx: JobContext) -> str:
        with use_case(ctx.sessions) as uow:
            session = uow.session
            r = deliver_due(session, at=ctx.at, send=send, limit=limit)
        return f"queued {r.queued}, delivered {r.delivered}, failed {r.failed}, dead {r.dead}"

    return run


def escalations(ctx: JobContext) -> str:
    # i13-uow's ``handling`` package adds escalations of its own: call them here as well.
    with use_case(ctx.sessions) as uow:
        session = uow.session
        objections = escalate_objections(session, at=ctx.at)
        corrections = escalate_overdue_corrections(session, at=ctx.at)
        repairs = escalate_repairs(session, at=ctx.at)
    return f"objections {objections}, corrections {corrections}, repairs {repairs}"


def notices(ctx: JobContext) -> str:
    """Repair notices with their decisions (两书同达) and watchers' notices, from the change
    feed: what a delivery by page or file did not serve at once."""
    with use_case(ctx.sessions) as uow:
        issued = extensions.run_feed_passes(uow.session, ctx.at)
    return ", ".join(f"{name} {n}" for name, n in issued.items()) or "no feed passes wired"


def list_periods(ctx: JobContext) -> str:
    with use_case(ctx.sessions) as uow:
        session = uow.session
        ended = close_ended_entries(session, at=ctx.at)
    return f"entries ended {ended}"


def partitions_ahead(ctx: JobContext) -> str:
    if ctx.engine.dialect.name != "postgresql":
        return "not partitioned (SQLite)"
    # The schedule's running clock, not a frozen platform one: partitions are for real rows.
    with ctx.engine.begin() as conn:
        created = partitions.ensure_ahead(conn, Clock().now())
    return f"created {', '.join(created)}" if created else "nothing to create"


def publication_available() -> bool:
    return extensions.publisher() is not None


def publish(ctx: JobContext) -> str:
    """Bring the publication store up to date (the publisher wired at bootstrap)."""
    run = extensions.publisher()
    assert run is not None
    return run(ctx)


def all_jobs(*, send: Send = http_send) -> list[Job]:
    jobs = [
        Job(
            "audit_integrate",
            "Audit log integration 审计日志并入",
            Schedule(every=audit.INTEGRATE_EVERY),
            audit_integrate,
        ),
        Job(
            "audit_checkpoint",
            "Audit checkpoint 审计检查点",
            Schedule(every=timedelta(minutes=1)),
            audit_checkpoint,
        ),
        Job(
            "webhooks",
            "Webhook deliveries 数据推送",
            Schedule(every=timedelta(seconds=30)),
            webhooks(send),
        ),
        Job(
            "escalations",
            "Escalation of overdue objections, corrections, repairs 超期督办",
            Schedule(every=timedelta(minutes=15)),
            escalations,
        ),
        Job(
            "notices",
            "Repair and watch notices 修复告知与关注提醒",
            Schedule(every=timedelta(minutes=1)),
            notices,
        ),
        Job(
            "list_periods",
            "List periods ending 名单期限届满",
            Schedule(daily_at=JUST_AFTER_MIDNIGHT),
            list_periods,
        ),
        Job(
            "partitions",
            "Partitions ahead 预建分区",
            Schedule(daily_at=time(1, 0)),
            partitions_ahead,
        ),
    ]
    if publication_available():
        # The publication store, wired by ``xinyong.bootstrap.wire``.
        jobs.append(
            Job(
                "publish",
                "Publication to the public store 公示库发布",
                Schedule(every=timedelta(minutes=1), daily_at=JUST_AFTER_MIDNIGHT),
                publish,
            )
        )
    return jobs
