"""The gateway simulator for the chaos run, in a process of its own, with an in-flight counter.

    python scripts/chaos_simulator.py SPEC.json

SPEC: ``{"username", "password", "ma_cskcb", "cert" (PEM path), "faults" (Faults fields),
"seed", "url_file"}``. The base URL is written to ``url_file`` once the socket listens;
SIGTERM stops it. It is the package's simulator app (same routes, faults and records),
wrapped in :class:`InFlight`, which serves ``GET /chaos/inflight``: the peak of API
requests in flight per account, which is what ``gateway.max_concurrency`` bounds.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class InFlight:
    """ASGI middleware counting API requests in flight per account, and the peak.

    A request counts from its arrival until its reply is sent or its client goes away:
    after a read timeout or a SIGKILL the adapter has closed the socket and freed its slot
    while the simulator may still be sleeping on the request, and that is no longer
    the adapter's request in flight. Everything runs on the event loop: no lock needed.
    """

    def __init__(self, app: Any) -> None:       # any ASGI app
        self.app = app
        self.now: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()
        self.requests: Counter[str] = Counter()
        self.busy: dict[str, float] = {}          # integral of "now" over time, per account
        self.span: dict[str, tuple[float, float]] = {}   # first and last change

    def report(self) -> dict[str, Any]:
        """Peak; mean in flight between the first request and the last reply; and the running
        integral with its clock, so a caller can take the mean over any window (utilisation)."""
        t = time.monotonic()
        mean = {a: round(self.busy[a] / max(last - first, 1e-9), 2) for a, (first, last) in self.span.items()}
        busy = {a: self.busy[a] + self.now[a] * (t - last) for a, (_, last) in self.span.items()}
        return {"peak": self.peak, "mean": mean, "requests": self.requests, "now": self.now,
                "busy_s": busy, "clock": t}

    def _change(self, account: str, delta: int) -> None:
        t = time.monotonic()
        first, last = self.span.get(account, (t, t))
        self.busy[account] = self.busy.get(account, 0.0) + self.now[account] * (t - last)
        self.span[account] = (first, t)
        self.now[account] += delta
        self.peak[account] = max(self.peak[account], self.now[account])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> Any:
        if scope["type"] == "http" and scope["path"] == "/chaos/inflight":
            return await _json_reply(send, self.report())
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            return await self.app(scope, receive, send)
        body = await _read_body(receive)
        account = _account(scope, body)
        self.requests[account] += 1
        self._change(account, +1)
        done = False

        def leave(*_: object) -> None:
            nonlocal done
            if not done:
                done = True
                self._change(account, -1)

        # With the body read, uvicorn's receive() returns only on disconnect or once the reply is sent.
        gone = asyncio.ensure_future(receive())
        gone.add_done_callback(leave)
        try:
            return await self.app(scope, _replay(body, gone), send)   # the simulator's drop returns True
        finally:
            leave()
            gone.cancel()


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if message["type"] != "http.request" or not message.get("more_body"):
            return b"".join(chunks)


def _replay(body: bytes, gone: asyncio.Future[Message]) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await gone
    return receive


def _account(scope: Scope, body: bytes) -> str:
    """The username: in the query string (card lookup) or the form (token, files)."""
    fields = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
    if not fields.get("username"):
        fields = dict(parse_qsl(body.decode("latin-1"), max_num_fields=50))
    return str(fields.get("username", "?"))


async def _json_reply(send: Send, data: Any) -> None:
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": json.dumps(data).encode()})


class _QuietDrops(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:   # the injected drops are not errors
        return "ASGI callable should return None" not in record.getMessage()


def serve(spec_path: Path) -> None:
    import uvicorn

    from adapter.simulator.app import create_app
    from adapter.simulator.config import Faults, SimulatorConfig
    from adapter.simulator.state import SimulatorState

    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    config = SimulatorConfig(accounts={spec["username"]: (spec["password"], spec["ma_cskcb"])},
                             certificates={spec["ma_cskcb"]: [Path(spec["cert"]).read_bytes()]},
                             faults=Faults().updated(spec["faults"]), seed=spec["seed"])
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("uvicorn.error").addFilter(_QuietDrops())
    sock = socket.create_server(("127.0.0.1", 0))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)     # as SimulatorServer does
    app = InFlight(create_app(SimulatorState(config)))
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False, lifespan="off",
                                           timeout_keep_alive=30, timeout_graceful_shutdown=2))
    Path(spec["url_file"]).write_text(f"http://127.0.0.1:{sock.getsockname()[1]}", encoding="utf-8")
    server.run(sockets=[sock])                                      # until SIGTERM


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
