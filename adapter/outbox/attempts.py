"""Rows of the append-only attempts table, written inside the store's transactions.

Every attempt is recorded with the SHA-256 of the exact (plaintext) bytes sent, the
gateway's reply or the error class, so that a resend can be proved identical.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, update

from adapter.errors import PermanentError
from adapter.outbox.states import Status, check
from adapter.outbox.tables import outbox_attempt, outbox_item
from adapter.outbox.values import ClaimedItem, sha256_hex
from adapter.ports import GatewayReply

log = logging.getLogger(__name__)

# Built once: one row per attempt is the hot path of a drain; values are bound per call.
_INSERT = insert(outbox_attempt)


def record(c: Connection, item: ClaimedItem, worker_id: str, started_at: datetime, now: datetime,
           outcome: str, *, reply: GatewayReply | None = None, error: BaseException | None = None,
           dry_run: bool = False) -> None:
    c.execute(_INSERT, {
        "item_id": item.item_id, "version": item.version, "attempt_no": item.attempts, "worker_id": worker_id,
        "started_at": started_at, "finished_at": now, "outcome": outcome,
        "request_hash": sha256_hex(item.payload),
        "http_status": reply.http_status if reply else None, "code": reply.code if reply else None,
        "transaction_id": reply.transaction_id if reply else None,
        "received_at": reply.received_at if reply else None, "message": reply.message if reply else None,
        "error_class": type(error).__name__ if error is not None else None,
        "error": str(error)[:500] if error is not None else None, "dry_run": dry_run})


def record_lost(c: Connection, r: Any, now: datetime) -> None:
    """The previous worker's lease ran out: its attempt's outcome is unknown, so it is retried."""
    log.warning("outbox lease expired item=%s ma_lk=%s owner=%s: outcome unknown, retrying",
                r.id, r.ma_lk, r.lease_owner)
    c.execute(insert(outbox_attempt).values(
        item_id=r.id, version=r.sending_version or r.current_version, attempt_no=r.attempts,
        worker_id=r.lease_owner or "?", started_at=r.updated_at, finished_at=now, outcome="unknown",
        error_class="LeaseExpired", error="worker lease expired before an outcome was recorded",
        dry_run=False))


def record_unreadable(c: Connection, r: Any, worker_id: str, now: datetime, exc: PermanentError) -> None:
    """A just-claimed payload that cannot be decrypted (key removed, tampered, moved) goes dead with
    the reason, so nothing is sent and the rest of the queue moves on."""
    log.error("outbox payload unreadable item=%s ma_lk=%s: %s", r.id, r.ma_lk, exc)
    c.execute(insert(outbox_attempt).values(
        item_id=r.id, version=r.current_version, attempt_no=r.attempts + 1, worker_id=worker_id,
        started_at=now, finished_at=now, outcome="dead", error_class=type(exc).__name__,
        error=str(exc)[:500], dry_run=False))
    c.execute(update(outbox_item).where(outbox_item.c.id == r.id).values(
        status=check(Status.SENDING, Status.DEAD).value, lease_owner=None, lease_until=None,
        sending_version=None, last_error=str(exc)[:500], updated_at=now))
