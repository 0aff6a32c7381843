"""The worker keeps ``concurrency`` submissions in flight: a slot is refilled as soon as it frees,
and no more items are leased than there are slots."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from datetime import datetime

from outbox_doubles import ScriptedGateway

from adapter.outbox.retry import RetryPolicy
from adapter.outbox.states import Status
from adapter.outbox.store import OutboxStore
from adapter.outbox.values import ItemFilter, NewVersion
from adapter.outbox.worker import DrainReport, Worker
from adapter.ports import FixedClock, Submission


def test_a_slow_reply_does_not_hold_the_other_slot(
    store: OutboxStore, make_version: Callable[..., NewVersion], now: datetime
) -> None:
    for i in range(4):
        store.enqueue(make_version(f"LK{i}"), now=now)
    others_done = threading.Event()
    finished: list[str] = []
    sending: list[int] = []

    def hook(sub: Submission) -> None:
        sending.append(sum(r.status is Status.SENDING for r in store.list_items(ItemFilter())))
        if sub.ma_lk == "LK0":      # the slow one: waits until the other slot has sent the rest
            assert others_done.wait(timeout=10), "the free slot was not refilled"
        else:
            finished.append(sub.ma_lk)
            if len(finished) == 3:
                others_done.set()

    worker = Worker(store, ScriptedGateway(hook=hook), RetryPolicy(), clock=FixedClock(at=now),
                    worker_id="w1", rng=random.Random(0), batch_size=2)
    assert worker.drain(concurrency=2) == DrainReport(accepted=4)
    assert finished == ["LK1", "LK2", "LK3"]
    assert max(sending) <= 2                 # leases follow free slots, not a batch of 20
