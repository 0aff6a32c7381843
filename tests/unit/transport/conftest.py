"""Fixtures for the gateway client unit tests (doubles in transport_doubles.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from transport_doubles import PASSWORD, ClientFactory, MutableClock, ScriptedGateway

from adapter.transport.client import GatewayClient
from adapter.transport.config import FacilityAccount, GatewaySettings


@pytest.fixture
def gateway() -> ScriptedGateway:
    return ScriptedGateway()


@pytest.fixture
def clock() -> MutableClock:
    return MutableClock()


@pytest.fixture
def account() -> FacilityAccount:
    return FacilityAccount(ma_cskcb="79001", username="79001_BV", password=PASSWORD)



@pytest.fixture
def make_client(gateway: ScriptedGateway, clock: MutableClock,
                account: FacilityAccount) -> Iterator[ClientFactory]:
    made: list[GatewayClient] = []

    def make(**settings: object) -> GatewayClient:
        client = GatewayClient(GatewaySettings.model_validate(settings), [account],
                               base_url="https://gw.test", transport=httpx.MockTransport(gateway),
                               clock=clock)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
