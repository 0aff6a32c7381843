"""FhirEndpoint against a real HTTP server on loopback: what is posted, and how failures map."""

from __future__ import annotations

import json
import socket
from datetime import datetime
from typing import Any

import httpx
import pytest
from fhir_receiver import Answer, Receiver

from adapter.errors import (
    AuthenticationError,
    ConfigError,
    DataError,
    GatewayRejected,
    GatewayUnavailable,
    OutcomeUnknown,
    TransportError,
)
from adapter.fhir_transport import FhirEndpoint
from adapter.mappers.fhir import FhirPolicy, build_bundle, validate_bundle
from adapter.mappers.fhir.demo import demo_encounter, demo_facility
from adapter.ports import DocumentKind, Submission


@pytest.fixture
def bundle() -> dict[str, Any]:
    return build_bundle(demo_encounter(), demo_facility(), policy=FhirPolicy(),
                        generated_at=datetime(2026, 3, 9, 11, 0))


def test_document_mode_posts_the_bundle_to_bundle(receiver: Receiver, client: httpx.Client,
                                                  bundle: dict[str, Any]) -> None:
    reply = FhirEndpoint(receiver.base_url, client).post_bundle(bundle)
    assert reply.http_status == 201 and reply.transaction_id == "/fhir/Bundle/stored-1"
    [got] = receiver.received
    assert got.path == "/fhir/Bundle"
    assert got.content_type == "application/fhir+json"
    assert got.body == bundle
    assert got.headers["If-None-Exist"] == f"identifier=urn:ietf:rfc:3986|urn:uuid:{bundle['id']}"
    validate_bundle(got.body)


def test_configured_headers_are_sent(receiver: Receiver, client: httpx.Client,
                                     bundle: dict[str, Any]) -> None:
    endpoint = FhirEndpoint(receiver.base_url, client, headers={"Authorization": "Bearer t0ken"})
    endpoint.post_bundle(bundle)
    assert receiver.received[0].headers["Authorization"] == "Bearer t0ken"
    assert receiver.received[0].content_type == "application/fhir+json"


def test_transaction_mode_puts_every_resource(receiver: Receiver, client: httpx.Client,
                                              bundle: dict[str, Any]) -> None:
    receiver.answers.append(Answer(status=200, body={"resourceType": "Bundle", "id": "tx-1",
                                                     "type": "transaction-response"}))
    reply = FhirEndpoint(receiver.base_url, client, mode="transaction").post_bundle(bundle)
    assert reply.transaction_id == "tx-1"
    [got] = receiver.received
    assert got.path == "/fhir"
    assert "If-None-Exist" not in got.headers      # PUT by id is idempotent already
    assert got.body["type"] == "transaction"
    assert {e["request"]["method"] for e in got.body["entry"]} == {"PUT"}
    assert [e["resource"] for e in got.body["entry"]] == [e["resource"] for e in bundle["entry"]]


def test_the_gateway_port_sends_the_payload(receiver: Receiver, client: httpx.Client,
                                            bundle: dict[str, Any]) -> None:
    payload = json.dumps(bundle, ensure_ascii=False).encode()
    sub = Submission(ma_cskcb="79001", kind=DocumentKind.FHIR, profile="R4B", payload=payload, ma_lk="LK0001")
    assert FhirEndpoint(receiver.base_url, client).submit(sub).code == "201"
    assert receiver.received[0].body == bundle


def test_a_rejection_carries_the_issue_code_not_the_diagnostics(
        receiver: Receiver, client: httpx.Client, bundle: dict[str, Any]) -> None:
    receiver.answers.append(Answer(status=422, body={"resourceType": "OperationOutcome", "issue": [
        {"severity": "error", "code": "invariant", "diagnostics": "Patient Nguyễn Văn An is wrong"}]}))
    with pytest.raises(GatewayRejected) as caught:
        FhirEndpoint(receiver.base_url, client).post_bundle(bundle)
    assert caught.value.code == "invariant"
    assert "Nguyễn" not in str(caught.value)


@pytest.mark.parametrize(("status", "error"), [(503, GatewayUnavailable), (429, GatewayUnavailable),
                                               (401, AuthenticationError), (400, GatewayRejected)])
def test_status_codes_map_to_the_error_tree(receiver: Receiver, client: httpx.Client, bundle: dict[str, Any],
                                            status: int, error: type[Exception]) -> None:
    receiver.answers.append(Answer(status=status))
    with pytest.raises(error):
        FhirEndpoint(receiver.base_url, client).post_bundle(bundle)


def test_a_lost_reply_is_an_unknown_outcome(receiver: Receiver, client: httpx.Client,
                                            bundle: dict[str, Any]) -> None:
    receiver.answers.append(Answer(delay_s=1.5))
    with pytest.raises(OutcomeUnknown):
        FhirEndpoint(receiver.base_url, client).post_bundle(bundle)
    assert len(receiver.received) == 1     # it did arrive: retrying must be safe (transaction mode)


def test_an_unreachable_endpoint_is_a_transport_error(client: httpx.Client, bundle: dict[str, Any]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]          # bound, not listening: connection refused
        with pytest.raises(TransportError):
            FhirEndpoint(f"http://127.0.0.1:{port}/fhir", client).post_bundle(bundle)


def test_bad_configuration_is_refused(client: httpx.Client) -> None:
    with pytest.raises(ConfigError):
        FhirEndpoint("ftp://x", client)
    with pytest.raises(ConfigError):
        FhirEndpoint("http://x", client, mode="batch")  # type: ignore[arg-type]


def test_the_gateway_port_refuses_other_kinds_and_non_json(receiver: Receiver, client: httpx.Client) -> None:
    endpoint = FhirEndpoint(receiver.base_url, client)
    claim = Submission(ma_cskcb="79001", kind=DocumentKind.CLAIM, profile="3176", payload=b"<x/>",
                       ma_lk="LK1")
    with pytest.raises(ConfigError):
        endpoint.submit(claim)
    garbage = Submission(ma_cskcb="79001", kind=DocumentKind.FHIR, profile="R4B", payload=b"<x/>",
                         ma_lk="LK1")
    with pytest.raises(DataError) as caught:
        endpoint.submit(garbage)
    assert caught.value.record == "LK1" and caught.value.rule == "FHIR-PAYLOAD"
    assert receiver.received == []
