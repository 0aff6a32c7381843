"""The outbox worker: claim due items, send the exact stored signed bytes, record the outcome.

There is no retry loop here: a failed attempt is recorded and the item goes back to the
queue with the policy's decision (``retry.py``). One bad item never blocks the others:
each item's failure is caught, decided and recorded on its own. A heartbeat thread
extends the leases of the items in flight, so a slow gateway call is not mistaken for
a dead worker, while the items of a worker that really died are taken up again.
"""

from __future__ import annotations

import logging
import random
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from adapter.errors import DataError, GatewayRejected, GatewayUnavailable, PermanentError, RetryableError
from adapter.outbox.retry import Action, RetryPolicy
from adapter.outbox.states import Status
from adapter.outbox.store import OutboxStore
from adapter.outbox.values import ClaimedItem, PendingSignature, sha256_hex
from adapter.ports import Clock, Gateway, GatewayReply, Signer, Submission

log = logging.getLogger(__name__)

_ACTION_FIELD = {Action.RETRY: "retried", Action.REAUTH: "retried", Action.DEAD: "dead",
                 Action.NEEDS_FIX: "needs_fix", Action.REJECT: "rejected"}


@dataclass(frozen=True, kw_only=True, slots=True)
class DrainReport:
    accepted: int = 0
    rejected: int = 0
    retried: int = 0
    dead: int = 0
    skipped: int = 0          # dry run, or the lease was lost to another worker
    deferred: int = 0         # not sent, no attempt used: the gateway's circuit was open
    needs_fix: int = 0
    signed: int = 0           # extracted items signed during this drain

    @property
    def processed(self) -> int:
        return (self.accepted + self.rejected + self.retried + self.dead + self.skipped + self.needs_fix
                + self.deferred)


def _fit_worker_id(worker_id: str, size: int = 64) -> str:
    """Fit the lease-owner column, keeping long ids (host names) distinct by a hash suffix."""
    if len(worker_id) <= size:
        return worker_id
    return f"{worker_id[:size - 17]}-{sha256_hex(worker_id.encode())[:16]}"


def _reply_of(exc: Exception) -> GatewayReply | None:
    """The gateway's words on a rejection, kept in the attempts log (the portal forgets after 60 days)."""
    reply = getattr(exc, "reply", None)
    if isinstance(reply, GatewayReply):
        return reply
    if isinstance(exc, GatewayRejected):
        return GatewayReply(code=exc.code, transaction_id=exc.transaction_id, message=str(exc)[:1000])
    return None


def _not_sent_until(exc: Exception) -> datetime | None:
    """When a GatewayUnavailable says nothing was sent before a known time (the transport's
    ``CircuitOpen``, which this layer may not import), that time; else None."""
    if not isinstance(exc, GatewayUnavailable):
        return None
    reopens_at = getattr(exc, "reopens_at", None)
    return reopens_at if isinstance(reopens_at, datetime) else None


@dataclass(kw_only=True, slots=True)
class _Claims:
    """What one drain may still claim: its facilities and what is left of its limit."""

    facilities: set[str] | None
    limit: int | None
    claimed: int = 0
    exhausted: bool = False

    def room(self, free: int) -> int:
        if self.exhausted:
            return 0
        return free if self.limit is None else min(free, self.limit - self.claimed)

    def took(self, count: int) -> None:
        self.claimed += count
        self.exhausted = count == 0      # an empty claim ends the drain once the rest is in


class Worker:
    """Drains the outbox through one gateway. Thread-safe store and gateway are assumed."""

    def __init__(self, store: OutboxStore, gateway: Gateway, policy: RetryPolicy, *, clock: Clock,
                 worker_id: str, rng: random.Random, signer: Signer | None = None,
                 signer_for: Callable[[str], Signer | None] | None = None, dry_run: bool = False,
                 lease_s: float = 120.0, batch_size: int = 20,
                 progress: Callable[[DrainReport], None] | None = None) -> None:
        self.store, self.gateway, self.policy = store, gateway, policy
        self.clock, self.worker_id, self.rng = clock, _fit_worker_id(worker_id), rng
        # Each facility signs with its own certificate: ``signer_for(ma_cskcb)`` when given,
        # else the one ``signer`` (single-facility installations).
        self.signer_for = signer_for or (lambda _facility: signer)
        self._can_sign = signer is not None or signer_for is not None
        self.dry_run = dry_run
        self.lease_s, self.batch_size, self.progress = lease_s, batch_size, progress
        self._in_flight: set[int] = set()
        self._paused_until: datetime | None = None
        self._reported = 0
        self._lock = threading.Lock()

    def drain(self, *, facilities: set[str] | None = None, limit: int | None = None,
              concurrency: int = 1) -> DrainReport:
        """Send due items until none is left (or ``limit`` were processed). ``facilities``: enabled ones."""
        tally: Counter[str] = Counter()
        if self._can_sign and not self.dry_run:
            tally["signed"] = self.sign_pending(limit=limit or 1000)
        if self.dry_run:
            return self._dry_run(facilities, limit, tally)
        slots = max(concurrency, 1)
        with self._heartbeat(), ThreadPoolExecutor(max_workers=slots) as pool:
            self._pump(pool, slots, _Claims(facilities=facilities, limit=limit), tally)
        self._report_progress(tally, final=True)
        return DrainReport(**tally)

    def _pump(self, pool: ThreadPoolExecutor, slots: int, claims: _Claims, tally: Counter[str]) -> None:
        """Keep ``slots`` submissions in flight: whenever some finish, claim as many as are free.

        A batch-then-wait loop leaves slots idle while the slowest reply of each batch comes
        back; here a slot is refilled as soon as it frees, with one claim for all free slots.
        """
        running: set[Future[str]] = set()
        while True:
            room = claims.room(min(slots - len(running), self.batch_size))
            if room > 0 and not self._circuit_open():
                batch = self._claim(claims, room)
                running.update(pool.submit(self._process, item) for item in batch)
            if not running:
                return
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                tally[future.result()] += 1
            self._report_progress(tally)

    def _claim(self, claims: _Claims, room: int) -> list[ClaimedItem]:
        items = self.store.claim(self.worker_id, limit=room, now=self.clock.now(), lease_s=self.lease_s,
                                 facilities=claims.facilities)
        claims.took(len(items))
        with self._lock:
            self._in_flight.update(i.item_id for i in items)
        return items

    def _circuit_open(self) -> bool:
        """While the gateway's circuit is open, claiming would only fail items without sending."""
        with self._lock:
            return self._paused_until is not None and self.clock.now() < self._paused_until

    def _process(self, item: ClaimedItem) -> str:
        try:
            return self._send(item)
        except Exception:  # the DB failed while recording the outcome; keep the batch going
            # The item stays "sending" under our lease: when the lease expires it is taken up
            # again as an unknown outcome, so nothing is lost.
            log.exception("outbox outcome not recorded item=%s ma_lk=%s", item.item_id, item.ma_lk)
            return "skipped"
        finally:
            with self._lock:
                self._in_flight.discard(item.item_id)

    def _send(self, item: ClaimedItem) -> str:
        started = self.clock.now()
        try:
            if not item.payload:
                raise DataError("no signed payload; unsigned content is never sent", record=item.ma_lk)
            reply = self.gateway.submit(Submission(ma_cskcb=item.ma_cskcb, kind=item.kind,
                                                   profile=item.profile, payload=item.payload,
                                                   ma_lk=item.ma_lk))
        except Exception as exc:  # noqa: BLE001 - every failure is decided by type and recorded
            not_before = _not_sent_until(exc)
            if not_before is not None:
                return self._release(item, not_before)
            decision = self.policy.decide(exc, item.attempts, self.clock.now(), self.rng)
            log.info("outbox attempt failed item=%s ma_lk=%s attempt=%s action=%s error=%s", item.item_id,
                     item.ma_lk, item.attempts, decision.action, type(exc).__name__)
            if decision.action is Action.REAUTH:
                log.warning("outbox token refused for facility=%s item=%s", item.ma_cskcb, item.item_id)
            kept = self.store.fail(item, decision, exc, worker_id=self.worker_id, started_at=started,
                                   now=self.clock.now(), reply=_reply_of(exc))
            return _ACTION_FIELD[decision.action] if kept else "skipped"
        kept = self.store.complete(item, reply, worker_id=self.worker_id, started_at=started,
                                   now=self.clock.now())
        log.info("outbox accepted item=%s ma_lk=%s transaction=%s", item.item_id, item.ma_lk,
                 reply.transaction_id)
        return "accepted" if kept else "skipped"

    def _release(self, item: ClaimedItem, not_before: datetime) -> str:
        """Nothing was sent (the circuit is open): back to the queue until it reopens, no attempt used."""
        with self._lock:
            if self._paused_until is None or not_before > self._paused_until:
                self._paused_until = not_before
        kept = self.store.release(item, worker_id=self.worker_id, not_before=not_before, now=self.clock.now())
        log.info("outbox not sent, circuit open item=%s ma_lk=%s until=%s", item.item_id, item.ma_lk,
                 not_before.isoformat())
        return "deferred" if kept else "skipped"

    def _dry_run(self, facilities: set[str] | None, limit: int | None, tally: Counter[str]) -> DrainReport:
        """Everything but the network: what would be claimed, each with signed bytes present.

        Paged by ``batch_size``: a preview of a long queue holds one page of payloads at a time."""
        for page in self.store.due_pages(now=self.clock.now(), limit=limit or 10_000, page=self.batch_size,
                                         facilities=facilities):
            for item in page:
                log.info("outbox dry-run would send item=%s ma_lk=%s kind=%s bytes=%s", item.item_id,
                         item.ma_lk, item.kind, len(item.payload))
                tally["skipped"] += 1
        return DrainReport(**tally)

    def sign_pending(self, *, limit: int) -> int:
        """Sign extracted items; a signing failure sends that item to needs_fix, not the batch.

        Paged by ``batch_size`` (id order): one page of unsigned payloads in memory at a time."""
        signed, after = 0, 0
        while limit > 0:
            page = self.store.pending_signatures(limit=min(self.batch_size, limit), now=self.clock.now(),
                                                 after=after)
            if not page:
                return signed
            for pending in page:
                outcome = self._sign_pending_one(pending)
                if outcome is None:         # the facility's signer is unavailable: later run
                    return signed
                signed += outcome
            limit, after = limit - len(page), page[-1].item_id
        return signed

    def _sign_pending_one(self, pending: PendingSignature) -> int | None:
        try:
            signer = self.signer_for(pending.ma_cskcb)
        except RetryableError as exc:   # the token is absent at first use: sign on a later run
            log.warning("outbox signer unavailable facility=%s error=%s", pending.ma_cskcb,
                        type(exc).__name__)
            return None
        if signer is None:
            log.warning("outbox no signer for facility=%s item=%s", pending.ma_cskcb, pending.item_id)
            return 0
        return self._sign_one(signer, pending)

    def _sign_one(self, signer: Signer, pending: PendingSignature) -> int:
        item_id, ma_lk = pending.item_id, pending.ma_lk
        try:
            signed = signer.sign(pending.unsigned)
        except RetryableError as exc:      # token unplugged, HSM busy: stays extracted for next time
            log.warning("outbox signing deferred item=%s ma_lk=%s error=%s",
                        item_id, ma_lk, type(exc).__name__)
            return 0
        except PermanentError as exc:
            log.warning("outbox signing failed item=%s ma_lk=%s error=%s", item_id, ma_lk, type(exc).__name__)
            self.store.mark_needs_fix(item_id, expected=Status.EXTRACTED,
                                      reason=f"{type(exc).__name__}: {exc}", now=self.clock.now())
            return 0
        return int(self.store.attach_signature(item_id, pending.version, signed,
                                               fingerprint=signer.certificate_fingerprint,
                                               now=self.clock.now()))

    def _report_progress(self, tally: Counter[str], *, final: bool = False) -> None:
        """Every ``batch_size`` outcomes, and once at the end if the last ones were not reported."""
        outcomes = tally.total() - tally["signed"]
        if self.progress is None or outcomes == self._reported:
            return
        if final or outcomes - self._reported >= self.batch_size:
            self._reported = outcomes
            self.progress(DrainReport(**tally))

    @contextmanager
    def _heartbeat(self) -> Iterator[None]:
        stop = threading.Event()
        beat = threading.Thread(target=self._beat, args=(stop,), name=f"heartbeat-{self.worker_id}",
                                daemon=True)
        beat.start()
        try:
            yield
        finally:
            stop.set()
            beat.join(timeout=5)

    def _beat(self, stop: threading.Event) -> None:
        interval = timedelta(seconds=self.lease_s / 3).total_seconds()
        while not stop.wait(interval):
            with self._lock:
                ids = sorted(self._in_flight)
            try:
                self.store.heartbeat(self.worker_id, ids, now=self.clock.now(), lease_s=self.lease_s)
            except Exception:  # noqa: BLE001 - a missed beat only shortens the lease; keep beating
                log.warning("outbox heartbeat failed worker=%s items=%s", self.worker_id, len(ids))
