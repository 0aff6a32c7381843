"""Fixtures for the simulator unit tests: real keys, real signatures, the app on loopback HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from adapter.simulator import SimulatorConfig, SimulatorServer, samples


class MutableClock:
    def __init__(self) -> None:
        self.at = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


@pytest.fixture(scope="session")
def key() -> samples.DemoKey:
    return samples.demo_key()


@pytest.fixture(scope="session")
def other_key() -> samples.DemoKey:
    return samples.demo_key("Someone else")


@pytest.fixture(scope="module")
def server(key: samples.DemoKey) -> Iterator[SimulatorServer]:
    config = SimulatorConfig(accounts={"79001_BV": ("pw-79001", "79001"), "01001_BV": ("pw-01001", "01001")},
                             certificates={"79001": [key.cert_pem]}, seed=7, clock=MutableClock())
    with SimulatorServer(config) as running:
        yield running


@pytest.fixture
def sim(server: SimulatorServer) -> SimulatorServer:
    """The module's server with a fresh memory (records, tokens, faults, RNG)."""
    server.state.reset()
    clock = server.config.clock
    assert isinstance(clock, MutableClock)
    clock.at = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)
    return server


@pytest.fixture
def api(sim: SimulatorServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sim.base_url, timeout=5) as client:
        yield client
