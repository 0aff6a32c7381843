"""The in-memory fake gateway: scripted failures and records (its shared contract runs in
tests/integration/gateway/test_gateway_port_contract.py)."""

from __future__ import annotations

import pytest

from adapter.errors import GatewayRejected, GatewayUnavailable, OutcomeUnknown
from adapter.ports import DocumentKind, Submission
from adapter.transport.fake import InMemoryGateway


def item(payload: bytes = b"<x/>") -> Submission:
    return Submission(ma_cskcb="79001", kind=DocumentKind.CLAIM, profile="3176", payload=payload, ma_lk="A")


def test_scripted_failures_come_in_order_and_record_nothing() -> None:
    fake = InMemoryGateway()
    fake.fail_next(GatewayUnavailable("down"), GatewayRejected("bad", code="123"))
    with pytest.raises(GatewayUnavailable):
        fake.submit(item())
    with pytest.raises(GatewayRejected):
        fake.submit(item())
    assert fake.taken == []
    assert fake.submit(item()).code == "200"
    assert [t.ma_lk for t in fake.taken] == ["A"]


def test_outcome_unknown_records_the_acceptance() -> None:
    fake = InMemoryGateway()
    fake.fail_next(OutcomeUnknown("lost"))
    with pytest.raises(OutcomeUnknown):
        fake.submit(item())
    assert fake.submit(item()).duplicate is True
    assert [t.duplicate for t in fake.taken] == [False, True]
