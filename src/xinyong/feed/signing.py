"""Signed webhook payloads (COL-4).

Headers sent with every delivery::

    X-Xinyong-Delivery:  <delivery id>
    X-Xinyong-Timestamp: <unix seconds>
    X-Xinyong-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>

The HMAC key is the subscription's secret; the signed message is the bytes
``"<timestamp>.<delivery id>." + raw body``. Binding the timestamp and delivery id into the
signature lets a receiver refuse replays (an old timestamp, a delivery id already handled)
without trusting unsigned headers. Receivers compare in constant time.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Xinyong-Signature"
DELIVERY_HEADER = "X-Xinyong-Delivery"
TIMESTAMP_HEADER = "X-Xinyong-Timestamp"


def _message(timestamp: int, delivery_id: int | str, body: bytes) -> bytes:
    return f"{timestamp}.{delivery_id}.".encode() + body


def signature(secret: str, *, timestamp: int, delivery_id: int | str, body: bytes) -> str:
    """The ``X-Xinyong-Signature`` header value."""
    mac = hmac.new(secret.encode(), _message(timestamp, delivery_id, body), hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def signed_headers(secret: str, *, timestamp: int, delivery_id: int, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        DELIVERY_HEADER: str(delivery_id),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(
            secret, timestamp=timestamp, delivery_id=delivery_id, body=body
        ),
    }


def verify(
    secret: str,
    *,
    header: str,
    delivery_id: str,
    body: bytes,
    now: int | None = None,
    tolerance: int = 300,
) -> bool:
    """What a receiver does: check the signature, and (given ``now``) the timestamp's age."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    t, v1 = parts.get("t", ""), parts.get("v1", "")
    if not t.isdigit() or not v1:
        return False
    if now is not None and abs(now - int(t)) > tolerance:
        return False
    expected = signature(secret, timestamp=int(t), delivery_id=delivery_id, body=body)
    return hmac.compare_digest(expected, f"t={t},v1={v1}")
