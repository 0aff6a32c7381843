"""Fixtures of the FHIR integration tests: a local receiver and an httpx client."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fhir_receiver import Receiver, running_receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as r:
        yield r


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=httpx.Timeout(5.0, read=0.5)) as c:
        yield c
