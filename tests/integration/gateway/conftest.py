"""Fixtures for the gateway integration tests: the simulator over real loopback HTTPS (trustme CA)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapter.ports import Clock
from adapter.simulator import SimulatorConfig, SimulatorServer, samples
from adapter.transport.client import GatewayClient
from adapter.transport.config import FacilityAccount, GatewaySettings

sys.path.insert(0, str(Path(__file__).parent))

from gateway_helpers import ACCOUNTS, ClientFactory, account


@pytest.fixture(scope="session")
def key() -> samples.DemoKey:
    return samples.demo_key("Benh vien 79001")


@pytest.fixture(scope="session")
def key_01001() -> samples.DemoKey:
    return samples.demo_key("Benh vien 01001")


@pytest.fixture(scope="module")
def https_server(key: samples.DemoKey, key_01001: samples.DemoKey) -> Iterator[SimulatorServer]:
    config = SimulatorConfig(accounts=ACCOUNTS, tls=True, seed=11,
                             certificates={"79001": [key.cert_pem], "01001": [key_01001.cert_pem]})
    with SimulatorServer(config) as running:
        yield running


@pytest.fixture
def sim(https_server: SimulatorServer) -> SimulatorServer:
    https_server.state.reset()
    return https_server


@pytest.fixture
def make_client(sim: SimulatorServer) -> Iterator[ClientFactory]:
    made: list[GatewayClient] = []

    def make(accounts: list[FacilityAccount] | None = None, clock: Clock | None = None,
             **settings: object) -> GatewayClient:
        client = GatewayClient(GatewaySettings.model_validate(settings),
                               accounts or [account("79001"), account("01001")],
                               base_url=sim.base_url, verify=sim.client_ssl_context(), clock=clock)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
