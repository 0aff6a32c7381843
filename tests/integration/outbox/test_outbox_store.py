"""OutboxStore on a real SQLite file: idempotency, versions, claims, leases, outcomes, operator actions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from outbox_support import create_outbox_tables, empty_outbox_tables, server_database
from sqlalchemy import Engine, func, insert, select

from adapter.errors import GatewayRejected, InvalidTransition, TransportError
from adapter.outbox.retry import Action, Decision
from adapter.outbox.states import Status
from adapter.outbox.store import OutboxStore
from adapter.outbox.tables import audit_log, outbox_attempt, outbox_item, outbox_version
from adapter.outbox.values import ItemFilter, NewVersion, sha256_hex
from adapter.ports import GatewayReply

MakeVersion = Callable[..., NewVersion]


@pytest.fixture(scope="module")
def pg_module_engine() -> Iterator[Engine]:
    with server_database("postgres", "adapter_t_outbox_store") as engine:
        create_outbox_tables(engine)
        yield engine


@pytest.fixture(scope="module")
def maria_module_engine() -> Iterator[Engine]:
    with server_database("mariadb", "adapter_t_outbox_store") as engine:
        create_outbox_tables(engine)
        yield engine


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ]
)
def store(request: pytest.FixtureRequest, sqlite_engine: Engine) -> OutboxStore:
    """The same store contract on every database the adapter supports."""
    if request.param == "sqlite":
        return OutboxStore(sqlite_engine)
    engine: Engine = request.getfixturevalue(
        f"{'pg' if request.param == 'postgres' else 'maria'}_module_engine"
    )
    empty_outbox_tables(engine)
    return OutboxStore(engine)


REPLY = GatewayReply(code="200", transaction_id="GD1", received_at="20261122100000", message="ok")


def _count(store: OutboxStore, table: object) -> int:
    with store.engine.connect() as c:
        return int(c.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def _accept(store: OutboxStore, now: datetime, worker: str = "w1") -> None:
    (item,) = store.claim(worker, limit=1, now=now, lease_s=60)
    assert store.complete(item, REPLY, worker_id=worker, started_at=now, now=now)


def test_same_content_is_never_queued_twice(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    first = store.enqueue(make_version(), now=now)
    again = store.enqueue(make_version(), now=now + timedelta(hours=1))
    assert first.created and not again.created
    assert (again.item_id, again.version, again.status) == (first.item_id, 1, Status.READY)
    assert _count(store, outbox_item) == 1 and _count(store, outbox_version) == 1


def test_blocking_issues_wait_in_needs_fix_until_a_clean_version(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    bad = store.enqueue(make_version(body="bad", blocking=True), now=now)
    assert bad.status is Status.NEEDS_FIX
    assert store.claim("w1", limit=10, now=now, lease_s=60) == []
    fixed = store.enqueue(make_version(body="good"), now=now)
    assert (fixed.item_id, fixed.version, fixed.status) == (bad.item_id, 2, Status.READY)
    detail = store.get(bad.item_id)
    assert detail is not None and [v.superseded for v in detail.versions] == [True, False]
    assert detail.versions[0].issues[0]["rule"] == "R1"


def test_unsigned_content_is_never_claimed(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    result = store.enqueue(make_version(signed=False), now=now)
    assert result.status is Status.EXTRACTED
    assert store.claim("w1", limit=10, now=now, lease_s=60) == []
    (pending,) = store.pending_signatures(limit=10)
    assert store.attach_signature(pending.item_id, pending.version, b"<signed/>", fingerprint="f", now=now)
    (item,) = store.claim("w1", limit=10, now=now, lease_s=60)
    assert item.payload == b"<signed/>"


def test_edit_after_acceptance_is_held_for_an_operator(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    store.enqueue(make_version(), now=now)
    _accept(store, now)
    held = store.enqueue(make_version(body="edited"), now=now)
    assert held.status is Status.HELD and held.version == 2
    assert store.claim("w1", limit=10, now=now, lease_s=60) == []
    assert store.resend(held.item_id, actor="op", reason="correction approved", now=now) is Status.READY
    (item,) = store.claim("w1", limit=10, now=now, lease_s=60)
    assert item.version == 2


def test_replacement_policy_send_queues_and_audits(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    store = OutboxStore(store.engine, replacement_policy="send")
    store.enqueue(make_version(), now=now)
    _accept(store, now)
    assert store.enqueue(make_version(body="edited"), now=now).status is Status.READY
    with store.engine.connect() as c:
        actions = c.execute(select(audit_log.c.action, audit_log.c.actor)).all()
    assert [tuple(a) for a in actions] == [("auto_replace", "policy")]


def test_declining_a_held_replacement_keeps_the_accepted_version(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    store.enqueue(make_version(), now=now)
    _accept(store, now)
    held = store.enqueue(make_version(body="edited"), now=now)
    assert store.cancel(held.item_id, actor="op", reason="edit not needed", now=now) is Status.ACCEPTED
    with pytest.raises(InvalidTransition, match="reason"):
        store.cancel(held.item_id, actor="op", reason=" ", now=now)


def test_enqueue_joins_the_callers_transaction(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    with pytest.raises(RuntimeError), store.transaction() as conn:
        store.enqueue(make_version(), now=now, conn=conn)
        raise RuntimeError("crash before the watermark commit")
    assert _count(store, outbox_item) == 0
    with store.transaction() as conn:
        store.enqueue(make_version(), now=now, conn=conn)
    assert _count(store, outbox_item) == 1


def test_claim_leases_and_an_expired_lease_is_taken_over(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    store.enqueue(make_version(), now=now)
    (item,) = store.claim("w1", limit=10, now=now, lease_s=60)
    assert (item.attempts, item.previous_status) == (1, Status.READY)
    assert store.claim("w2", limit=10, now=now + timedelta(seconds=59), lease_s=60) == []
    (again,) = store.claim("w2", limit=10, now=now + timedelta(seconds=61), lease_s=60)
    assert (again.attempts, again.previous_status) == (2, Status.SENDING)
    assert not store.complete(item, REPLY, worker_id="w1", started_at=now, now=now)  # lease lost
    assert store.complete(again, REPLY, worker_id="w2", started_at=now, now=now)
    detail = store.get(item.item_id)
    assert detail is not None and detail.item.status is Status.ACCEPTED
    assert [a.outcome for a in detail.attempts] == ["unknown", "accepted", "accepted"]
    assert detail.attempts[0].error_class == "LeaseExpired"


def test_heartbeat_keeps_the_lease(store: OutboxStore, make_version: MakeVersion, now: datetime) -> None:
    store.enqueue(make_version(), now=now)
    (item,) = store.claim("w1", limit=10, now=now, lease_s=60)
    assert store.heartbeat("w1", [item.item_id], now=now + timedelta(seconds=50), lease_s=60) == 1
    assert store.heartbeat("w2", [item.item_id], now=now, lease_s=60) == 0
    assert store.claim("w2", limit=10, now=now + timedelta(seconds=100), lease_s=60) == []


def test_complete_records_hash_and_reply(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    v = make_version()
    store.enqueue(v, now=now)
    (item,) = store.claim("w1", limit=1, now=now, lease_s=60)
    store.complete(item, REPLY, worker_id="w1", started_at=now, now=now + timedelta(seconds=1))
    detail = store.get(item.item_id)
    assert detail is not None
    (attempt,) = detail.attempts
    assert v.signed is not None and attempt.request_hash == sha256_hex(v.signed)
    assert (attempt.code, attempt.transaction_id, attempt.received_at, attempt.http_status) == (
        "200",
        "GD1",
        "20261122100000",
        200,
    )
    assert detail.accepted_version == 1 and store.payload(item.item_id) == v.signed


def test_retry_wait_is_due_only_after_its_time(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    store.enqueue(make_version(), now=now)
    (item,) = store.claim("w1", limit=1, now=now, lease_s=60)
    later = now + timedelta(minutes=5)
    store.fail(
        item,
        Decision(action=Action.RETRY, reason="TransportError", retry_at=later),
        TransportError("reset"),
        worker_id="w1",
        started_at=now,
        now=now,
    )
    assert store.claim("w1", limit=1, now=later - timedelta(seconds=1), lease_s=60) == []
    (again,) = store.claim("w1", limit=1, now=later, lease_s=60)
    assert again.attempts == 2


def test_rejection_is_final_until_an_operator_or_a_new_version(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    store.enqueue(make_version(), now=now)
    (item,) = store.claim("w1", limit=1, now=now, lease_s=60)
    store.fail(
        item,
        Decision(action=Action.REJECT, reason="GatewayRejected: code 110"),
        GatewayRejected("bad", code="110"),
        worker_id="w1",
        started_at=now,
        now=now,
        reply=GatewayReply(code="110", message="Sai T_BHTT", http_status=200),
    )
    assert store.claim("w1", limit=1, now=now + timedelta(days=1), lease_s=60) == []
    assert store.enqueue(make_version(body="fixed"), now=now).status is Status.READY
    report = store.daily_report(
        now - timedelta(hours=1), now + timedelta(hours=1), overdue_before=now + timedelta(days=8)
    )
    assert report["rejected"] == 1
    assert report["rejection_reasons"] == [{"code": "110", "message": "Sai T_BHTT", "count": 1}]
    assert [r["ma_lk"] for r in report["not_sent_in_time"]] == ["LK1"]


def test_new_version_while_sending_is_routed_after_the_outcome(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    store.enqueue(make_version(), now=now)
    (item,) = store.claim("w1", limit=1, now=now, lease_s=60)
    assert store.enqueue(make_version(body="edited"), now=now).status is Status.SENDING
    store.complete(item, REPLY, worker_id="w1", started_at=now, now=now)
    detail = store.get(item.item_id)
    assert detail is not None and detail.item.status is Status.HELD and detail.accepted_version == 1


def test_blocking_version_while_retrying_is_not_sent(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    store.enqueue(make_version(), now=now)
    (item,) = store.claim("w1", limit=1, now=now, lease_s=60)
    store.enqueue(make_version(body="bad", blocking=True), now=now)
    store.fail(
        item,
        Decision(action=Action.RETRY, reason="x", retry_at=now),
        TransportError("x"),
        worker_id="w1",
        started_at=now,
        now=now,
    )
    assert store.claim("w1", limit=1, now=now + timedelta(hours=1), lease_s=60) == []
    assert store.list_items(ItemFilter(status=(Status.NEEDS_FIX,)))[0].version == 2


def test_facility_filter_and_pause(store: OutboxStore, make_version: MakeVersion, now: datetime) -> None:
    store.enqueue(make_version("A", facility="79001"), now=now)
    store.enqueue(make_version("B", facility="01001"), now=now)
    assert store.claim("w1", limit=10, now=now, lease_s=60, facilities=set()) == []
    store.set_paused("79001", True, actor="op", reason="gateway maintenance", now=now)
    assert [i.ma_lk for i in store.due_items(now=now, limit=10)] == ["B"]
    assert store.stats(now).paused == ("79001",)
    store.set_paused("79001", False, actor="op", reason="done", now=now)
    (item,) = store.claim("w1", limit=10, now=now, lease_s=60, facilities={"79001"})
    assert item.ma_lk == "A"


def test_operator_retry_cancel_and_audit(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    store.enqueue(make_version("A"), now=now)
    store.enqueue(make_version("B"), now=now)
    for item in store.claim("w1", limit=2, now=now, lease_s=60):
        store.fail(
            item,
            Decision(action=Action.DEAD, reason="gave up"),
            TransportError("x"),
            worker_id="w1",
            started_at=now,
            now=now,
        )
    dead = store.list_items(ItemFilter(status=(Status.DEAD,)))
    assert store.retry(dead[0].id, actor="op", reason="", now=now) is Status.READY
    assert store.cancel(dead[1].id, actor="op", reason="duplicate visit", now=now) is Status.CANCELLED
    with pytest.raises(InvalidTransition):
        store.retry(dead[1].id, actor="op", reason="", now=now)
    detail = store.get(dead[1].id)
    assert detail is not None and [(a["action"], a["reason"]) for a in detail.audit] == [
        ("cancel", "duplicate visit")
    ]
    assert store.get(999) is None


def test_prune_keeps_hashes_and_replies(store: OutboxStore, make_version: MakeVersion, now: datetime) -> None:
    store.enqueue(make_version("A"), now=now)
    store.enqueue(make_version("B"), now=now)
    _accept(store, now)
    assert store.prune(now + timedelta(days=91), 90) == 1
    assert store.prune(now + timedelta(days=91), 90) == 0
    a = store.get(1)
    b = store.get(2)
    assert a is not None and b is not None
    assert a.versions[0].pruned and a.versions[0].signed_hash and a.attempts[0].transaction_id == "GD1"
    assert not b.versions[0].pruned and store.payload(1) is None


def test_stats_counts_and_ages(store: OutboxStore, make_version: MakeVersion, now: datetime) -> None:
    store.enqueue(make_version("A"), now=now)
    store.enqueue(make_version("B"), now=now + timedelta(hours=1))
    _accept(store, now + timedelta(hours=2))
    s = store.stats(now + timedelta(hours=3))
    assert s.by_status == {"accepted": 1, "ready": 1}
    assert s.by_facility == {"79001": {"accepted": 1, "ready": 1}}
    assert s.acceptance_rate == 1.0 and s.oldest_pending_age_s == 7200


def test_naive_timestamps_are_refused(store: OutboxStore, make_version: MakeVersion) -> None:
    with pytest.raises(Exception, match="naive"):
        store.enqueue(make_version(), now=datetime(2026, 1, 1))


def test_attempts_table_is_only_appended(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    store.enqueue(make_version(), now=now)
    (item,) = store.claim("w1", limit=1, now=now, lease_s=60)
    store.fail(
        item,
        Decision(action=Action.RETRY, reason="x", retry_at=now),
        TransportError("x"),
        worker_id="w1",
        started_at=now,
        now=now,
    )
    (item,) = store.claim("w1", limit=1, now=now, lease_s=60)
    store.complete(item, REPLY, worker_id="w1", started_at=now, now=now)
    with store.engine.connect() as c:
        rows = c.execute(
            select(outbox_attempt.c.attempt_no, outbox_attempt.c.outcome).order_by(outbox_attempt.c.id)
        ).all()
    assert [tuple(r) for r in rows] == [(1, "retry"), (2, "accepted")]
    _ = insert  # the store never issues UPDATE/DELETE on outbox_attempt (see store.py)


def test_the_store_refuses_moves_outside_the_table(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    store.enqueue(make_version(), now=now)
    store.claim("w1", limit=1, now=now, lease_s=60)
    with pytest.raises(InvalidTransition):
        store.cancel(1, actor="op", reason="too late", now=now)  # in flight
    with pytest.raises(InvalidTransition):
        store.resend(1, actor="op", reason="again", now=now)
    detail = store.get(1)
    assert detail is not None and detail.item.status is Status.SENDING and detail.audit == ()


def test_two_claimers_never_share_an_item(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    import threading

    with store.transaction() as conn:
        for i in range(40):
            store.enqueue(make_version(f"LK{i:02}"), now=now, conn=conn)
    got: dict[str, list[int]] = {"a": [], "b": []}

    def claim(worker: str) -> None:
        while batch := store.claim(worker, limit=2, now=now, lease_s=60):
            got[worker].extend(i.item_id for i in batch)

    threads = [threading.Thread(target=claim, args=(w,)) for w in got]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(got["a"] + got["b"]) == list(range(1, 41))


def test_in_memory_sqlite_is_one_shared_database(make_version: MakeVersion, now: datetime) -> None:
    from adapter.outbox.migrate import upgrade
    from adapter.outbox.open import make_engine

    engine = make_engine("sqlite://")
    upgrade(engine, "0001")
    store = OutboxStore(engine)
    store.enqueue(make_version(), now=now)
    assert [r.ma_lk for r in store.list_items()] == ["LK1"]
    engine.dispose()


def test_an_edit_undone_in_the_his_settles_back_to_accepted(
    store: OutboxStore, make_version: MakeVersion, now: datetime
) -> None:
    store.enqueue(make_version(), now=now)
    _accept(store, now)
    assert store.enqueue(make_version(body="edited"), now=now).status is Status.HELD
    back = store.enqueue(make_version(), now=now)
    assert (back.status, back.version) == (Status.ACCEPTED, 3)
    assert store.enqueue(make_version(), now=now).created is False
    assert store.enqueue(make_version(body="edited"), now=now).status is Status.HELD
