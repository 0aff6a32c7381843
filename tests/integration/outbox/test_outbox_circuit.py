"""An open circuit uses no attempts: the worker gives the item back until the circuit reopens,
and stops claiming meanwhile. Real SQLite outbox, real GatewayClient over httpx.MockTransport."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

import httpx
from pydantic import SecretStr

from adapter.outbox.retry import RetryPolicy
from adapter.outbox.states import Status
from adapter.outbox.store import OutboxStore
from adapter.outbox.values import ItemFilter, NewVersion
from adapter.outbox.worker import DrainReport, Worker
from adapter.ports import FixedClock
from adapter.transport.client import CircuitOpen, GatewayClient
from adapter.transport.config import FacilityAccount, GatewaySettings

POLICY = RetryPolicy(max_attempts=2, base_delay=timedelta(seconds=1), max_delay=timedelta(seconds=1))


def down_gateway(seen: list[str]) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path == "/api/token/take":
            return httpx.Response(200, json={"maKetQua": "200", "APIKey": {
                "access_token": "a", "id_token": "i", "expires_in": "2099-01-01T00:00:00Z"}})
        return httpx.Response(503, text="down")
    return httpx.MockTransport(answer)


def test_open_circuit_releases_items_without_using_attempts(
    store: OutboxStore, make_version: Callable[..., NewVersion], now: datetime
) -> None:
    for i in range(6):
        store.enqueue(make_version(f"LK{i}"), now=now)
    seen: list[str] = []
    settings = GatewaySettings(breaker_failure_threshold=2, breaker_open_s=30, max_concurrency=1)
    account = FacilityAccount(ma_cskcb="79001", username="u", password=SecretStr("p"))
    with GatewayClient(settings, [account], base_url="https://gw.test", transport=down_gateway(seen),
                       clock=FixedClock(at=now)) as client:
        worker = Worker(store, client, POLICY, clock=FixedClock(at=now), worker_id="w1",
                        rng=random.Random(1), batch_size=1)
        report = worker.drain(concurrency=1)

    sent = [p for p in seen if p != "/api/token/take"]
    assert len(sent) == 2                                   # two 5xx open the circuit; nothing more goes out
    assert report == DrainReport(retried=2, deferred=1)     # one item released, then no more claims
    rows = {r.ma_lk: r for r in store.list_items(ItemFilter())}
    released = [r for r in rows.values() if r.status is Status.RETRY_WAIT and r.attempts == 0]
    assert len(released) == 1 and released[0].next_attempt_at == now + timedelta(seconds=30)
    assert "circuit open" in (released[0].last_error or "")
    assert [r.status for r in rows.values()].count(Status.READY) == 3   # never claimed
    detail = store.get(released[0].id)
    assert detail is not None and detail.attempts == ()     # no attempt row: nothing was sent


def test_circuit_open_error_carries_the_reopen_time(now: datetime) -> None:
    from adapter.errors import GatewayUnavailable

    error = CircuitOpen("open", reopens_at=now)
    assert isinstance(error, GatewayUnavailable) and error.reopens_at == now
