"""Fault scenarios over loopback HTTPS: every item ends accepted once; duplicates only from lost replies.

The loop in ``deliver`` stands in for the outbox (the one retry mechanism of the product): it
resends on retryable errors and fails the test on a permanent one.
"""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from gateway_helpers import ClientFactory, submission

from adapter.errors import GatewayUnavailable, OutcomeUnknown, RetryableError
from adapter.ports import DocumentKind, Submission
from adapter.simulator import SimulatorServer, samples
from adapter.transport.client import GatewayClient

FAST = {"read_timeout_s": 1.0, "connect_timeout_s": 1.0, "breaker_failure_threshold": 50,
        "breaker_open_s": 0.05}


def deliver(client: GatewayClient, item: Submission, seen: Counter[str], max_attempts: int = 60) -> None:
    for _ in range(max_attempts):
        try:
            client.submit(item)
            return
        except RetryableError as exc:
            seen[type(exc).__name__] += 1
            if isinstance(exc, OutcomeUnknown):
                seen[f"unknown:{item.ma_lk}"] += 1
            if isinstance(exc, GatewayUnavailable):
                time.sleep(0.01)
    raise AssertionError(f"{item.ma_lk} not accepted after {max_attempts} attempts")


class SteppedClock:
    """Wall-clock start (tokens from the simulator carry real expiry times), moved by hand."""

    def __init__(self) -> None:
        self.at = datetime.now(UTC)

    def now(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


def items(key: samples.DemoKey, n: int) -> list[Submission]:
    return [submission(samples.sign(samples.claim("79001", f"LK-{i:03d}"), key), ma_lk=f"LK-{i:03d}")
            for i in range(n)]


def assert_accepted_once(sim: SimulatorServer, expected: list[Submission], seen: Counter[str]) -> None:
    """Each item accepted once; every duplicate is explained by a reply the client never got.

    A lost reply (the fault) always costs one resend. On a starved machine the client may also
    time out on a reply that was on its way: that too is an unknown outcome, seen by the client.
    """
    accepted = sim.state.accepted
    originals = [a for a in accepted if not a.duplicate]
    assert sorted(a.ma_lk for a in originals) == sorted(i.ma_lk for i in expected)
    assert not any(a.replacement for a in accepted)
    for item in expected:
        mine = [a for a in accepted if a.ma_lk == item.ma_lk]
        duplicates, lost = sum(a.duplicate for a in mine), sum(a.reply_lost for a in mine)
        assert lost <= duplicates <= seen[f"unknown:{item.ma_lk}"], item.ma_lk
        assert not mine[-1].reply_lost                          # the last acceptance was heard
    assert sim.state.report()["duplicated"] == sum(a.duplicate for a in accepted)


def test_mixed_faults_with_concurrency_end_with_everything_accepted_once(
        make_client: ClientFactory, sim: SimulatorServer, key: samples.DemoKey) -> None:
    # Threads make the order of the seeded draws vary: with 60 files every fault kind shows up
    # (a lost reply comes after the other draws, ~10 % per request: absent in 60 with p < 0.1 %).
    work = items(key, 60)
    sim.state.set_faults(sim.state.faults.updated({
        "latency_min_s": 0.0, "latency_max_s": 0.01, "error_rate": 0.15, "reset_rate": 0.15,
        "timeout_rate": 0.03, "timeout_s": 1.2, "reply_lost_rate": 0.15, "token_expiry_every": 7}))
    client, seen = make_client(**FAST), Counter[str]()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda item: deliver(client, item, seen), work))

    assert_accepted_once(sim, work, seen)
    faults = sim.state.report()["faults"]
    assert {"server_error", "reset", "reply_lost", "token_expired"} <= set(faults), faults
    dropped = Counter(r.fault for r in sim.state.received if r.endpoint == "claim")
    # a file request dropped before or after processing is an unknown outcome to the client;
    # a dropped token request is a plain transport error (nothing was submitted)
    assert seen["OutcomeUnknown"] >= dropped["reply_lost"] + dropped["reset"] + dropped["timeout"]
    assert seen["GatewayUnavailable"] >= dropped["server_error"]


def test_lost_reply_is_an_unknown_outcome_and_the_resend_a_reported_duplicate(
        make_client: ClientFactory, sim: SimulatorServer, key: samples.DemoKey) -> None:
    client, [item] = make_client(**FAST), items(key, 1)
    client.submit(submission(samples.sign(samples.checkin("79001", "WARM"), key), ma_lk="WARM",
                             kind=DocumentKind.CHECKIN))
    sim.state.set_faults(sim.state.faults.updated({"reply_lost_rate": 1.0}))
    with pytest.raises(OutcomeUnknown):
        client.submit(item)
    sim.state.set_faults(sim.state.faults.updated({"reply_lost_rate": 0.0}))

    reply = client.submit(item)

    assert reply.duplicate is True
    assert [(a.ma_lk, a.reply_lost, a.duplicate) for a in sim.state.accepted if a.kind == "claim"] == [
        ("LK-000", True, False), ("LK-000", False, True)]


def test_read_timeout_is_an_unknown_outcome_and_nothing_was_taken(
        make_client: ClientFactory, sim: SimulatorServer, key: samples.DemoKey) -> None:
    client, [item] = make_client(**FAST), items(key, 1)
    client.submit(submission(samples.sign(samples.checkin("79001", "WARM"), key), ma_lk="WARM",
                             kind=DocumentKind.CHECKIN))                       # token taken first
    sim.state.set_faults(sim.state.faults.updated({"timeout_rate": 1.0, "timeout_s": 1.2}))
    with pytest.raises(OutcomeUnknown):
        client.submit(item)
    sim.state.set_faults(sim.state.faults.updated({"timeout_rate": 0.0}))

    assert client.submit(item).duplicate is False
    assert [a.ma_lk for a in sim.state.accepted] == ["WARM", "LK-000"]


def test_breaker_pauses_sending_during_maintenance(make_client: ClientFactory, sim: SimulatorServer,
                                                   key: samples.DemoKey) -> None:
    clock = SteppedClock()
    client, [item] = make_client(clock=clock, breaker_failure_threshold=3, breaker_open_s=30), items(key, 1)
    client.submit(submission(samples.sign(samples.staff("79001"), key), ma_lk="",
                             kind=DocumentKind.STAFF))   # token taken
    sim.state.set_faults(sim.state.faults.updated({"maintenance": True}))
    for _ in range(3):
        with pytest.raises(GatewayUnavailable):
            client.submit(item)
    before = len(sim.state.received)

    with pytest.raises(GatewayUnavailable, match="circuit open"):
        client.submit(item)
    assert len(sim.state.received) == before                  # nothing went over the wire

    sim.state.set_faults(sim.state.faults.updated({"maintenance": False}))
    clock.advance(29)
    with pytest.raises(GatewayUnavailable, match="circuit open"):
        client.submit(item)
    clock.advance(1)
    assert client.submit(item).code == "200"                 # the probe after 30 s closes the circuit
    assert client.breaker.status == "closed"


def test_seeded_faults_are_reproducible(make_client: ClientFactory, sim: SimulatorServer,
                                        key: samples.DemoKey) -> None:
    work = items(key, 10)
    knobs = {"error_rate": 0.3, "reset_rate": 0.2, "reply_lost_rate": 0.2}

    def run() -> list[tuple[str, str, str]]:
        sim.state.reset()
        sim.state.set_faults(sim.state.faults.updated(knobs))
        client, seen = make_client(**FAST), Counter[str]()
        for item in work:
            deliver(client, item, seen)
        assert_accepted_once(sim, work, seen)
        return [(r.endpoint, r.code, r.fault) for r in sim.state.received]

    assert run() == run()
