"""The fast path against real collaborators: xmlsec1 verifies its output; a SoftHSM2 token gives the
same bytes through it; a token that is absent or unplugged is retryable, a wrong PIN is not."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from signing_helpers import SoftToken, Xmlsec1

from adapter.errors import RetryableError, SignerUnavailable, SigningError
from adapter.his import demo_data
from adapter.mappers.envelope import build_checkin, build_claim
from adapter.mappers.policy import TablePolicy
from adapter.ports import FixedClock
from adapter.registry.model import FacilityRecord, RegisteredPractitioner
from adapter.registry.staff_xml import build_staff_catalogue
from adapter.signing.fastsign import sign_simple, verify_own
from adapter.signing.keys import KeyMaterial
from adapter.signing.pkcs11 import open_pkcs11
from adapter.signing.signer import FacilitySigner
from adapter.signing.xmldsig import sign_xml

CREATED = date(2026, 6, 1)


def _documents() -> list[bytes]:
    facility = demo_data.facility("79001")
    documents = []
    for generated in demo_data.generate(encounters=3, seed=7):
        documents.append(build_claim(generated.encounter, facility, "3176", created_on=CREATED,
                                     policy=TablePolicy()))
        documents.append(build_checkin(generated.encounter, "3176"))
    staff = [RegisteredPractitioner(code="000001/HCM-GPHN", name="Bác sĩ Một", ma_cskcb="79001",
                                    licence_no="000001/HCM-GPHN", licence_kind="GPHN")]
    documents.append(build_staff_catalogue(FacilityRecord(ma_cskcb="79001", name="Bệnh viện Thử"), staff,
                                           created_on=CREATED))
    return documents


DOCUMENTS = _documents()
IDS = ["claim-1", "checkin-1", "claim-2", "checkin-2", "claim-3", "checkin-3", "02/DM"]


@pytest.mark.xmlsec1
@pytest.mark.parametrize("document", DOCUMENTS, ids=IDS)
def test_xmlsec1_verifies_the_fast_output(document: bytes, material: KeyMaterial, xmlsec1: Xmlsec1) -> None:
    signed = sign_simple(document, material)
    assert signed is not None
    result = xmlsec1.verify(signed, material)
    assert result.returncode == 0 and "OK" in result.stderr + result.stdout, result.stderr


@pytest.mark.softhsm
@pytest.mark.usefixtures("released_tokens")
def test_token_signer_gives_the_file_signers_bytes(softhsm_token: SoftToken, material: KeyMaterial) -> None:
    on_token = open_pkcs11(softhsm_token.module, softhsm_token.label, key_label=softhsm_token.key_label,
                           pin=softhsm_token.pin)
    clock = FixedClock(at=datetime.now(UTC))
    by_token, by_file = FacilitySigner(on_token, clock=clock), FacilitySigner(material, clock=clock)
    for document in DOCUMENTS:
        signed = by_token.sign(document)
        assert signed == sign_simple(document, on_token) == by_file.sign(document)
        assert signed == sign_xml(document, material)
        verify_own(signed, material.certificate)


@pytest.mark.softhsm
@pytest.mark.usefixtures("released_tokens")
def test_missing_module_is_retryable(softhsm_token: SoftToken, tmp_path: Path) -> None:
    with pytest.raises(SignerUnavailable, match="cannot be loaded") as info:
        open_pkcs11(tmp_path / "libvendor-token.so", softhsm_token.label, key_label="k",
                    pin=softhsm_token.pin)
    assert isinstance(info.value, RetryableError)


@pytest.mark.softhsm
@pytest.mark.usefixtures("released_tokens")
def test_token_not_plugged_in_is_retryable(softhsm_token: SoftToken) -> None:
    with pytest.raises(SignerUnavailable, match="not plugged in"):
        open_pkcs11(softhsm_token.module, "no-such-token", key_label="k", pin=softhsm_token.pin)


@pytest.mark.softhsm
@pytest.mark.usefixtures("released_tokens")
def test_wrong_pin_stays_permanent(softhsm_token: SoftToken) -> None:
    with pytest.raises(SigningError) as info:
        open_pkcs11(softhsm_token.module, softhsm_token.label, key_label=softhsm_token.key_label,
                    pin="000000")
    assert not isinstance(info.value, RetryableError)
    assert "000000" not in str(info.value)


@pytest.mark.softhsm
@pytest.mark.usefixtures("released_tokens")
def test_token_unplugged_after_opening_is_retryable(softhsm_token: SoftToken, material: KeyMaterial,
                                                    tmp_path: Path) -> None:
    import pkcs11

    label = "unplug-me"
    _token_with_key(softhsm_token, label, material, tmp_path)
    pkcs11.lib(str(softhsm_token.module)).reinitialize()   # plugged in: the library lists it now
    on_token = open_pkcs11(softhsm_token.module, label, key_label="k", pin=softhsm_token.pin)
    signer = FacilitySigner(on_token, clock=FixedClock(at=datetime.now(UTC)))
    assert signer.sign(DOCUMENTS[1]) == sign_xml(DOCUMENTS[1], material)
    _run(softhsm_token, "softhsm2-util", "--delete-token", "--token", label)
    # C_Finalize + C_Initialize: the library sees the token list as it is now, without it.
    pkcs11.lib(str(softhsm_token.module)).reinitialize()
    with pytest.raises(SignerUnavailable):
        signer.sign(DOCUMENTS[1])


def _token_with_key(token: SoftToken, label: str, material: KeyMaterial, workdir: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    _run(token, "softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", "87654321",
         "--pin", token.pin)
    key_der, cert_der = workdir / "key.der", workdir / "cert.der"
    key_der.write_bytes(material.private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    cert_der.write_bytes(material.certificate.public_bytes(serialization.Encoding.DER))
    tool = ("pkcs11-tool", "--module", str(token.module), "--token-label", label, "--login", "--pin",
            token.pin, "--label", "k", "--id", "02")
    _run(token, *tool, "--write-object", str(key_der), "--type", "privkey")
    _run(token, *tool, "--write-object", str(cert_der), "--type", "cert")


def _run(token: SoftToken, *args: str) -> None:
    result = subprocess.run(args, env=token.env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, f"{args[0]} failed: {result.stderr or result.stdout}"


@pytest.mark.softhsm
@pytest.mark.usefixtures("released_tokens")
def test_token_plugged_back_in_signs_again(softhsm_token: SoftToken, material: KeyMaterial,
                                           tmp_path: Path) -> None:
    import pkcs11

    label = "replug-me"
    _token_with_key(softhsm_token, label, material, tmp_path)
    pkcs11.lib(str(softhsm_token.module)).reinitialize()
    signer = FacilitySigner(open_pkcs11(softhsm_token.module, label, key_label="k", pin=softhsm_token.pin),
                            clock=FixedClock(at=datetime.now(UTC)))
    expected = sign_xml(DOCUMENTS[1], material)
    assert signer.sign(DOCUMENTS[1]) == expected
    _run(softhsm_token, "softhsm2-util", "--delete-token", "--token", label)
    pkcs11.lib(str(softhsm_token.module)).reinitialize()
    with pytest.raises(SignerUnavailable):
        signer.sign(DOCUMENTS[1])
    _token_with_key(softhsm_token, label, material, tmp_path)   # the same token, plugged back in
    pkcs11.lib(str(softhsm_token.module)).reinitialize()
    assert signer.sign(DOCUMENTS[1]) == expected
