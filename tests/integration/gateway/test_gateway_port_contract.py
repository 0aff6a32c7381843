"""One contract, two implementations of ``adapter.ports.Gateway``: the real client against the
simulator over HTTPS, and the shipped in-memory fake. Services may rely on exactly this."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from gateway_helpers import submission

from adapter.errors import ConfigError, OutcomeUnknown
from adapter.ports import DocumentKind, Gateway
from adapter.simulator import SimulatorServer, samples
from adapter.transport.fake import InMemoryGateway


@dataclass
class Port:
    gateway: Gateway
    lose_next_reply: Callable[[], None]
    restore: Callable[[], None]


@pytest.fixture(params=["client+simulator", "in-memory fake"])
def port(request: pytest.FixtureRequest) -> Iterator[Port]:
    if request.param == "in-memory fake":
        fake = InMemoryGateway(facilities=["79001", "01001"])
        yield Port(fake, lambda: fake.fail_next(OutcomeUnknown("reply lost")), lambda: None)
        return
    sim: SimulatorServer = request.getfixturevalue("sim")
    client = request.getfixturevalue("make_client")()

    def knob(rate: float) -> Callable[[], None]:
        return lambda: sim.state.set_faults(sim.state.faults.updated({"reply_lost_rate": rate}))
    yield Port(client, knob(1.0), knob(0.0))


@pytest.fixture
def doc(key: samples.DemoKey) -> Callable[..., bytes]:
    def make(ma_lk: str = "LK-1", total: str = "68500", kind: str = "claim") -> bytes:
        if kind == "checkin":
            return samples.sign(samples.checkin("79001", ma_lk), key)
        body = samples.claim("79001", ma_lk, total=total)
        return samples.sign(body, key)
    return make


def test_accepts_with_a_transaction_and_a_receipt_time(port: Port, doc: Callable[..., bytes]) -> None:
    reply = port.gateway.submit(submission(doc()))
    assert reply.code == "200" and reply.transaction_id and not reply.duplicate
    assert re.fullmatch(r"\d{14}", reply.received_at)


def test_identical_resend_is_a_duplicate_changed_content_is_not(port: Port,
                                                                doc: Callable[..., bytes]) -> None:
    first = port.gateway.submit(submission(doc()))
    again = port.gateway.submit(submission(doc()))
    changed = port.gateway.submit(submission(doc(total="70000")))

    assert (first.duplicate, again.duplicate, changed.duplicate) == (False, True, False)
    assert len({first.transaction_id, again.transaction_id, changed.transaction_id}) == 3


def test_kinds_are_kept_apart(port: Port, doc: Callable[..., bytes]) -> None:
    port.gateway.submit(submission(doc(kind="checkin"), kind=DocumentKind.CHECKIN))
    assert port.gateway.submit(submission(doc())).duplicate is False


def test_lost_reply_then_resend_is_a_duplicate(port: Port, doc: Callable[..., bytes]) -> None:
    port.gateway.submit(submission(doc("WARM")))                  # token in hand, connection open
    port.lose_next_reply()
    with pytest.raises(OutcomeUnknown):
        port.gateway.submit(submission(doc()))
    port.restore()
    assert port.gateway.submit(submission(doc())).duplicate is True


def test_unknown_facility_is_a_configuration_error(port: Port, doc: Callable[..., bytes]) -> None:
    with pytest.raises(ConfigError):
        port.gateway.submit(submission(doc(), ma_cskcb="02001"))

