"""A worker process for the crash test: drains a SQLite outbox to the gateway double, forever.

Run as ``python chaos_worker.py DB_URL GATEWAY_URL WORKER_ID``. It is SIGKILLed at
random points by the test; nothing here cooperates with that.
"""

from __future__ import annotations

import json
import random
import sys
import time

import httpx

from adapter.errors import TransportError
from adapter.outbox.open import make_engine
from adapter.outbox.retry import RetryPolicy
from adapter.outbox.store import OutboxStore
from adapter.outbox.worker import Worker
from adapter.ports import GatewayReply, Submission, SystemClock

LEASE_S = 1.0


class HttpGateway:
    """The smallest real HTTP gateway client: POST the exact bytes, map failures by type."""

    def __init__(self, url: str) -> None:
        self.client = httpx.Client(base_url=url, timeout=5.0)

    def submit(self, submission: Submission) -> GatewayReply:
        try:
            resp = self.client.post(
                "/submit", content=submission.payload, headers={"X-MA-LK": submission.ma_lk}
            )
        except httpx.HTTPError as exc:
            raise TransportError(type(exc).__name__) from exc
        data = json.loads(resp.content)
        return GatewayReply(
            code=data["maKetQua"],
            transaction_id=data["maGiaoDich"],
            received_at=data["thoiGianTiepNhan"],
            http_status=resp.status_code,
        )


def main() -> None:
    db_url, gateway_url, worker_id = sys.argv[1:4]
    store = OutboxStore(make_engine(db_url))
    policy = RetryPolicy(max_attempts=50)
    worker = Worker(
        store,
        HttpGateway(gateway_url),
        policy,
        clock=SystemClock(),
        worker_id=worker_id,
        rng=random.Random(),
        lease_s=LEASE_S,
        batch_size=3,
    )
    print("ready", flush=True)
    while True:
        worker.drain()
        time.sleep(0.05)


if __name__ == "__main__":
    main()
