"""Operator actions on the outbox. Each one goes through the transition table and the audit log.

Functions take an open transaction (``Connection``) so that the status change and
its audit row commit together or not at all.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, insert, select, update

from adapter.errors import InvalidTransition
from adapter.outbox.states import Status, check
from adapter.outbox.tables import audit_log, facility_switch, outbox_item, outbox_version

log = logging.getLogger(__name__)

RETRYABLE_BY_OPERATOR = frozenset({Status.DEAD, Status.RETRY_WAIT})
RESENDABLE = frozenset({Status.HELD, Status.REJECTED, Status.ACCEPTED, Status.CANCELLED, Status.DEAD})


def audit(c: Connection, *, now: datetime, actor: str, action: str, reason: str, item_id: int | None = None,
          ma_cskcb: str | None = None, detail: dict[str, Any] | None = None) -> None:
    c.execute(insert(audit_log).values(
        at=now, actor=actor[:100], action=action, item_id=item_id, ma_cskcb=ma_cskcb, reason=reason,
        detail=json.dumps(detail, default=str) if detail is not None else None))
    log.info("outbox audit action=%s item=%s facility=%s actor=%s", action, item_id, ma_cskcb, actor)


def _item(c: Connection, item_id: int) -> Any:
    row = c.execute(select(outbox_item).where(outbox_item.c.id == item_id)).first()
    if row is None:
        raise InvalidTransition(f"outbox item {item_id} does not exist")
    return row


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise InvalidTransition("an operator action needs a reason")


def _move(c: Connection, row: Any, to: Status, now: datetime, **values: Any) -> None:
    frm = Status(row.status)
    check(frm, to)
    done = c.execute(update(outbox_item).where(outbox_item.c.id == row.id, outbox_item.c.status == row.status)
                     .values(status=to.value, updated_at=now, **values)).rowcount
    if done != 1:
        raise InvalidTransition(f"outbox item {row.id} changed while acting on it; try again")


def _act(c: Connection, row: Any, to: Status, *, actor: str, action: str, reason: str, now: datetime,
         **values: Any) -> Status:
    _move(c, row, to, now, **values)
    audit(c, now=now, actor=actor, action=action, item_id=row.id, ma_cskcb=row.ma_cskcb, reason=reason,
          detail={"from": row.status, "to": to.value, "version": row.current_version})
    return to


def _current_version(c: Connection, row: Any) -> Any:
    return c.execute(select(outbox_version).where(outbox_version.c.item_id == row.id,
                                                  outbox_version.c.version == row.current_version)).one()


def retry(c: Connection, item_id: int, *, actor: str, reason: str, now: datetime) -> Status:
    """Make a dead or waiting item due now, with a fresh attempt budget."""
    row = _item(c, item_id)
    if Status(row.status) not in RETRYABLE_BY_OPERATOR:
        raise InvalidTransition(f"outbox item {item_id} is {row.status}; retry applies to dead or retry_wait")
    return _act(c, row, Status.READY, actor=actor, action="retry", reason=reason or "operator retry",
                now=now, attempts=0, next_attempt_at=now, last_error=None)


def cancel(c: Connection, item_id: int, *, actor: str, reason: str, now: datetime) -> Status:
    """Do not send. A held replacement of an accepted item is declined (the accepted version stands)."""
    _require_reason(reason)
    row = _item(c, item_id)
    declined = Status(row.status) is Status.HELD and row.accepted_version is not None
    to = Status.ACCEPTED if declined else Status.CANCELLED
    return _act(c, row, to, actor=actor, action="decline" if declined else "cancel", reason=reason, now=now,
                next_attempt_at=None)


def resend(c: Connection, item_id: int, *, actor: str, reason: str, now: datetime) -> Status:
    """Send the current version (approve a held replacement, resend a correction). Needs a reason."""
    _require_reason(reason)
    row = _item(c, item_id)
    if Status(row.status) not in RESENDABLE:
        raise InvalidTransition(f"outbox item {item_id} is {row.status}; resend does not apply")
    version = _current_version(c, row)
    if version.blocking:
        raise InvalidTransition(f"outbox item {item_id} version {row.current_version} has blocking issues")
    if version.pruned_at is not None:
        raise InvalidTransition(f"outbox item {item_id} version {row.current_version} was pruned; "
                                "extract it again from the HIS")
    to = Status.READY if version.signed_payload is not None else Status.EXTRACTED
    return _act(c, row, to, actor=actor, action="resend", reason=reason, now=now, attempts=0,
                next_attempt_at=now, last_error=None)


def set_paused(c: Connection, ma_cskcb: str, paused: bool, *, actor: str, reason: str, now: datetime) -> None:
    values = {"paused": paused, "changed_at": now, "changed_by": actor[:100], "reason": reason}
    done = c.execute(update(facility_switch).where(facility_switch.c.ma_cskcb == ma_cskcb)
                     .values(**values)).rowcount
    if done == 0:
        c.execute(insert(facility_switch).values(ma_cskcb=ma_cskcb, **values))
    audit(c, now=now, actor=actor, action="pause" if paused else "resume", ma_cskcb=ma_cskcb,
          reason=reason or ("paused" if paused else "resumed"))


def prune(c: Connection, *, now: datetime, days: int, actor: str, reason: str | None = None) -> int:
    """Remove payloads of versions older than ``days`` on accepted items; keep hashes and replies."""
    cutoff = now - timedelta(days=days)
    accepted = select(outbox_item.c.id).where(outbox_item.c.status == Status.ACCEPTED.value)
    done = c.execute(update(outbox_version).where(and_(
        outbox_version.c.item_id.in_(accepted), outbox_version.c.created_at < cutoff,
        outbox_version.c.pruned_at.is_(None),
    )).values(unsigned_payload=None, signed_payload=None, pruned_at=now)).rowcount
    if done:
        audit(c, now=now, actor=actor, action="prune", reason=reason or f"retention {days} days",
              detail={"versions": done})
    return int(done)
