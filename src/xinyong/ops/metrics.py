"""Prometheus metrics (``GET /metrics``; issue 15 item 6).

Two kinds:

- Per request, kept by the process that answered (``xinyong_http_*``, the pool gauges). With
  ``xinyong serve --workers N`` these use prometheus-client's multiprocess mode: ``serve`` sets
  ``PROMETHEUS_MULTIPROC_DIR`` to a fresh directory before starting the workers, each worker
  writes its samples there, and a scrape answered by any worker sums them all.
- Read from the database at scrape time (audit size and checkpoint age, due webhooks, feed and
  publication lag, the jobs of every worker): the same whichever process answers, because the
  state they describe is in the database, not in a process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy.orm import Session

from xinyong.core.config import Settings
from xinyong.ops.health import figures
from xinyong.ops.scheduler import job_states

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def multiprocess() -> bool:
    return bool(os.environ.get(MULTIPROC_ENV))


class RequestMetrics:
    """The per-request metrics of one application."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "xinyong_http_requests",
            "HTTP requests answered, by method, route template and status code.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "xinyong_http_request_duration_seconds",
            "Time to answer, by method and route template.",
            ["method", "route"],
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.pool = Gauge(
            "xinyong_db_pool_connections",
            "Connections of the core database pool (summed over live processes).",
            ["state"],
            registry=self.registry,
            multiprocess_mode="livesum",
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def pool_use(self, checked_out: int, size: int) -> None:
        self.pool.labels("checked_out").set(checked_out)
        self.pool.labels("idle").set(max(0, size - checked_out))


class StateCollector(Collector):
    """Figures read from the database at each scrape."""

    def __init__(
        self,
        sessions: Callable[[], Session],
        settings: Settings,
        now: Callable[[], datetime],
    ) -> None:
        self.sessions, self.settings, self.now = sessions, settings, now

    def collect(self) -> Iterator[Metric]:
        at = self.now()
        with self.sessions() as session:
            f = figures(session, self.settings, at)
            jobs = job_states(session)
        yield GaugeMetricFamily("xinyong_audit_entries", "Entries in the audit log.", f.audit_size)
        if f.checkpoint_age_s is not None:
            yield GaugeMetricFamily(
                "xinyong_audit_last_checkpoint_age_seconds",
                "Age of the latest signed checkpoint.",
                f.checkpoint_age_s,
            )
            yield GaugeMetricFamily(
                "xinyong_audit_entries_after_checkpoint",
                "Audit entries not yet covered by a signed checkpoint.",
                f.audit_size - (f.checkpoint_size or 0),
            )
        yield GaugeMetricFamily(
            "xinyong_webhooks_due", "Webhook deliveries due now.", f.webhooks_due
        )
        yield GaugeMetricFamily(
            "xinyong_feed_lag_seconds",
            "Age of the oldest change still waiting to reach a subscriber (0: none waits).",
            f.feed_lag_s,
        )
        if f.publication_lag_s is not None:
            yield GaugeMetricFamily(
                "xinyong_publication_lag_seconds",
                "How far the publication store lags the core.",
                f.publication_lag_s,
            )
        runs = CounterMetricFamily("xinyong_job_runs", "Runs of each periodic job.", labels=["job"])
        fails = CounterMetricFamily(
            "xinyong_job_failures", "Failed runs of each periodic job.", labels=["job"]
        )
        last = GaugeMetricFamily(
            "xinyong_job_last_run_timestamp_seconds", "When each job last finished.", labels=["job"]
        )
        nxt = GaugeMetricFamily(
            "xinyong_job_next_run_timestamp_seconds", "When each job is due next.", labels=["job"]
        )
        failing = GaugeMetricFamily(
            "xinyong_job_consecutive_failures",
            "Failures of each job since its last success.",
            labels=["job"],
        )
        for j in jobs:
            runs.add_metric([j.name], j.runs)
            fails.add_metric([j.name], j.failures)
            nxt.add_metric([j.name], j.next_run_at.timestamp())
            failing.add_metric([j.name], j.consecutive_failures)
            if j.last_finished_at is not None:
                last.add_metric([j.name], j.last_finished_at.timestamp())
        yield from (runs, fails, last, nxt, failing)


def render(requests: RequestMetrics, state: Collector) -> bytes:
    """The Prometheus text of one scrape."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess():
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_Forward(requests.registry))
    registry.register(state)
    return generate_latest(registry)


class _Forward(Collector):
    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterator[Metric]:
        yield from self.registry.collect()
