"""The platform's periodic work while ``xinyong serve`` runs (one process).

Today: the audit checkpoint every ten minutes when the log grew (PLT-2; the 1,000-entry
checkpoint is taken by the append itself), and the publication (issue 15). Each pass opens
its own session and commits, so a failed pass leaves nothing half-written and the next pass
tries again.
"""

from __future__ import annotations

import logging
import threading

from xinyong.audit import service as audit
from xinyong.cli.context import clock, open_session
from xinyong.core.config import Settings

log = logging.getLogger("xinyong.periodic")

#: Seconds between passes; the checkpoint itself is due every ``CHECKPOINT_INTERVAL``.
PASS_SECONDS = 60.0


def run_once(settings: Settings) -> bool:
    """One pass of the periodic work; True when a checkpoint was signed."""
    with open_session(settings) as session:
        cp = audit.checkpoint_if_due(session, at=clock(settings).now(), settings=settings)
        session.commit()
    # The publication store, for a public server run beside this one (issue 15); the
    # one-process server's own public routes catch up on read anyway.
    from xinyong.cli.publish import run_publish

    run_publish()
    return cp is not None


def start(settings: Settings, stop: threading.Event) -> threading.Thread:
    """Run :func:`run_once` every :data:`PASS_SECONDS` on a daemon thread until ``stop``."""

    def loop() -> None:
        while not stop.wait(PASS_SECONDS):
            try:
                if run_once(settings):
                    log.info("audit checkpoint signed and witnessed")
            except Exception:  # keep serving; the next pass tries again
                log.exception("periodic work failed")

    thread = threading.Thread(target=loop, name="xinyong-periodic", daemon=True)
    thread.start()
    return thread
