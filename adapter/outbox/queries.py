"""Read-only queries for the operator console. Rows become value objects here and nowhere else.

Nothing here returns patient data: the outbox stores ids (facility, MA_LK), hashes,
gateway replies and issue records (rule, table, field), never decoded payload fields.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from adapter.outbox.states import PENDING, Status
from adapter.outbox.tables import audit_log, facility_switch, outbox_attempt, outbox_item, outbox_version
from adapter.outbox.values import AttemptInfo, ItemDetail, ItemFilter, ItemRow, Stats, VersionInfo


def _row(r: Any) -> ItemRow:
    return ItemRow(id=r.id, ma_cskcb=r.ma_cskcb, ma_lk=r.ma_lk, kind=r.kind, status=Status(r.status),
                   version=r.current_version, attempts=r.attempts, next_attempt_at=r.next_attempt_at,
                   last_error=r.last_error, created_at=r.created_at, updated_at=r.updated_at)


def list_items(c: Connection, f: ItemFilter) -> list[ItemRow]:
    q = select(outbox_item)
    if f.status:
        q = q.where(outbox_item.c.status.in_([s.value for s in f.status]))
    if f.ma_cskcb:
        q = q.where(outbox_item.c.ma_cskcb == f.ma_cskcb)
    if f.ma_lk:
        q = q.where(outbox_item.c.ma_lk == f.ma_lk)
    if f.since:
        q = q.where(outbox_item.c.updated_at >= f.since)
    if f.until:
        q = q.where(outbox_item.c.updated_at < f.until)
    return [_row(r) for r in c.execute(q.order_by(outbox_item.c.id).limit(f.limit))]


def _version(r: Any) -> VersionInfo:
    return VersionInfo(version=r.version, content_hash=r.content_hash, signed_hash=r.signed_hash,
                       profile=r.profile, cert_fingerprint=r.cert_fingerprint, blocking=bool(r.blocking),
                       superseded=bool(r.superseded), issues=tuple(json.loads(r.issues)),
                       created_at=r.created_at, pruned=r.pruned_at is not None, has_signed=bool(r.has_signed))


def _attempt(r: Any) -> AttemptInfo:
    return AttemptInfo(attempt_no=r.attempt_no, version=r.version, worker_id=r.worker_id,
                       started_at=r.started_at, finished_at=r.finished_at, outcome=r.outcome,
                       request_hash=r.request_hash, http_status=r.http_status, code=r.code,
                       transaction_id=r.transaction_id, received_at=r.received_at, message=r.message,
                       error_class=r.error_class, error=r.error, dry_run=bool(r.dry_run))


def get(c: Connection, item_id: int) -> ItemDetail | None:
    r = c.execute(select(outbox_item).where(outbox_item.c.id == item_id)).first()
    if r is None:
        return None
    v = outbox_version.c
    versions = c.execute(select(v.version, v.content_hash, v.signed_hash, v.profile, v.cert_fingerprint,
                                v.blocking, v.superseded, v.issues, v.created_at, v.pruned_at,
                                v.signed_payload.is_not(None).label("has_signed"))
                         .where(v.item_id == item_id).order_by(v.version))
    attempts = c.execute(select(outbox_attempt).where(outbox_attempt.c.item_id == item_id)
                         .order_by(outbox_attempt.c.id))
    audit = c.execute(select(audit_log.c.at, audit_log.c.actor, audit_log.c.action, audit_log.c.reason)
                      .where(audit_log.c.item_id == item_id).order_by(audit_log.c.id))
    return ItemDetail(item=_row(r), accepted_version=r.accepted_version, lease_owner=r.lease_owner,
                      lease_until=r.lease_until, versions=tuple(_version(x) for x in versions),
                      attempts=tuple(_attempt(a) for a in attempts),
                      audit=tuple(dict(a._mapping) for a in audit))


def signed_payload(c: Connection, item_id: int, version: int | None) -> tuple[int, bytes] | None:
    """(version, stored signed bytes): the named version, else the last one attempted, else the current.

    The bytes are as stored (possibly an encrypted envelope); the store opens them.
    """
    if version is None:
        version = c.execute(select(func.max(outbox_attempt.c.version)).where(
            outbox_attempt.c.item_id == item_id, outbox_attempt.c.dry_run.is_(False))).scalar()
    if version is None:
        version = c.execute(select(outbox_item.c.current_version).where(outbox_item.c.id == item_id)).scalar()
    data = c.execute(select(outbox_version.c.signed_payload).where(
        outbox_version.c.item_id == item_id, outbox_version.c.version == version)).scalar()
    return (version, bytes(data)) if data is not None and version is not None else None


def stats(c: Connection, now: datetime) -> Stats:
    counts = c.execute(select(outbox_item.c.ma_cskcb, outbox_item.c.status, func.count())
                       .group_by(outbox_item.c.ma_cskcb, outbox_item.c.status)).all()
    by_status: Counter[str] = Counter()
    by_facility: defaultdict[str, dict[str, int]] = defaultdict(dict)
    for facility, status, n in counts:
        by_status[status] += n
        by_facility[facility][status] = n
    final = sum(by_status[s] for s in (Status.ACCEPTED, Status.REJECTED, Status.DEAD))
    oldest = c.execute(select(func.min(outbox_item.c.created_at)).where(
        outbox_item.c.status.in_([s.value for s in PENDING]))).scalar()
    paused = c.execute(select(facility_switch.c.ma_cskcb).where(facility_switch.c.paused.is_(True))).scalars()
    return Stats(by_status=dict(by_status), by_facility=dict(by_facility),
                 acceptance_rate=(by_status[Status.ACCEPTED] / final) if final else None,
                 oldest_pending_age_s=_age(now, oldest), paused=tuple(sorted(paused)))


def _age(now: datetime, then: datetime | None) -> float | None:
    if then is None:
        return None
    return (now - (then if then.tzinfo else then.replace(tzinfo=UTC))).total_seconds()


def daily_report(c: Connection, start: datetime, end: datetime, *,
                 overdue_before: datetime) -> dict[str, Any]:
    """Attempts in [start, end): sent, accepted, rejected with reasons; pending items past the deadline."""
    a = outbox_attempt.c
    window = (a.finished_at >= start, a.finished_at < end, a.dry_run.is_(False))
    grouped = c.execute(select(a.outcome, func.count()).where(*window).group_by(a.outcome)).all()
    outcomes: dict[str, int] = {str(o): int(n) for o, n in grouped}
    reasons = c.execute(select(a.code, a.message, func.count()).where(*window, a.outcome == "rejected")
                        .group_by(a.code, a.message).order_by(func.count().desc())).all()
    late = c.execute(select(outbox_item.c.id, outbox_item.c.ma_cskcb, outbox_item.c.ma_lk,
                            outbox_item.c.status, outbox_item.c.created_at)
                     .where(outbox_item.c.status.in_([s.value for s in PENDING]),
                            outbox_item.c.created_at < overdue_before).order_by(outbox_item.c.created_at))
    return {"start": start, "end": end, "sent": sum(outcomes.values()), "outcomes": outcomes,
            "accepted": outcomes.get("accepted", 0), "rejected": outcomes.get("rejected", 0),
            "rejection_reasons": [{"code": r[0], "message": r[1], "count": r[2]} for r in reasons],
            "not_sent_in_time": [dict(r._mapping) for r in late]}
