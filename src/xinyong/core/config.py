"""Settings, read from ``XINYONG_*`` environment variables (never at import time)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PLATFORM_TIMEZONE = "Asia/Shanghai"


def _default_var_dir() -> Path:
    return Path.cwd() / "var"


class Settings(BaseSettings):
    """Platform configuration. Every field maps to ``XINYONG_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="XINYONG_", extra="ignore")

    var_dir: Path = Field(default_factory=_default_var_dir)
    database_url: str = ""
    secret_key: str = "change-me-in-production-xinyong"
    now: datetime | None = None
    audit_key_path: Path | None = None
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

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.var_dir / 'xinyong.sqlite3'}"

    def resolved_audit_key_path(self) -> Path:
        return self.audit_key_path or (self.var_dir / "keys" / "audit-ed25519.pem")
