"""Settings, read from ``XINYONG_*`` environment variables (never at import time)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PLATFORM_TIMEZONE = "Asia/Shanghai"
#: The development secret shipped in the code: public, so anything signed with it (sessions,
#: CSRF tokens, sealed second factors) can be forged. ``xinyong serve`` refuses it on any
#: address but loopback, and every page warns while it is in use.
DEV_SECRET_KEY = "change-me-in-production-xinyong"


def _default_var_dir() -> Path:
    return Path.cwd() / "var"


class Settings(BaseSettings):
    """Platform configuration. Every field maps to ``XINYONG_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="XINYONG_", extra="ignore")

    var_dir: Path = Field(default_factory=_default_var_dir)
    database_url: str = ""
    #: The publication store (issue 15): what the public channel serves, and nothing else.
    public_database_url: str = ""
    secret_key: str = DEV_SECRET_KEY
    now: datetime | None = None
    audit_key_path: Path | None = None
    #: Where signed checkpoints are also written, outside the database (PLT-2).
    audit_witness_dir: Path | None = None
    log_level: str = "INFO"
    token_ttl_minutes: int = 60
    session_idle_minutes_admin: int = 15
    session_idle_minutes_other: int = 30
    login_max_failures: int = 5
    login_lock_minutes: int = 15
    rate_limit_per_minute: int = 120
    #: Requests per client address per minute on the public channel (Art. 18; API.md).
    public_rate_per_minute: int = 120
    #: Networks (CIDRs, comma-separated) webhooks may be sent to besides public addresses.
    webhook_allowed_networks: str = ""
    #: Largest request body (uploaded file) accepted, in MB; larger → 413 ``file_too_large``.
    max_upload_mb: int = Field(default=50, ge=1)
    #: PostgreSQL connection pool of each process (SQLAlchemy's QueuePool; docs/deployment.md):
    #: connections kept open, extra ones allowed under load, seconds to wait for one, seconds
    #: after which a connection is replaced.
    db_pool_size: int = Field(default=5, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)
    db_pool_timeout: float = Field(default=30.0, gt=0)
    db_pool_recycle: int = Field(default=1800, ge=-1)
    #: Bearer token that opens ``GET /metrics`` to clients other than loopback.
    metrics_token: str = ""
    #: ``GET /readyz`` fails when the publication store lags the core by more than this.
    ready_max_publication_lag_s: int = Field(default=600, ge=0)
    #: Subjects one organisation may watch at once (关注; ``XINYONG_MAX_WATCHES``).
    max_watches: int = Field(default=500, ge=1)
    #: Answer large batch checks (批量比对) in a thread of the web process; turn off
    #: (``XINYONG_CHECK_BATCH_THREAD=false``) where ``xinyong worker`` answers them.
    check_batch_thread: bool = True

    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    def engine_options(self) -> dict[str, object]:
        """Pool options for :func:`xinyong.db.session.make_engine` (PostgreSQL only)."""
        if not self.resolved_database_url().startswith("postgresql"):
            return {}
        return {
            "pool_size": self.db_pool_size,
            "max_overflow": self.db_max_overflow,
            "pool_timeout": self.db_pool_timeout,
            "pool_recycle": self.db_pool_recycle,
        }

    def uses_dev_secret(self) -> bool:
        return self.secret_key == DEV_SECRET_KEY

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.var_dir / 'xinyong.sqlite3'}"

    def resolved_public_database_url(self) -> str:
        if self.public_database_url:
            return self.public_database_url
        return f"sqlite:///{self.var_dir / 'xinyong-public.sqlite3'}"

    def resolved_audit_key_path(self) -> Path:
        return self.audit_key_path or (self.var_dir / "keys" / "audit-ed25519.pem")

    def resolved_audit_witness_dir(self) -> Path:
        return self.audit_witness_dir or (self.var_dir / "witness")
