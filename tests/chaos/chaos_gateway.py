"""A tiny gateway double process for the crash test: records every POST, answers 200.

Run as ``python chaos_gateway.py PORTFILE``; writes its port to PORTFILE when ready.
``GET /log`` returns the receipts as JSON lines ``{"ma_lk": ..., "sha256": ...}``.
"""

from __future__ import annotations

import hashlib
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

RECEIPTS: list[dict[str, str]] = []
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with LOCK:
            RECEIPTS.append(
                {"ma_lk": self.headers.get("X-MA-LK", ""), "sha256": hashlib.sha256(body).hexdigest()}
            )
            n = len(RECEIPTS)
        time.sleep(0.03)  # widen the window in which a kill loses the reply
        self._send({"maKetQua": "200", "maGiaoDich": f"GD{n}", "thoiGianTiepNhan": "20261122100000"})

    def do_GET(self) -> None:
        with LOCK:
            self._send(list(RECEIPTS))

    def _send(self, data: object) -> None:
        raw = json.dumps(data).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Path(sys.argv[1]).write_text(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
