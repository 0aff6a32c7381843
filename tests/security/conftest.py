"""Fixtures of the security tests: a canary file and a loopback listener that must never be reached."""

from __future__ import annotations

import secrets
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "badinput"))

from security_support import Canary, Listener


@pytest.fixture(scope="session")
def canary(tmp_path_factory: pytest.TempPathFactory) -> Canary:
    secret = f"CANARY-{secrets.token_hex(8)}"
    path = tmp_path_factory.mktemp("canary") / "secret.txt"
    path.write_text(secret, encoding="utf-8")
    return Canary(path=path, secret=secret)


@pytest.fixture(scope="session")
def listener(canary: Canary) -> Iterator[Listener]:
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            body = f'<!ENTITY leak "{canary.secret}">'.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/xml-dtd")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Listener(url=f"http://127.0.0.1:{server.server_address[1]}", hits=hits)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def fresh_listener(listener: Listener) -> Listener:
    listener.hits.clear()
    return listener
