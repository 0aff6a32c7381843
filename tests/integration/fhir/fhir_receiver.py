"""A tiny FHIR receiver on 127.0.0.1 that records what it is sent and answers from a script."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Answer:
    status: int = 201
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


@dataclass
class Received:
    method: str
    path: str
    content_type: str
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Receiver:
    base_url: str
    received: list[Received] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)   # consumed in order; default 201


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    receiver = Receiver(base_url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            receiver.received.append(Received("POST", self.path, self.headers.get("Content-Type", ""),
                                              json.loads(raw), dict(self.headers.items())))
            answer = receiver.answers.pop(0) if receiver.answers else Answer(
                headers={"Location": f"{self.path}/stored-{len(receiver.received)}"})
            time.sleep(answer.delay_s)
            try:
                self._answer(answer)
            except (BrokenPipeError, ConnectionResetError):
                return   # the client gave up waiting (the lost-reply test): nothing to answer

        def _answer(self, answer: Answer) -> None:
            data = json.dumps(answer.body or {}).encode()
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/fhir+json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:   # keep test output quiet
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.base_url = f"http://127.0.0.1:{server.server_address[1]}/fhir"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
