"""The facility key on a real PKCS#11 token (SoftHSM2): same bytes as the key file, xmlsec1 agrees."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from signing_helpers import SoftToken, Xmlsec1

from adapter.errors import ConfigError, SignerUnavailable, SigningError
from adapter.ports import SystemClock
from adapter.signing.config import SigningSettings
from adapter.signing.factory import build_signer
from adapter.signing.keys import KeyMaterial
from adapter.signing.pkcs11 import TokenRSAPrivateKey, open_pkcs11
from adapter.signing.signer import FacilitySigner
from adapter.signing.xmldsig import sign_xml, verify_xml

pytestmark = [pytest.mark.softhsm, pytest.mark.usefixtures("released_tokens")]


def _token_material(token: SoftToken, *, force_raw_rsa: bool = False) -> KeyMaterial:
    return open_pkcs11(token.module, token.label, key_label=token.key_label, pin=token.pin,
                       force_raw_rsa=force_raw_rsa)


@pytest.mark.xmlsec1
@pytest.mark.parametrize("force_raw_rsa", [False, True], ids=["SHA256_RSA_PKCS", "RSA_PKCS+DigestInfo"])
def test_token_and_file_signatures_are_byte_identical(force_raw_rsa: bool, softhsm_token: SoftToken,
                                                      material: KeyMaterial, xmlsec1: Xmlsec1,
                                                      make_envelope: Callable[[int], bytes]) -> None:
    on_token = _token_material(softhsm_token, force_raw_rsa=force_raw_rsa)
    assert isinstance(on_token.private_key, TokenRSAPrivateKey)
    assert on_token.private_key.uses_raw_rsa is force_raw_rsa
    assert on_token.certificate == material.certificate
    doc = make_envelope(30_000)
    from_token, from_file = sign_xml(doc, on_token), sign_xml(doc, material)
    assert from_token == from_file
    assert verify_xml(from_token) == material.certificate
    assert xmlsec1.accepts(from_token, material)


def test_token_key_selected_by_id(softhsm_token: SoftToken, material: KeyMaterial) -> None:
    on_token = open_pkcs11(softhsm_token.module, softhsm_token.label, key_id="01",
                           pin=softhsm_token.pin)
    assert on_token.certificate == material.certificate


def test_factory_builds_a_token_signer_with_a_pin_file(softhsm_token: SoftToken, tmp_path: Path,
                                                       make_envelope: Callable[[int], bytes]) -> None:
    pin_file = tmp_path / "pin"
    pin_file.write_text(softhsm_token.pin + "\n")
    settings = SigningSettings(kind="pkcs11", pkcs11_module=softhsm_token.module,
                               pkcs11_token_label=softhsm_token.label,
                               pkcs11_key_label=softhsm_token.key_label,
                               pkcs11_pin_file=pin_file)
    signer = build_signer(settings, workdir=tmp_path, ma_cskcb="79001", facility_name="x",
                          clock=SystemClock())
    signed = signer.sign(make_envelope(2_000))
    assert verify_xml(signed, [signer.certificate]) == signer.certificate


def test_threads_share_one_token_key_safely(softhsm_token: SoftToken, material: KeyMaterial,
                                            make_envelope: Callable[[int], bytes]) -> None:
    signer = FacilitySigner(_token_material(softhsm_token), clock=SystemClock())
    docs = [make_envelope(1_000 + i) for i in range(24)]
    results: dict[int, bytes] = {}

    def work(i: int) -> None:
        results[i] = signer.sign(docs[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(docs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == list(range(len(docs)))
    assert all(results[i] == sign_xml(docs[i], material) for i in results)


def test_wrong_pin_is_a_signing_error_without_the_pin(softhsm_token: SoftToken) -> None:
    with pytest.raises(SigningError) as info:
        open_pkcs11(softhsm_token.module, softhsm_token.label, key_label=softhsm_token.key_label,
                    pin="999999")
    assert "999999" not in str(info.value)


def test_unknown_token_is_retryable_signer_unavailable(softhsm_token: SoftToken) -> None:
    # A label the library does not list is a token not plugged in (or a typo): the outbox retries.
    with pytest.raises(SignerUnavailable, match="not found"):
        open_pkcs11(softhsm_token.module, "no-such-token", key_label="x", pin="1")


def test_the_token_key_cannot_be_exported(softhsm_token: SoftToken) -> None:
    key = _token_material(softhsm_token).private_key
    with pytest.raises(SigningError, match="never leaves the token"):
        key.private_numbers()


def test_a_second_pin_for_an_open_token_is_refused(softhsm_token: SoftToken) -> None:
    _token_material(softhsm_token)
    with pytest.raises(ConfigError, match="another PIN"):
        open_pkcs11(softhsm_token.module, softhsm_token.label, key_label="x", pin="000000")


def test_a_lost_session_is_reopened_once(softhsm_token: SoftToken, material: KeyMaterial,
                                         make_envelope: Callable[[int], bytes],
                                         caplog: pytest.LogCaptureFixture) -> None:
    import pkcs11

    on_token = _token_material(softhsm_token)
    doc = make_envelope(1_000)
    assert sign_xml(doc, on_token) == sign_xml(doc, material)
    # C_Finalize + C_Initialize invalidates every session handle, as unplugging the token does.
    pkcs11.lib(str(softhsm_token.module)).reinitialize()
    assert sign_xml(doc, on_token) == sign_xml(doc, material)
    assert "PKCS#11 session lost; reopening it once" in caplog.text
