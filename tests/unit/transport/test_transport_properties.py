"""Properties: reply handling never fails with anything but an adapter error; the breaker never
lets traffic through while open."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from adapter.errors import AdapterError, GatewayRejected, PermanentError, RetryableError
from adapter.transport import breaker as cb
from adapter.transport.replies import ReplyTable, interpret

TABLE = ReplyTable()
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8)
bodies = st.one_of(
    st.binary(max_size=64),
    st.builds(lambda d: json.dumps(d).encode(), json_values),
    st.builds(lambda code, rest: json.dumps({"maKetQua": code, **rest}).encode(),
              st.one_of(st.sampled_from(["200", "401", "402", "403", "500", "503", "123", "999"]),
                        st.integers(), st.none()),
              st.dictionaries(st.sampled_from(["maGiaoDich", "thongDiep", "thoiGianTiepNhan", "trungLap"]),
                              json_values, max_size=4)),
)


@settings(max_examples=300, deadline=None)
@given(status=st.integers(min_value=100, max_value=599), body=bodies)
def test_interpret_returns_a_reply_or_raises_a_typed_adapter_error(status: int, body: bytes) -> None:
    try:
        reply = interpret(status, body, TABLE)
    except AdapterError as exc:
        assert isinstance(exc, RetryableError | PermanentError)
        if isinstance(exc, GatewayRejected):
            assert exc.code
        return
    assert reply.code == "200" and 200 <= status < 300


@settings(max_examples=200, deadline=None)
@given(events=st.lists(st.tuples(st.sampled_from(["admit", "ok", "fail"]), st.integers(0, 20)), max_size=40))
def test_breaker_never_admits_while_open(events: list[tuple[str, int]]) -> None:
    policy = cb.BreakerPolicy(threshold=3, open_for=timedelta(seconds=10))
    state, now = cb.Breaker(), datetime(2026, 1, 1, tzinfo=UTC)
    for event, seconds in events:
        now += timedelta(seconds=seconds)
        if event == "admit":
            allowed, after = cb.admit(state, now, policy)
            if state.status is cb.BreakerStatus.OPEN and state.opened_at is not None:
                assert allowed == (now >= state.opened_at + policy.open_for)
            if state.status is cb.BreakerStatus.HALF_OPEN:
                assert not allowed                          # a probe is already in flight
            state = after
        elif event == "ok":
            state = cb.succeeded(state)
            assert state.status is cb.BreakerStatus.CLOSED and state.failures == 0
        else:
            state = cb.failed(state, now, policy)
            assert state.status is not cb.BreakerStatus.HALF_OPEN
