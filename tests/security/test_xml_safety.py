"""Issue 10 item 7: XXE, entity expansion and DTDs are refused on every XML input.

Every entry point that parses XML someone else wrote is fed the same hostile variants
(``xml_attacks.py``): validation (single tables, envelopes, tables inside envelopes),
signing (sign and verify), the simulator (its parser and over HTTP), the registry's
02/DM reader and the gateway client's reply handling. Whatever the verdict, a canary
file's content never appears in any output and a loopback listener is never contacted.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from badinput_files import base_tables, claim
from pydantic import SecretStr
from security_support import Canary, Listener
from xml_attacks import Attack, attacks

from adapter.errors import (
    AdapterError,
    DataError,
    GatewayRejected,
    SignatureInvalid,
    SigningError,
    XmlInputError,
)
from adapter.ports import DocumentKind, Submission
from adapter.signing.testing import ephemeral_key_material
from adapter.signing.xmldsig import parse_document, sign_xml, verify_xml
from adapter.simulator import SimulatorConfig, SimulatorServer, samples
from adapter.simulator.checks import parse_safe
from adapter.transport.client import GatewayClient
from adapter.transport.config import FacilityAccount, GatewaySettings
from adapter.validation.engine import validate_document
from adapter.validation.parse import parse_xml

TOKEN = {
    "access_token": "t",
    "id_token": "i",
    "token_type": "Bearer",
    "username": "79001_BV",
    "expires_in": "2099-01-01T00:00:00Z",
}
ATTACK_NAMES = [a.name for a in attacks(Path("/nonexistent"), "http://127.0.0.1:1")]


@pytest.fixture(params=ATTACK_NAMES)
def attack(request: pytest.FixtureRequest, canary: Canary, fresh_listener: Listener) -> Iterator[Attack]:
    found = {a.name: a for a in attacks(canary.path, fresh_listener.url)}
    yield found[request.param]
    assert fresh_listener.hits == [], f"{request.param}: the parser fetched {fresh_listener.hits}"


def _clean(text: object, canary: Canary) -> None:
    assert canary.secret not in repr(text)


# -- validation --------------------------------------------------------------------------------


def test_validate_single_table(attack: Attack, canary: Canary) -> None:
    report = validate_document(attack(base_tables()[1], "MA_LK"))
    _clean(report, canary)
    if attack.declares_dtd:
        assert report.blocking
        rules = {i.rule for i in report.issues}
        assert "XML_UNSAFE" in rules, rules


def test_validate_table_inside_envelope(attack: Attack, canary: Canary) -> None:
    report = validate_document(claim({**base_tables(), 1: attack(base_tables()[1], "MA_LK")}))
    _clean(report, canary)
    if attack.declares_dtd:
        located = {(i.rule, i.table, i.field) for i in report.issues}
        assert ("XML_UNSAFE", "ENVELOPE", "XML1") in located, located
        assert report.blocking


def test_validate_envelope_itself(attack: Attack, canary: Canary) -> None:
    report = validate_document(attack(claim(), "MACSKCB"))
    _clean(report, canary)
    if attack.declares_dtd:
        assert report.blocking


def test_parse_xml_refuses_every_dtd(attack: Attack, canary: Canary) -> None:
    document = attack(base_tables()[1], "MA_LK")
    if not attack.declares_dtd:
        _clean(parse_xml(document).xpath("string()"), canary)
        return
    with pytest.raises(XmlInputError) as caught:
        parse_xml(document)
    _clean(caught.value, canary)


# -- signing -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def key() -> object:
    return ephemeral_key_material(datetime.now(UTC), ma_cskcb="79001")


def test_sign_refuses_dtd_and_never_resolves(attack: Attack, canary: Canary, key: object) -> None:
    document = attack(claim(), "MACSKCB")
    if attack.declares_dtd:
        with pytest.raises((XmlInputError, SigningError)) as caught:
            sign_xml(document, key)  # type: ignore[arg-type]
        _clean(caught.value, canary)
    else:
        _clean(sign_xml(document, key), canary)  # type: ignore[arg-type]


def test_verify_refuses_a_validly_signed_document_given_a_dtd(
    attack: Attack, canary: Canary, key: object
) -> None:
    signed = sign_xml(claim(), key)  # type: ignore[arg-type]
    hostile = attack(signed, "MACSKCB")
    if not attack.declares_dtd:
        # A PI before the root lies outside what is signed; the rest breaks the digest. Either way,
        # nothing is fetched (the fixture checks the listener) and nothing is read.
        try:
            _clean(verify_xml(hostile), canary)
        except SignatureInvalid as exc:
            _clean(exc, canary)
        return
    with pytest.raises(SignatureInvalid) as caught:
        verify_xml(hostile)
    _clean(caught.value, canary)
    with pytest.raises(XmlInputError):
        parse_document(hostile)


# -- simulator -----------------------------------------------------------------------------------


def test_simulator_parser_refuses_dtd(attack: Attack, canary: Canary) -> None:
    document = attack(claim(), "MACSKCB")
    if not attack.declares_dtd:
        _clean(parse_safe(document).xpath("string()"), canary)
        return
    with pytest.raises(DataError) as caught:
        parse_safe(document)
    _clean(caught.value, canary)


@pytest.fixture(scope="module")
def sim_key() -> samples.DemoKey:
    return samples.demo_key("Benh vien 79001")


@pytest.fixture(scope="module")
def simulator(sim_key: samples.DemoKey) -> Iterator[SimulatorServer]:
    config = SimulatorConfig(
        accounts={"79001_BV": ("pw", "79001")}, certificates={"79001": [sim_key.cert_pem]}
    )
    with SimulatorServer(config) as running:
        yield running


@pytest.fixture(scope="module")
def client(simulator: SimulatorServer) -> Iterator[GatewayClient]:
    made = GatewayClient(
        GatewaySettings(),
        [FacilityAccount(ma_cskcb="79001", username="79001_BV", password=SecretStr("pw"))],
        base_url=simulator.base_url,
    )
    yield made
    made.close()


def _submit(client: GatewayClient, payload: bytes) -> object:
    return client.submit(
        Submission(ma_cskcb="79001", kind=DocumentKind.CLAIM, profile="3176", payload=payload, ma_lk="LK-XXE")
    )


def test_simulator_over_http_refuses_signed_envelope_with_dtd(
    attack: Attack, canary: Canary, client: GatewayClient, sim_key: samples.DemoKey
) -> None:
    hostile = attack(samples.sign(claim(), sim_key), "MACSKCB")
    if attack.declares_dtd:
        with pytest.raises(GatewayRejected) as caught:
            _submit(client, hostile)
        _clean(caught.value, canary)
    else:
        try:
            _clean(_submit(client, hostile), canary)
        except AdapterError as exc:
            _clean(exc, canary)


def test_simulator_over_http_refuses_hostile_table_inside_a_valid_signature(
    attack: Attack, canary: Canary, client: GatewayClient, sim_key: samples.DemoKey
) -> None:
    tables = {**base_tables(), 1: attack(base_tables()[1], "MA_LK")}
    signed = samples.sign(claim(tables), sim_key)
    if attack.declares_dtd:
        with pytest.raises(GatewayRejected) as caught:
            _submit(client, signed)
        _clean(caught.value, canary)
    else:
        try:
            _clean(_submit(client, signed), canary)
        except AdapterError as exc:
            _clean(exc, canary)


# -- registry (02/DM read-back) ---------------------------------------------------------------------


def test_staff_catalogue_reader_refuses_dtd(attack: Attack, canary: Canary) -> None:
    from adapter.registry.staff_xml import parse_staff_catalogue

    document = attack(
        b'<?xml version="1.0" encoding="utf-8"?><DS><MA_CSKCB>79001</MA_CSKCB></DS>', "MA_CSKCB"
    )
    if not attack.declares_dtd:
        _clean(parse_staff_catalogue(document), canary)
        return
    with pytest.raises(XmlInputError) as caught:
        parse_staff_catalogue(document)
    _clean(caught.value, canary)


# -- gateway replies: JSON only; an XML (hostile) reply is never parsed as XML -------------------------


def test_gateway_client_never_parses_an_xml_reply(attack: Attack, canary: Canary) -> None:
    hostile = attack(b'<?xml version="1.0" encoding="utf-8"?><R><maKetQua>200</maKetQua></R>', "maKetQua")

    def reply(request: httpx.Request) -> httpx.Response:
        if "token" in request.url.path:  # a good token first, so the claim reply is what gets read
            return httpx.Response(200, json={"maKetQua": "200", "APIKey": TOKEN})
        seen.append(request.url.path)
        return httpx.Response(200, content=hostile, headers={"Content-Type": "application/xml"})

    seen: list[str] = []

    client = GatewayClient(
        GatewaySettings(),
        [FacilityAccount(ma_cskcb="79001", username="79001_BV", password=SecretStr("pw"))],
        base_url="http://gateway.invalid",
        transport=httpx.MockTransport(reply),
    )
    try:
        with pytest.raises(AdapterError) as caught:
            _submit(client, base64.b64encode(b"<x/>"))
        _clean(caught.value, canary)
        assert seen, "the claim request was never made"
    finally:
        client.close()


# -- drop folder (the HIS's own export files), through the composition root ---------------------------


def test_drop_folder_refuses_every_dtd_and_fetches_nothing(
    tmp_path: Path, canary: Canary, fresh_listener: Listener
) -> None:
    from badinput_pipeline import running_app

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    found = attacks(canary.path, fresh_listener.url)
    for attack in found:
        (inbox / f"{attack.name}.xml").write_bytes(attack(claim(), "MACSKCB"))
        (inbox / f"{attack.name}_inner.xml").write_bytes(
            claim({**base_tables(), 1: attack(base_tables()[1], "MA_LK")})
        )
    with running_app(tmp_path / "work", None, drop_folder=inbox) as app:
        app.poll_his()
    reports = {
        p.name.removesuffix(".xml.report.json"): p.read_text(encoding="utf-8")
        for p in inbox.rglob("*.report.json")
    }
    assert len(reports) == 2 * len(found) and not list(inbox.glob("*.xml"))
    for attack in (a for a in found if a.declares_dtd):
        for stem in (attack.name, f"{attack.name}_inner"):
            assert (inbox / "failed" / f"{stem}.xml").exists(), stem
            assert '"queued": false' in reports[stem], stem
    assert all(canary.secret not in text for text in reports.values())
    assert fresh_listener.hits == []
