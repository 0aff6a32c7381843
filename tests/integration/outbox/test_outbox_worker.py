"""The worker against a real SQLite outbox and a scripted gateway double (given through the constructor)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from outbox_doubles import ScriptedGateway

from adapter.errors import (
    AuthenticationError,
    CertificateError,
    GatewayRejected,
    RetryableError,
    TransportError,
)
from adapter.outbox.retry import RetryPolicy
from adapter.outbox.states import Status
from adapter.outbox.store import OutboxStore
from adapter.outbox.values import ItemFilter, NewVersion, sha256_hex
from adapter.outbox.worker import DrainReport, Worker
from adapter.ports import FixedClock

MakeVersion = Callable[..., NewVersion]
POLICY = RetryPolicy(max_attempts=3, base_delay=timedelta(seconds=10), max_delay=timedelta(minutes=5))


def worker(store: OutboxStore, gateway: ScriptedGateway, now: datetime, **kw: object) -> Worker:
    return Worker(
        store, gateway, POLICY, clock=FixedClock(at=now), worker_id="w1", rng=random.Random(3), **kw
    )  # type: ignore[arg-type]


def statuses(store: OutboxStore) -> dict[str, Status]:
    return {r.ma_lk: r.status for r in store.list_items(ItemFilter())}


def test_sends_exact_stored_bytes_and_one_bad_item_blocks_nothing(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    versions = [make_version(f"LK{i}") for i in range(5)]
    for v in versions:
        store.enqueue(v, now=now)
    gw = ScriptedGateway({"LK1": [GatewayRejected("bad", code="110")], "LK2": [TransportError("reset")]})
    report = worker(store, gw, now).drain()
    assert report == DrainReport(accepted=3, rejected=1, retried=1)
    assert [c.payload for c in gw.calls] == [v.signed for v in versions]
    assert statuses(store) == {
        "LK0": Status.ACCEPTED,
        "LK1": Status.REJECTED,
        "LK2": Status.RETRY_WAIT,
        "LK3": Status.ACCEPTED,
        "LK4": Status.ACCEPTED,
    }
    detail = store.get(1)
    assert detail is not None and detail.attempts[0].request_hash == sha256_hex(versions[0].signed or b"")
    rejected = store.get(2)
    assert rejected is not None and rejected.attempts[0].code == "110"
    assert rejected.attempts[0].error_class == "GatewayRejected"


def test_transport_errors_back_off_then_die(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    store.enqueue(make_version(), now=now)
    gw = ScriptedGateway({"LK1": [TransportError("t")] * 5})
    t = now
    for _ in range(3):
        worker(store, gw, t).drain()
        t += timedelta(minutes=10)
    (row,) = store.list_items(ItemFilter())
    assert row.status is Status.DEAD and row.attempts == 3 and "3 attempts" in (row.last_error or "")
    assert len(gw.calls) == 3


def test_reauth_and_unexpected_errors_are_retried(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    store.enqueue(make_version("A"), now=now)
    store.enqueue(make_version("B"), now=now)
    gw = ScriptedGateway({"A": [AuthenticationError("401")], "B": [ValueError("bug")]})
    assert worker(store, gw, now).drain().retried == 2
    assert worker(store, gw, now + timedelta(minutes=1)).drain().accepted == 2


def test_dry_run_touches_nothing(store: OutboxStore, make_version: MakeVersion, now: datetime) -> None:
    store.enqueue(make_version(), now=now)
    gw = ScriptedGateway()
    assert worker(store, gw, now, dry_run=True).drain() == DrainReport(skipped=1)
    assert gw.calls == [] and statuses(store) == {"LK1": Status.READY}


def test_disabled_facilities_wait_in_ready(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    store.enqueue(make_version(), now=now)
    gw = ScriptedGateway()
    assert worker(store, gw, now).drain(facilities=set()) == DrainReport()
    assert statuses(store) == {"LK1": Status.READY}


def test_limit_and_concurrency(store: OutboxStore, make_version: MakeVersion, now: datetime) -> None:
    for i in range(30):
        store.enqueue(make_version(f"LK{i:02}"), now=now)
    gw = ScriptedGateway()
    w = worker(store, gw, now, batch_size=7)
    assert w.drain(limit=10, concurrency=4).accepted == 10
    assert w.drain(concurrency=4).accepted == 20
    assert sorted(c.ma_lk for c in gw.calls) == [f"LK{i:02}" for i in range(30)]


class FakeSigner:
    certificate_fingerprint = "aa:bb"

    def __init__(self, fail_on: bytes = b"", retry_on: bytes = b"") -> None:
        self.fail_on, self.retry_on = fail_on, retry_on

    def sign(self, document: bytes) -> bytes:
        if self.fail_on and self.fail_on in document:
            raise CertificateError("expired")
        if self.retry_on and self.retry_on in document:
            raise RetryableError("token busy")
        return document + b"<Signature/>"


def test_signer_signs_extracted_items_and_failures_stay_local(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    for name in ("OK", "BADCERT", "BUSY"):
        store.enqueue(make_version(name, signed=False), now=now)
    gw = ScriptedGateway()
    report = worker(store, gw, now, signer=FakeSigner(fail_on=b"BADCERT", retry_on=b"BUSY")).drain()
    assert (report.signed, report.accepted) == (1, 1)
    assert gw.calls[0].payload.endswith(b"<Signature/>")
    assert statuses(store) == {"OK": Status.ACCEPTED, "BADCERT": Status.NEEDS_FIX, "BUSY": Status.EXTRACTED}


def test_progress_is_reported_per_batch(store: OutboxStore, make_version: MakeVersion, now: datetime) -> None:
    for i in range(5):
        store.enqueue(make_version(f"LK{i}"), now=now)
    seen: list[int] = []
    worker(store, ScriptedGateway(), now, batch_size=2, progress=lambda r: seen.append(r.accepted)).drain()
    assert seen == [2, 4, 5]


def test_long_worker_ids_fit_the_lease_column_and_stay_distinct(store: OutboxStore, now: datetime) -> None:
    ids = [
        Worker(
            store,
            ScriptedGateway(),
            POLICY,
            clock=FixedClock(at=now),
            worker_id="h" * 80 + tail,
            rng=random.Random(0),
        ).worker_id
        for tail in ("a", "b")
    ]
    assert all(len(i) == 64 for i in ids) and ids[0] != ids[1]


def test_heartbeat_keeps_a_slow_call_from_being_taken_over(
    store: OutboxStore, make_version: MakeVersion
) -> None:
    import threading
    import time

    from adapter.ports import SystemClock

    clock = SystemClock()
    store.enqueue(make_version(), now=clock.now())
    stolen: list[int] = []

    def slow(_: object) -> None:
        time.sleep(1.5)  # longer than the lease: only the heartbeat keeps it
        stolen.extend(i.item_id for i in store.claim("w2", limit=1, now=clock.now(), lease_s=1.0))

    gw = ScriptedGateway(hook=slow)
    w = Worker(store, gw, POLICY, clock=clock, worker_id="w1", rng=random.Random(0), lease_s=1.0)
    t = threading.Thread(target=lambda: w.drain())
    t.start()
    t.join(timeout=10)
    assert stolen == [] and len(gw.calls) == 1
    assert statuses(store) == {"LK1": Status.ACCEPTED}


class TaggingSigner:
    def __init__(self, tag: bytes) -> None:
        self.tag = tag
        self.certificate_fingerprint = tag.decode()

    def sign(self, document: bytes) -> bytes:
        return document + self.tag


def test_each_facility_signs_with_its_own_certificate(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    store.enqueue(make_version("A", signed=False, facility="79001"), now=now)
    store.enqueue(make_version("B", signed=False, facility="01001"), now=now)
    store.enqueue(make_version("C", signed=False, facility="99999"), now=now)
    signers = {"79001": TaggingSigner(b"<hcm/>"), "01001": TaggingSigner(b"<hn/>")}
    gw = ScriptedGateway()
    report = worker(store, gw, now, signer_for=signers.get).drain()
    assert report.signed == 2
    assert {c.ma_lk: c.payload.rsplit(b"</GIAMDINHHS>", 1)[1] for c in gw.calls} == {
        "A": b"<hcm/>",
        "B": b"<hn/>",
    }
    assert statuses(store)["C"] is Status.EXTRACTED  # no certificate for it: never sent unsigned
