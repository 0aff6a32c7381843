"""The durable outbox store (SQLAlchemy Core): enqueue, claim under a lease, record outcomes.

Every status change is checked against ``adapter.outbox.states.TRANSITIONS`` and the
SQL UPDATE is conditional on the status (and, for a worker, on its lease) that was
read, so a second process can never move the same item twice. Claims use
``FOR UPDATE SKIP LOCKED`` where the database has it (PostgreSQL, MariaDB); on SQLite
the engine from ``adapter.outbox.open`` begins every transaction IMMEDIATE, and the
conditional UPDATE is the guarantee either way.

The console queries and operator actions live in ``queries.py`` and ``actions.py``;
this class exposes them so callers need one object.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Connection, Engine, and_, bindparam, exists, insert, or_, select, update

from adapter.crypto import Cipher, NullCipher, associated_data
from adapter.errors import InvalidTransition, PermanentError
from adapter.outbox import actions, attempts, queries, rekey
from adapter.outbox.retry import Action, Decision
from adapter.outbox.states import Status, check, route_new_version
from adapter.outbox.tables import (
    UtcDateTime,
    audit_log,
    facility_switch,
    outbox_attempt,
    outbox_item,
    outbox_version,
)
from adapter.outbox.values import (
    ClaimedItem,
    EnqueueResult,
    ItemDetail,
    ItemFilter,
    ItemRow,
    NewVersion,
    PendingSignature,
    Stats,
    sha256_hex,
)
from adapter.ports import DocumentKind, GatewayReply

__all__ = ["OutboxStore", "audit_log", "facility_switch", "outbox_attempt", "outbox_item", "outbox_version"]

log = logging.getLogger(__name__)

_FAIL_STATUS = {Action.RETRY: Status.RETRY_WAIT, Action.REAUTH: Status.RETRY_WAIT, Action.DEAD: Status.DEAD,
                Action.NEEDS_FIX: Status.NEEDS_FIX, Action.REJECT: Status.REJECTED}
_OUTCOME = {Action.RETRY: "retry", Action.REAUTH: "reauth", Action.DEAD: "dead",
            Action.NEEDS_FIX: "needs_fix", Action.REJECT: "rejected"}
_SKIP_LOCKED_DIALECTS = {"postgresql", "mysql", "mariadb"}

_ITEM = outbox_item.c


def _finish_statement(**values: Any) -> Any:
    """A worker's outcome, conditional on status, lease owner and version (prebuilt, bound per call)."""
    return update(outbox_item).where(
        _ITEM.id == bindparam("b_id"), _ITEM.status == Status.SENDING.value,
        _ITEM.lease_owner == bindparam("b_owner"), _ITEM.sending_version == bindparam("b_version"),
    ).values(status=bindparam("b_to"), lease_owner=None, lease_until=None, sending_version=None,
             updated_at=bindparam("b_now", type_=UtcDateTime()), **values)


# Accepted: remember the version. Failed: when to try again, and why.
_ACCEPT = _finish_statement(accepted_version=bindparam("b_version"), last_error=None)
_FAIL = _finish_statement(next_attempt_at=bindparam("b_next", type_=UtcDateTime()),
                          last_error=bindparam("b_error"))
# (plain, with RETURNING of the current version) per outcome: accepted or not.
_OUTCOME_SQL = {True: (_ACCEPT, _ACCEPT.returning(_ITEM.current_version)),
                False: (_FAIL, _FAIL.returning(_ITEM.current_version))}
_CURRENT = select(_ITEM.current_version).where(_ITEM.id == bindparam("b_id"))


def _due_condition() -> Any:
    """Due now (bound as ``now``): ready/retry_wait whose time has come, or a lease that ran out;
    signed; facility not paused. The claim's SELECT and its UPDATE both check it."""
    now = bindparam("now", type_=UtcDateTime())
    signed = exists().where(outbox_version.c.item_id == _ITEM.id,
                            outbox_version.c.version == _ITEM.current_version,
                            outbox_version.c.signed_payload.is_not(None))
    paused = exists().where(facility_switch.c.ma_cskcb == _ITEM.ma_cskcb, facility_switch.c.paused.is_(True))
    return and_(or_(and_(_ITEM.status.in_([Status.READY.value, Status.RETRY_WAIT.value]),
                         _ITEM.next_attempt_at <= now),
                    and_(_ITEM.status == Status.SENDING.value, _ITEM.lease_until < now)),
                signed, ~paused)


_DUE = _due_condition()
# Lease every row the claim read that is still due, in one statement.
_CLAIM_UPDATE = update(outbox_item).where(_ITEM.id.in_(bindparam("ids", expanding=True)), _DUE).values(
    status=Status.SENDING.value, lease_owner=bindparam("owner"),
    lease_until=bindparam("until", type_=UtcDateTime()), attempts=_ITEM.attempts + 1,
    sending_version=_ITEM.current_version, updated_at=bindparam("at", type_=UtcDateTime()))

# What a claim holds after its UPDATE: built once (no per-call coercion and cache-key work).
_HELD = (select(outbox_item.c.id, outbox_version.c.profile, outbox_version.c.signed_payload)
         .join(outbox_version, and_(outbox_version.c.item_id == outbox_item.c.id,
                                    outbox_version.c.version == outbox_item.c.sending_version))
         .where(outbox_item.c.id.in_(bindparam("ids", expanding=True)),
                outbox_item.c.status == Status.SENDING.value,
                outbox_item.c.lease_owner == bindparam("owner"),
                outbox_item.c.lease_until == bindparam("until", type_=UtcDateTime())))


class OutboxStore:
    """The outbox on one engine. Thread-safe: every call takes its own pooled connection."""

    def __init__(self, engine: Engine, *, replacement_policy: Literal["hold", "send"] = "hold",
                 cipher: Cipher | None = None) -> None:
        self.engine = engine
        self.replacement_policy = replacement_policy
        self.cipher: Cipher = cipher if cipher is not None else NullCipher()
        self._claim_sql: dict[tuple[int, bool], Any] = {}

    # Payload columns are sealed on write and opened on read; hashes are always of the plaintext.
    def _seal(self, data: bytes | None, item_id: int, version: int, column: str) -> bytes | None:
        if data is None:
            return None
        return self.cipher.encrypt(data, aad=associated_data(item_id, version, column))

    def _open(self, stored: Any, item_id: int, version: int, column: str) -> bytes | None:
        if stored is None:
            return None
        return self.cipher.decrypt(bytes(stored), aad=associated_data(item_id, version, column),
                                   what=f"outbox item {item_id} version {version} ({column} payload)")

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction; pass the connection as ``conn=`` to enqueue with other writes."""
        with self.engine.begin() as conn:
            yield conn

    def _tx(self, conn: Connection | None) -> AbstractContextManager[Connection]:
        return nullcontext(conn) if conn is not None else self.engine.begin()

    # ---- enqueue -------------------------------------------------------------------------
    def enqueue(self, new: NewVersion, *, now: datetime, conn: Connection | None = None) -> EnqueueResult:
        """Queue a version; identical content (same hash as the current version) is a no-op."""
        with self._tx(conn) as c:
            row = c.execute(select(outbox_item).where(
                outbox_item.c.ma_cskcb == new.ma_cskcb, outbox_item.c.ma_lk == new.ma_lk,
                outbox_item.c.kind == new.kind.value)).first()
            if row is None:
                return self._insert_item(c, new, now)
            current_hash = c.execute(select(outbox_version.c.content_hash).where(
                outbox_version.c.item_id == row.id,
                outbox_version.c.version == row.current_version)).scalar_one()
            if current_hash == new.content_hash:
                return EnqueueResult(item_id=row.id, version=row.current_version, created=False,
                                     status=Status(row.status))
            return self._add_version(c, row, new, now)

    def _insert_item(self, c: Connection, new: NewVersion, now: datetime) -> EnqueueResult:
        status = route_new_version(Status.READY, accepted_before=False, blocking=new.blocking,
                                   signed=new.signed is not None, replacement_policy=self.replacement_policy)
        assert status is not None
        item_id = c.execute(insert(outbox_item).values(
            ma_cskcb=new.ma_cskcb, ma_lk=new.ma_lk, kind=new.kind.value, status=status.value,
            current_version=1, attempts=0, next_attempt_at=now, created_at=now, updated_at=now,
        )).inserted_primary_key[0]  # type: ignore[index]
        self._insert_version(c, item_id, 1, new, now)
        log.info("outbox enqueue item=%s ma_lk=%s kind=%s status=%s", item_id, new.ma_lk, new.kind, status)
        return EnqueueResult(item_id=item_id, version=1, created=True, status=status)

    def _insert_version(self, c: Connection, item_id: int, version: int, new: NewVersion,
                        now: datetime) -> None:
        c.execute(insert(outbox_version).values(
            item_id=item_id, version=version, content_hash=new.content_hash, profile=new.profile,
            unsigned_payload=self._seal(new.unsigned, item_id, version, "unsigned"),
            signed_payload=self._seal(new.signed, item_id, version, "signed"),
            signed_hash=sha256_hex(new.signed) if new.signed is not None else None,
            cert_fingerprint=new.cert_fingerprint, issues=json.dumps(list(new.issues), ensure_ascii=False),
            blocking=new.blocking, superseded=False, created_at=now))

    def _add_version(self, c: Connection, row: Any, new: NewVersion, now: datetime) -> EnqueueResult:
        version = row.current_version + 1
        self._insert_version(c, row.id, version, new, now)
        c.execute(update(outbox_version).where(outbox_version.c.item_id == row.id,
                                               outbox_version.c.version < version).values(superseded=True))
        moved = c.execute(update(outbox_item).where(
            outbox_item.c.id == row.id, outbox_item.c.status == row.status,
            outbox_item.c.current_version == row.current_version,
        ).values(current_version=version, updated_at=now)).rowcount
        if moved != 1:
            raise InvalidTransition(f"outbox item {row.id} changed concurrently; enqueue again")
        status = self._reroute(c, row.id, now)
        log.info("outbox new version item=%s ma_lk=%s version=%s status=%s",
                 row.id, new.ma_lk, version, status)
        return EnqueueResult(item_id=row.id, version=version, created=True, status=status)

    def _reroute(self, c: Connection, item_id: int, now: datetime) -> Status:
        """Send the item where its current (newer) version leads; deferred while sending."""
        row = c.execute(select(outbox_item).where(outbox_item.c.id == item_id)).one()
        ver = c.execute(select(outbox_version.c.blocking, outbox_version.c.signed_payload.is_not(None),
                               outbox_version.c.content_hash).where(
            outbox_version.c.item_id == item_id, outbox_version.c.version == row.current_version)).one()
        current = Status(row.status)
        target = route_new_version(current, accepted_before=row.accepted_version is not None,
                                   blocking=ver[0], signed=ver[1], replacement_policy=self.replacement_policy,
                                   same_as_accepted=ver[2] == self._accepted_hash(c, row))
        if target is None:
            return current
        self._move(c, item_id, current, target, now, attempts=0, next_attempt_at=now, last_error=None)
        if target is Status.READY and row.accepted_version is not None:
            actions.audit(c, now=now, actor="policy", action="auto_replace", item_id=item_id,
                           ma_cskcb=row.ma_cskcb, reason="replacement_policy=send",
                           detail={"version": row.current_version, "accepted_version": row.accepted_version})
        return target

    @staticmethod
    def _accepted_hash(c: Connection, row: Any) -> str | None:
        if row.accepted_version is None:
            return None
        return c.execute(select(outbox_version.c.content_hash).where(
            outbox_version.c.item_id == row.id,
            outbox_version.c.version == row.accepted_version)).scalar_one_or_none()

    @staticmethod
    def _move(c: Connection, item_id: int, frm: Status, to: Status, now: datetime, **values: Any) -> None:
        check(frm, to)
        done = c.execute(update(outbox_item)
                         .where(outbox_item.c.id == item_id, outbox_item.c.status == frm.value)
                         .values(status=to.value, updated_at=now, **values)).rowcount
        if done != 1:
            raise InvalidTransition(f"outbox item {item_id} is no longer {frm}; not moved to {to}")

    # ---- signing of extracted items ----------------------------------------------------------
    def pending_signatures(self, *, limit: int, now: datetime | None = None,
                           after: int = 0) -> list[PendingSignature]:
        """Extracted versions to sign (ids above ``after``, for paging). One that cannot be decrypted
        goes to needs_fix (given ``now``; else it is skipped) so it never stops the others."""
        q = (select(outbox_item.c.id, outbox_item.c.current_version, outbox_item.c.ma_cskcb,
                    outbox_item.c.ma_lk, outbox_version.c.unsigned_payload)
             .join(outbox_version, and_(outbox_version.c.item_id == outbox_item.c.id,
                                        outbox_version.c.version == outbox_item.c.current_version))
             .where(outbox_item.c.status == Status.EXTRACTED.value, outbox_item.c.id > after)
             .order_by(outbox_item.c.id).limit(limit))
        with self.engine.connect() as c:
            rows = c.execute(q).all()
        pending, unreadable = [], []
        for r in rows:
            try:
                unsigned = self._open(r[4], r[0], r[1], "unsigned") or b""
            except PermanentError as exc:
                log.error("outbox payload unreadable item=%s ma_lk=%s: %s", r[0], r[3], exc)
                unreadable.append((r[0], str(exc)))
                continue
            pending.append(PendingSignature(item_id=r[0], version=r[1], ma_cskcb=r[2], ma_lk=r[3],
                                            unsigned=unsigned))
        if now is not None:
            for item_id, reason in unreadable:
                self.mark_needs_fix(item_id, expected=Status.EXTRACTED, reason=reason, now=now)
        return pending

    def attach_signature(self, item_id: int, version: int, signed: bytes, *, fingerprint: str,
                         now: datetime) -> bool:
        """Store the signed bytes of an extracted version; the item becomes ready."""
        with self.engine.begin() as c:
            done = c.execute(update(outbox_item).where(
                outbox_item.c.id == item_id, outbox_item.c.status == Status.EXTRACTED.value,
                outbox_item.c.current_version == version,
            ).values(status=check(Status.EXTRACTED, Status.READY).value, next_attempt_at=now,
                     updated_at=now)).rowcount
            if done == 1:
                c.execute(update(outbox_version).where(
                    outbox_version.c.item_id == item_id, outbox_version.c.version == version,
                ).values(signed_payload=self._seal(signed, item_id, version, "signed"),
                         signed_hash=sha256_hex(signed), cert_fingerprint=fingerprint))
            return done == 1

    def mark_needs_fix(self, item_id: int, *, expected: Status, reason: str, now: datetime) -> None:
        with self.engine.begin() as c:
            self._move(c, item_id, expected, Status.NEEDS_FIX, now, last_error=reason[:500])

    # ---- claims and outcomes --------------------------------------------------------------
    def _due(self, now: datetime, facilities: set[str] | None) -> Any:
        signed = exists().where(outbox_version.c.item_id == outbox_item.c.id,
                                outbox_version.c.version == outbox_item.c.current_version,
                                outbox_version.c.signed_payload.is_not(None))
        paused = exists().where(facility_switch.c.ma_cskcb == outbox_item.c.ma_cskcb,
                                facility_switch.c.paused.is_(True))
        cond = and_(or_(and_(outbox_item.c.status.in_([Status.READY.value, Status.RETRY_WAIT.value]),
                             outbox_item.c.next_attempt_at <= now),
                        and_(outbox_item.c.status == Status.SENDING.value, outbox_item.c.lease_until < now)),
                    signed, ~paused)
        if facilities is not None:
            cond = and_(cond, outbox_item.c.ma_cskcb.in_(sorted(facilities)))
        return cond

    def due_items(self, *, now: datetime, limit: int,
                  facilities: set[str] | None = None) -> list[ClaimedItem]:
        """What a claim would take, without taking it (dry run)."""
        return [item for page in self.due_pages(now=now, limit=limit, page=limit, facilities=facilities)
                for item in page]

    def due_pages(self, *, now: datetime, limit: int, page: int,
                  facilities: set[str] | None = None) -> Iterator[list[ClaimedItem]]:
        """``due_items`` in pages of ``page`` (keyset on next_attempt_at, id): a preview of a long
        queue holds one page of payloads at a time."""
        after: tuple[datetime, int] | None = None
        while limit > 0:
            with self.engine.connect() as c:       # not held while the caller works on the page
                rows = c.execute(self._due_page(now, min(page, limit), facilities, after)).all()
                items = [item for r in rows if (item := self._preview(c, r, now)) is not None]
            yield items
            if len(rows) < min(page, limit):
                return
            limit -= len(rows)
            after = (rows[-1].next_attempt_at, rows[-1].id)

    def _due_page(self, now: datetime, size: int, facilities: set[str] | None,
                  after: tuple[datetime, int] | None) -> Any:
        cond = self._due(now, facilities)
        if after is not None:
            at = outbox_item.c.next_attempt_at
            cond = and_(cond, or_(at > after[0], and_(at == after[0], outbox_item.c.id > after[1])))
        return select(outbox_item).where(cond).order_by(outbox_item.c.next_attempt_at,
                                                        outbox_item.c.id).limit(size)

    def _preview(self, c: Connection, r: Any, now: datetime) -> ClaimedItem | None:
        try:
            return self._claimed(c, r, r.current_version, r.attempts + 1, now)
        except PermanentError as exc:    # a real claim would set it dead; a preview just skips it
            log.warning("outbox dry run skips item=%s ma_lk=%s: %s", r.id, r.ma_lk, exc)
            return None

    def claim(self, worker_id: str, *, limit: int, now: datetime, lease_s: float,
              facilities: set[str] | None = None) -> list[ClaimedItem]:
        """Lease up to ``limit`` due items to ``worker_id``; an expired lease is taken over."""
        if facilities is not None and not facilities:
            return []
        params: dict[str, Any] = {"now": now}
        if facilities is not None:
            params["facilities"] = sorted(facilities)
        until = now + timedelta(seconds=lease_s)
        with self._claim_connection() as c, c.begin():
            rows = c.execute(self._claim_select(limit, facilities is not None), params).all()
            return self._claim_rows(c, rows, worker_id, now, until) if rows else []

    def _claim_select(self, limit: int, by_facility: bool) -> Any:
        """The claim's SELECT, built once per (limit, facility filter) and bound per call."""
        key = (limit, by_facility)
        if (q := self._claim_sql.get(key)) is None:
            facility = _ITEM.ma_cskcb.in_(bindparam("facilities", expanding=True))
            cond = and_(_DUE, facility) if by_facility else _DUE
            q = select(outbox_item).where(cond).order_by(_ITEM.next_attempt_at, _ITEM.id).limit(limit)
            if self.engine.dialect.name == "postgresql":
                q = q.with_for_update(skip_locked=True, of=outbox_item)
            elif self.engine.dialect.name in _SKIP_LOCKED_DIALECTS:     # MariaDB has no "OF table"
                q = q.with_for_update(skip_locked=True)
            self._claim_sql[key] = q
        return q

    def _claim_connection(self) -> Connection:
        conn = self.engine.connect()
        if self.engine.dialect.name in ("mysql", "mariadb"):
            # InnoDB's REPEATABLE READ takes gap locks on the status index, and concurrent
            # SKIP LOCKED claims then deadlock; READ COMMITTED locks only the rows read.
            conn = conn.execution_options(isolation_level="READ COMMITTED")
        return conn

    def _claim_rows(self, c: Connection, rows: Sequence[Any], worker_id: str, now: datetime,
                    until: datetime) -> list[ClaimedItem]:
        """One UPDATE for all the rows read, still conditional on each being due (status, lease),
        then one SELECT of what this claim now holds, with its payload."""
        for r in rows:
            check(Status(r.status), Status.SENDING)
        ids = [r.id for r in rows]
        c.execute(_CLAIM_UPDATE, {"ids": ids, "now": now, "owner": worker_id, "until": until, "at": now})
        held = {h.id: h for h in c.execute(_HELD, {"ids": ids, "owner": worker_id, "until": until})}
        claimed = []
        for r in rows:
            if (h := held.get(r.id)) is not None and (item := self._take(c, r, h, worker_id, now, until)):
                claimed.append(item)
        return claimed

    def _take(self, c: Connection, r: Any, held: Any, worker_id: str, now: datetime,
              until: datetime) -> ClaimedItem | None:
        frm = Status(r.status)
        if frm is Status.SENDING:
            attempts.record_lost(c, r, now)
        try:
            payload = self._open(held.signed_payload, r.id, r.current_version, "signed") or b""
        except PermanentError as exc:
            attempts.record_unreadable(c, r, worker_id, now, exc)
            return None
        return ClaimedItem(item_id=r.id, ma_cskcb=r.ma_cskcb, ma_lk=r.ma_lk, kind=DocumentKind(r.kind),
                           profile=held.profile, version=r.current_version, attempts=r.attempts + 1,
                           payload=payload, lease_until=until, previous_status=frm)

    def _claimed(self, c: Connection, r: Any, version: int, attempts: int, until: datetime,
                 previous: Status | None = None) -> ClaimedItem:
        v = c.execute(select(outbox_version.c.profile, outbox_version.c.signed_payload).where(
            outbox_version.c.item_id == r.id, outbox_version.c.version == version)).one()
        return ClaimedItem(item_id=r.id, ma_cskcb=r.ma_cskcb, ma_lk=r.ma_lk, kind=DocumentKind(r.kind),
                           profile=v.profile, version=version, attempts=attempts,
                           payload=self._open(v.signed_payload, r.id, version, "signed") or b"",
                           lease_until=until, previous_status=previous or Status(r.status))

    def heartbeat(self, worker_id: str, item_ids: list[int], *, now: datetime, lease_s: float) -> int:
        """Extend the leases this worker still holds; returns how many it still holds."""
        if not item_ids:
            return 0
        with self.engine.begin() as c:
            return c.execute(update(outbox_item).where(
                outbox_item.c.id.in_(item_ids), outbox_item.c.status == Status.SENDING.value,
                outbox_item.c.lease_owner == worker_id,
            ).values(lease_until=now + timedelta(seconds=lease_s))).rowcount

    def complete(self, item: ClaimedItem, reply: GatewayReply, *, worker_id: str, started_at: datetime,
                 now: datetime) -> bool:
        """Record an accepted submission. False if the lease was lost (the attempt is still logged)."""
        with self.engine.begin() as c:
            attempts.record(c, item, worker_id, started_at, now, "accepted", reply=reply)
            return self._finish(c, item, worker_id, Status.ACCEPTED, now)

    def fail(self, item: ClaimedItem, decision: Decision, error: BaseException, *, worker_id: str,
             started_at: datetime, now: datetime, reply: GatewayReply | None = None) -> bool:
        """Record a failed attempt and move the item as the retry policy decided."""
        with self.engine.begin() as c:
            attempts.record(c, item, worker_id, started_at, now, _OUTCOME[decision.action], reply=reply,
                          error=error)
            return self._finish(c, item, worker_id, _FAIL_STATUS[decision.action], now,
                                b_next=decision.retry_at, b_error=decision.reason[:500])

    def release(self, item: ClaimedItem, *, worker_id: str, not_before: datetime, now: datetime) -> bool:
        """Give a claimed item back unsent (the gateway's circuit is open): the claim's attempt is
        handed back and the item is due again at ``not_before``. No attempt row: nothing was sent."""
        check(Status.SENDING, Status.RETRY_WAIT)
        with self.engine.begin() as c:
            done = c.execute(update(outbox_item).where(
                outbox_item.c.id == item.item_id, outbox_item.c.status == Status.SENDING.value,
                outbox_item.c.lease_owner == worker_id, outbox_item.c.sending_version == item.version,
            ).values(status=Status.RETRY_WAIT.value, attempts=outbox_item.c.attempts - 1,
                     next_attempt_at=not_before, lease_owner=None, lease_until=None, sending_version=None,
                     last_error=f"not sent: gateway circuit open until {not_before.isoformat()}",
                     updated_at=now)).rowcount
        return done == 1

    def _finish(self, c: Connection, item: ClaimedItem, worker_id: str, to: Status, now: datetime,
                **values: Any) -> bool:
        """Move SENDING -> ``to`` under our lease; then re-route if a newer version came meanwhile.

        One prebuilt UPDATE, conditional on status, lease owner and version; with RETURNING
        (PostgreSQL, SQLite) it also tells the current version, else one more SELECT does."""
        check(Status.SENDING, to)
        params = {"b_id": item.item_id, "b_owner": worker_id, "b_version": item.version, "b_to": to.value,
                  "b_now": now, **values}
        returning = self.engine.dialect.update_returning
        result = c.execute(_OUTCOME_SQL[to is Status.ACCEPTED][returning], params)
        current = result.scalar() if returning else (
            c.execute(_CURRENT, {"b_id": item.item_id}).scalar() if result.rowcount == 1 else None)
        if current is None:
            log.warning("outbox lease lost item=%s ma_lk=%s worker=%s; outcome %s logged only",
                        item.item_id, item.ma_lk, worker_id, to)
            return False
        if current != item.version:
            self._reroute(c, item.item_id, now)
        return True

    # ---- console (delegated) ----------------------------------------------------------------
    def list_items(self, filters: ItemFilter | None = None) -> list[ItemRow]:
        with self.engine.connect() as c:
            return queries.list_items(c, filters or ItemFilter())

    def get(self, item_id: int) -> ItemDetail | None:
        with self.engine.connect() as c:
            return queries.get(c, item_id)

    def payload(self, item_id: int, version: int | None = None) -> bytes | None:
        """The exact signed bytes of a version (default: the last one sent, else the current one)."""
        with self.engine.connect() as c:
            found = queries.signed_payload(c, item_id, version)
        return self._open(found[1], item_id, found[0], "signed") if found is not None else None

    def stats(self, now: datetime) -> Stats:
        with self.engine.connect() as c:
            return queries.stats(c, now)

    def daily_report(self, start: datetime, end: datetime, *, overdue_before: datetime) -> dict[str, Any]:
        with self.engine.connect() as c:
            return queries.daily_report(c, start, end, overdue_before=overdue_before)

    def retry(self, item_id: int, *, actor: str, reason: str, now: datetime) -> Status:
        with self.engine.begin() as c:
            return actions.retry(c, item_id, actor=actor, reason=reason, now=now)

    def cancel(self, item_id: int, *, actor: str, reason: str, now: datetime) -> Status:
        with self.engine.begin() as c:
            return actions.cancel(c, item_id, actor=actor, reason=reason, now=now)

    def resend(self, item_id: int, *, actor: str, reason: str, now: datetime) -> Status:
        with self.engine.begin() as c:
            return actions.resend(c, item_id, actor=actor, reason=reason, now=now)

    def set_paused(self, ma_cskcb: str, paused: bool, *, actor: str, reason: str, now: datetime) -> None:
        with self.engine.begin() as c:
            actions.set_paused(c, ma_cskcb, paused, actor=actor, reason=reason, now=now)

    def prune(self, now: datetime, days: int, *, actor: str = "retention", reason: str | None = None) -> int:
        """Drop stored payloads older than ``days`` of accepted items; hashes and replies stay."""
        with self.engine.begin() as c:
            return actions.prune(c, now=now, days=days, actor=actor, reason=reason)

    def rekey(self, *, actor: str, reason: str, now: datetime, batch_size: int = 50) -> rekey.RekeyReport:
        """Re-encrypt every stored payload not sealed with the current key (audited per batch)."""
        return rekey.rekey(self.engine, self.cipher, actor=actor, reason=reason, now=now,
                           batch_size=batch_size)
