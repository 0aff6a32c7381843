"""Interoperability: the simulator accepts what the product's own signer and envelope builder make,
and an independent verifier (xmlsec1) accepts what the simulator's sample signer makes."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from gateway_helpers import account, submission

from adapter.ports import DocumentKind, FixedClock
from adapter.simulator import SimulatorConfig, SimulatorServer, samples
from adapter.transport.client import GatewayClient
from adapter.transport.config import GatewaySettings

NOW = datetime.now(UTC)
XML1 = (b'<?xml version="1.0" encoding="utf-8"?>\n<TONG_HOP><MA_LK>LK-INTEROP</MA_LK><STT>1</STT>'
        b"<MA_CSKCB>79001</MA_CSKCB></TONG_HOP>")


def test_product_signed_envelope_and_checkin_are_accepted() -> None:
    signing = pytest.importorskip("adapter.signing.testing", reason="adapter.signing not available")
    envelope = pytest.importorskip("adapter.mappers.envelope", reason="adapter.mappers not available")
    signer = signing.ephemeral_signer(FixedClock(at=NOW), ma_cskcb="79001")
    cert_pem = signer.certificate.public_bytes(serialization.Encoding.PEM)
    claim = signer.sign(envelope.envelope("79001", date(2026, 6, 1), {1: XML1}))
    checkin = signer.sign(samples.checkin("79001", "LK-INTEROP"))

    config = SimulatorConfig(accounts={"79001_BV": ("pw-79001", "79001")}, certificates={"79001": [cert_pem]},
                             tls=True)
    with SimulatorServer(config) as sim, GatewayClient(GatewaySettings(), [account()], base_url=sim.base_url,
                                                       verify=sim.client_ssl_context()) as client:
        replies = [client.submit(submission(checkin, kind=DocumentKind.CHECKIN, ma_lk="LK-INTEROP")),
                   client.submit(submission(claim, ma_lk="LK-INTEROP"))]
        accepted = sim.state.accepted

    assert [r.code for r in replies] == ["200", "200"]
    assert [(a.kind, a.ma_lk) for a in accepted] == [("checkin", "LK-INTEROP"), ("claim", "LK-INTEROP")]


@pytest.mark.xmlsec1
@pytest.mark.skipif(shutil.which("xmlsec1") is None, reason="xmlsec1 CLI not installed")
def test_sample_signatures_verify_with_xmlsec1(tmp_path: Path, key: samples.DemoKey) -> None:
    (tmp_path / "cert.pem").write_bytes(key.cert_pem)
    documents = {"claim": samples.claim("79001", "LK-1"), "checkin": samples.checkin("79001", "LK-1"),
                 "staff": samples.staff("79001")}
    for name, doc in documents.items():
        (tmp_path / f"{name}.xml").write_bytes(samples.sign(doc, key))
        done = subprocess.run(["xmlsec1", "--verify", "--pubkey-cert-pem", str(tmp_path / "cert.pem"),
                               str(tmp_path / f"{name}.xml")], capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, (name, done.stderr)
        tampered = (tmp_path / f"{name}.xml").read_bytes().replace(b"79001", b"79002", 1)
        (tmp_path / "bad.xml").write_bytes(tampered)
        bad = subprocess.run(["xmlsec1", "--verify", "--pubkey-cert-pem", str(tmp_path / "cert.pem"),
                              str(tmp_path / "bad.xml")], capture_output=True, text=True, timeout=30)
        assert bad.returncode != 0, name
