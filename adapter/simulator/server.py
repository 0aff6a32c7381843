"""Run the simulator with uvicorn in a background thread on 127.0.0.1 (optionally over TLS).

``with SimulatorServer(config) as sim: ... sim.base_url ... sim.state ...``. Port 0 picks a free
port. With ``tls=True`` a throw-away CA (trustme) signs a certificate for 127.0.0.1 and
localhost; ``ca_pem_path`` / ``client_ssl_context()`` are what a client needs to trust it.
"""

from __future__ import annotations

import logging
import socket
import ssl
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType

import uvicorn

from adapter.errors import ConfigError
from adapter.simulator.app import create_app
from adapter.simulator.config import SimulatorConfig
from adapter.simulator.state import SimulatorState

log = logging.getLogger(__name__)


class _QuietDrops(logging.Filter):
    """uvicorn logs an error when the app drops a connection on purpose; that is the fault
    being injected, not a bug, so keep it out of the operator's log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "ASGI callable should return None" not in record.getMessage()


class SimulatorServer:
    """A running simulator. Starts in well under a second; ``stop()`` is idempotent."""

    def __init__(self, config: SimulatorConfig, *, state: SimulatorState | None = None) -> None:
        self.config = config
        self.state = state or SimulatorState(config)
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.ca_pem_path: Path | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None

    @property
    def base_url(self) -> str:
        if self._sock is None:
            raise ConfigError("simulator not started")
        host, port = self._sock.getsockname()[:2]
        return f"{'https' if self.config.tls else 'http'}://{host}:{port}"

    def client_ssl_context(self) -> ssl.SSLContext:
        """A context that trusts the simulator's test CA (and nothing else)."""
        if self.ca_pem_path is None:
            raise ConfigError("simulator runs without TLS")
        return ssl.create_default_context(cafile=str(self.ca_pem_path))

    def start(self) -> SimulatorServer:
        uvicorn_log = logging.getLogger("uvicorn.error")
        if not any(isinstance(f, _QuietDrops) for f in uvicorn_log.filters):
            uvicorn_log.addFilter(_QuietDrops())
        try:
            self._sock = socket.create_server((self.config.host, self.config.port))
        except OSError as exc:
            raise ConfigError(f"cannot listen on {self.config.host}:{self.config.port}") from exc
        # asyncio only sets TCP_NODELAY on sockets whose proto is IPPROTO_TCP (create_server gives 0);
        # without it every reply waits ~40 ms for a delayed ACK. Accepted sockets inherit the option.
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._server = uvicorn.Server(self._uvicorn_config())
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]},
                                        name="bhxh-simulator", daemon=True)
        self._thread.start()
        self._wait_started()
        log.info("simulator listening on %s", self.base_url)
        return self

    def _uvicorn_config(self) -> uvicorn.Config:
        tls: dict[str, str] = {}
        if self.config.tls:
            tls = self._make_tls()
        return uvicorn.Config(create_app(self.state), log_config=None, access_log=False, lifespan="off",
                              timeout_graceful_shutdown=1, timeout_keep_alive=30, **tls)  # type: ignore[arg-type]

    def _make_tls(self) -> dict[str, str]:
        import trustme  # test/demo dependency: only needed when TLS is asked for

        self._tmp = tempfile.TemporaryDirectory(prefix="bhxh-sim-")
        folder = Path(self._tmp.name)
        ca = trustme.CA()
        server_cert = ca.issue_cert("127.0.0.1", "localhost")
        self.ca_pem_path = folder / "ca.pem"
        ca.cert_pem.write_to_path(str(self.ca_pem_path))
        server_cert.private_key_and_cert_chain_pem.write_to_path(str(folder / "server.pem"))
        return {"ssl_certfile": str(folder / "server.pem"), "ssl_keyfile": str(folder / "server.pem")}

    def _wait_started(self) -> None:
        deadline = time.monotonic() + 10
        while self._server is not None and not self._server.started:
            if time.monotonic() > deadline or (self._thread is not None and not self._thread.is_alive()):
                self.stop()
                raise ConfigError("simulator did not start")
            time.sleep(0.005)

    def serve_forever(self) -> None:
        """Block until Ctrl-C (the CLI's foreground mode)."""
        try:
            while self._thread is not None and self._thread.is_alive():
                self._thread.join(0.5)
        finally:
            self.stop()

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        if self._sock is not None:
            self._sock.close()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
