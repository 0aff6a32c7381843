"""The chaos simulator's in-flight counter, on real uvicorn over loopback HTTP.

The concurrency verdict of the chaos run rests on it: a request counts from arrival until
its reply is sent or its client goes away, per account.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType
from typing import Any

import httpx
import pytest
import uvicorn


async def slow_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Sleeps as long as ``?s=`` says, then answers: a stand-in for the simulator's latency."""
    await receive()
    seconds = float(scope["query_string"].decode().partition("s=")[2] or 0)
    await asyncio.sleep(seconds)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.fixture
def base_url(chaos_simulator: ModuleType) -> Iterator[str]:
    sock = socket.create_server(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(chaos_simulator.InFlight(slow_app), log_config=None,
                                           lifespan="off", access_log=False,
                                           timeout_graceful_shutdown=1))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


def inflight(base_url: str) -> dict[str, Any]:
    data: dict[str, Any] = httpx.get(f"{base_url}/chaos/inflight", timeout=5).json()
    return data


def post(base_url: str, user: str, seconds: float, timeout: float = 5.0) -> int:
    return httpx.post(f"{base_url}/api/x?s={seconds}", data={"username": user}, timeout=timeout).status_code


def test_concurrent_requests_are_counted_per_account(base_url: str) -> None:
    with ThreadPoolExecutor(max_workers=5) as pool:
        codes = list(pool.map(lambda u: post(base_url, u, 0.5), ["a", "a", "a", "b", "b"]))
    assert codes == [200] * 5
    report = inflight(base_url)
    assert report["peak"] == {"a": 3, "b": 2}
    assert report["requests"] == {"a": 3, "b": 2}
    assert report["now"] == {"a": 0, "b": 0}
    assert 1.0 < report["mean"]["a"] <= 3.0        # three overlapping requests for most of the span


def test_a_client_that_gave_up_is_no_longer_in_flight(base_url: str) -> None:
    with pytest.raises(httpx.ReadTimeout):
        post(base_url, "a", 3.0, timeout=0.3)        # the server sleeps on; the client is gone
    deadline = time.monotonic() + 2
    while inflight(base_url)["now"].get("a", 0) != 0:
        assert time.monotonic() < deadline, "a disconnected request still counted as in flight"
        time.sleep(0.02)
    assert inflight(base_url)["peak"] == {"a": 1}


def test_other_paths_are_not_counted(base_url: str) -> None:
    assert httpx.get(f"{base_url}/admin/report", timeout=5).status_code == 200
    assert inflight(base_url)["requests"] == {}
