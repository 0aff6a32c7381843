"""Signing and the dry run page through the queue: never more than ``batch_size`` payloads at once."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from outbox_doubles import ScriptedGateway

from adapter.outbox.retry import RetryPolicy
from adapter.outbox.states import Status
from adapter.outbox.store import OutboxStore
from adapter.outbox.values import ItemFilter, NewVersion, PendingSignature
from adapter.outbox.worker import DrainReport, Worker
from adapter.ports import FixedClock

MakeVersion = Callable[..., NewVersion]


class CountingStore(OutboxStore):
    """The real store, recording the size of every page it hands out (a subclass, not a patch)."""

    pages: list[int]

    def pending_signatures(self, *, limit: int, now: datetime | None = None,
                           after: int = 0) -> list[PendingSignature]:
        found = super().pending_signatures(limit=limit, now=now, after=after)
        self.pages.append(len(found))
        return found


class Signer:
    certificate_fingerprint = "aa"

    def sign(self, document: bytes) -> bytes:
        return document + b"<Signature/>"


def make_worker(store: OutboxStore, now: datetime, **kw: object) -> Worker:
    return Worker(store, ScriptedGateway(), RetryPolicy(), clock=FixedClock(at=now), worker_id="w",
                  rng=random.Random(0), batch_size=3, **kw)  # type: ignore[arg-type]


def test_signing_pages_by_batch_size_and_signs_everything(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    paged = CountingStore(store.engine)
    paged.pages = []
    for i in range(8):
        paged.enqueue(make_version(f"LK{i}", signed=False), now=now)
    assert make_worker(paged, now, signer=Signer()).sign_pending(limit=100) == 8
    assert paged.pages == [3, 3, 2, 0] and max(paged.pages) <= 3
    assert {r.status for r in paged.list_items(ItemFilter())} == {Status.READY}


def test_signing_limit_is_kept_across_pages(store: OutboxStore, make_version: MakeVersion,
                                            now: datetime) -> None:
    for i in range(8):
        store.enqueue(make_version(f"LK{i}", signed=False), now=now)
    assert make_worker(store, now, signer=Signer()).sign_pending(limit=5) == 5
    assert [r.status for r in store.list_items(ItemFilter())].count(Status.EXTRACTED) == 3


def test_dry_run_pages_in_due_order_and_respects_the_limit(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    for i in range(7):
        store.enqueue(make_version(f"LK{i}"), now=now - timedelta(seconds=i % 2))   # mixed due times
    pages = list(store.due_pages(now=now, limit=100, page=3))
    assert [len(p) for p in pages] == [3, 3, 1]
    order = [i.ma_lk for p in pages for i in p]
    assert order == [i.ma_lk for i in store.due_items(now=now, limit=100)] and len(set(order)) == 7
    assert [len(p) for p in store.due_pages(now=now, limit=4, page=3)] == [3, 1]
    assert make_worker(store, now, dry_run=True).drain(limit=5) == DrainReport(skipped=5)
    assert make_worker(store, now, dry_run=True).drain() == DrainReport(skipped=7)
