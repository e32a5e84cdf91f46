"""A real HTTP endpoint on 127.0.0.1 for webhook tests: it verifies each signature the way
a subscriber would and answers with the status the test sets."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from xinyong.feed import signing


@dataclass
class Receiver:
    secret: str
    status: int = 200
    url: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)


@contextmanager
def receiver(secret: str, status: int = 200) -> Iterator[Receiver]:
    state = Receiver(secret=secret, status=status)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            delivery = self.headers.get(signing.DELIVERY_HEADER, "")
            state.received.append(
                {
                    "valid": signing.verify(
                        state.secret,
                        header=self.headers.get(signing.SIGNATURE_HEADER, ""),
                        delivery_id=delivery,
                        body=body,
                    ),
                    "tampered_valid": signing.verify(
                        state.secret,
                        header=self.headers.get(signing.SIGNATURE_HEADER, ""),
                        delivery_id=delivery,
                        body=body + b" ",
                    ),
                    "delivery": delivery,
                    "timestamp": self.headers.get(signing.TIMESTAMP_HEADER),
                    "payload": json.loads(body),
                }
            )
            self.send_response(state.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output quiet

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
