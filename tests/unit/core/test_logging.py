"""No identity number reaches a log line (issue 12 item 8; Art. 18)."""

from __future__ import annotations

import json
import logging
import sys

from xinyong.cli.serve import log_config
from xinyong.core.logging import JsonFormatter, MaskIdentityNumbers, mask_server_logs

ID18 = "11010519491231002X"


def _record(name: str, msg: str, args: tuple[object, ...], **extra: object) -> logging.LogRecord:
    record = logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_application_lines_are_masked_in_message_fields_and_traceback() -> None:
    try:
        raise ValueError(f"bad subject {ID18}")
    except ValueError:
        exc_info = sys.exc_info()
    record = _record(
        "xinyong.web", "lookup of %s failed", ("110105 19491231 002X",),
        fields={"subject": ID18, "nested": {"path": f"/subjects/{ID18}"}},
    )  # fmt: skip
    record.exc_info = exc_info
    line = JsonFormatter().format(record)
    assert "1949" not in line
    payload = json.loads(line)
    assert payload["message"] == "lookup of 110105***********X failed"
    assert payload["subject"] == "110105***********X"
    assert "110105***********X" in payload["exception"]


def test_the_access_log_path_is_masked() -> None:
    from uvicorn.logging import AccessFormatter

    path = f"/api/v1/identifiers/check?value={ID18}"
    record = _record(
        "uvicorn.access", '%s - "%s %s HTTP/%s" %d', ("127.0.0.1:5000", "GET", path, "1.1", 200)
    )
    assert MaskIdentityNumbers().filter(record) is True
    line = AccessFormatter(fmt="%(client_addr)s - %(request_line)s %(status_code)s").format(record)
    assert ID18 not in line
    assert "value=110105***********X" in line
    assert line.endswith(" 200 OK")


def test_the_server_loggers_and_handlers_carry_the_filter() -> None:
    mask_server_logs()
    for name in ("uvicorn.access", "uvicorn.error"):
        assert any(isinstance(f, MaskIdentityNumbers) for f in logging.getLogger(name).filters)
    config = log_config()
    assert config["filters"]["mask_identity_numbers"]["()"].endswith("MaskIdentityNumbers")
    assert all("mask_identity_numbers" in h["filters"] for h in config["handlers"].values())
