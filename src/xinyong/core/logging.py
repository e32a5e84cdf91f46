"""Structured (JSON-lines) logs carrying the request id, with identity numbers masked.

No resident identity number reaches a log line (Art. 18; PLT-3): the platform's own lines are
masked by :class:`JsonFormatter` (message, fields and traceback), the server's access and error
lines — a path like ``/api/v1/identifiers/check?value=<number>`` — by :class:`MaskIdentityNumbers`,
a filter installed on uvicorn's loggers here and on its handlers by ``xinyong serve``.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from xinyong.core.context import current_request_id
from xinyong.core.redaction import mask_resident_ids

#: The server's loggers whose lines carry request paths.
SERVER_LOGGERS = ("uvicorn", "uvicorn.access", "uvicorn.error")


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_resident_ids(value)
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_masked(v) for v in value)
    return value


class MaskIdentityNumbers(logging.Filter):
    """Masks identity numbers in a record's message and arguments (never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_resident_ids(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_masked(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = _masked(record.args)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": current_request_id(),
        }
        extra = getattr(record, "fields", None)
        if isinstance(extra, dict):
            payload.update(extra)
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        # Masked as a whole line: message, fields (whatever their type) and traceback alike.
        return mask_resident_ids(json.dumps(payload, ensure_ascii=False, default=str))


def mask_server_logs() -> None:
    """Install the masking filter on the server's loggers (once)."""
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, MaskIdentityNumbers) for f in logger.filters):
            logger.addFilter(MaskIdentityNumbers())


def configure_logging(level: str = "INFO") -> None:
    mask_server_logs()
    root = logging.getLogger("xinyong")
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        root.setLevel(level)
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False
