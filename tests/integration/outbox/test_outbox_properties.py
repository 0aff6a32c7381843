"""Random sequences of pipeline, worker and operator operations keep the outbox's invariants.

A hypothesis state machine drives a real (in-memory) SQLite outbox with enqueues of
changing content, claims, outcomes, lease expiries, operator actions and pruning,
and checks after every step what must always hold.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from outbox_support import new_version
from sqlalchemy import func, select

from adapter.errors import GatewayRejected, InvalidTransition, TransportError
from adapter.outbox.migrate import upgrade
from adapter.outbox.open import make_engine
from adapter.outbox.retry import Action, Decision
from adapter.outbox.states import Status
from adapter.outbox.store import OutboxStore
from adapter.outbox.tables import outbox_attempt, outbox_item, outbox_version
from adapter.outbox.values import ItemFilter
from adapter.ports import GatewayReply

KEYS = st.sampled_from(["LK1", "LK2", "LK3"])
BODIES = st.sampled_from(["a", "b", "c"])
OUTCOMES = st.sampled_from([Action.RETRY, Action.DEAD, Action.REJECT, Action.NEEDS_FIX, None])


class OutboxMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.engine = make_engine("sqlite://")
        upgrade(self.engine, "0001")
        self.store = OutboxStore(self.engine)
        self.now = datetime(2026, 1, 1, tzinfo=UTC)
        self.last_body: dict[str, str] = {}
        self.attempt_rows = 0

    def teardown(self) -> None:
        self.engine.dispose()

    def _tick(self, seconds: int = 10) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now

    @rule(key=KEYS, body=BODIES, blocking=st.booleans(), signed=st.booleans())
    def enqueue(self, key: str, body: str, blocking: bool, signed: bool) -> None:
        tag = f"{body}{blocking}{signed}"
        result = self.store.enqueue(new_version(key, tag, blocking=blocking, signed=signed), now=self._tick())
        assert result.created == (self.last_body.get(key) != tag)
        self.last_body[key] = tag

    @rule(outcome=OUTCOMES, worker=st.sampled_from(["w1", "w2"]))
    def send_one(self, outcome: Action | None, worker: str) -> None:
        now = self._tick()
        for item in self.store.claim(worker, limit=1, now=now, lease_s=30):
            if outcome is None:
                self.store.complete(item, GatewayReply(code="200"), worker_id=worker, started_at=now, now=now)
            else:
                error = GatewayRejected("x", code="1") if outcome is Action.REJECT else TransportError("x")
                retry_at = now + timedelta(seconds=5) if outcome is Action.RETRY else None
                self.store.fail(
                    item,
                    Decision(action=outcome, reason="r", retry_at=retry_at),
                    error,
                    worker_id=worker,
                    started_at=now,
                    now=now,
                )

    @rule()
    def worker_dies_holding_a_lease(self) -> None:
        self.store.claim("doomed", limit=1, now=self._tick(), lease_s=30)
        self._tick(60)  # its lease runs out; nobody records an outcome

    @rule(item_id=st.integers(1, 3), action=st.sampled_from(["retry", "cancel", "resend"]))
    def operator(self, item_id: int, action: str) -> None:
        method: Callable[..., Status] = getattr(self.store, action)
        try:
            method(item_id, actor="op", reason="because", now=self._tick())
        except InvalidTransition:
            pass  # refused moves change nothing (checked below)

    @rule()
    def prune(self) -> None:
        self.store.prune(self._tick(86400 * 100), 90)

    @invariant()
    def one_item_per_key_and_current_content(self) -> None:
        rows = self.store.list_items(ItemFilter(limit=100))
        assert sorted(r.ma_lk for r in rows) == sorted(self.last_body)
        for r in rows:
            detail = self.store.get(r.id)
            assert detail is not None
            assert detail.versions[-1].version == r.version
            assert (r.status is Status.SENDING) == (detail.lease_owner is not None)
            if r.status is Status.ACCEPTED:
                assert detail.accepted_version is not None
            if r.status in (Status.READY, Status.RETRY_WAIT):
                assert detail.versions[-1].has_signed and not detail.versions[-1].blocking

    @invariant()
    def attempts_only_grow(self) -> None:
        with self.engine.connect() as c:
            n = c.execute(select(func.count()).select_from(outbox_attempt)).scalar_one()
            orphan = c.execute(
                select(func.count())
                .select_from(outbox_version)
                .where(~outbox_version.c.item_id.in_(select(outbox_item.c.id)))
            ).scalar_one()
        assert n >= self.attempt_rows and orphan == 0
        self.attempt_rows = n


TestOutboxMachine = OutboxMachine.TestCase
TestOutboxMachine.settings = settings(
    max_examples=25, stateful_step_count=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
