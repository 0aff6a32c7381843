"""The fast self-verifier accepts our exact output and nothing else: every tamper case fails."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding

from adapter.errors import SignatureInvalid, SigningError
from adapter.ports import FixedClock
from adapter.signing.demo import organisation_certificate
from adapter.signing.fastsign import RSA_SHA256, SHA256_URI, sign_simple, verify_own
from adapter.signing.keys import KeyMaterial
from adapter.signing.signer import FacilitySigner
from adapter.signing.xmldsig import C14N_10, ENVELOPED, sign_xml

C14N_11 = "http://www.w3.org/2006/12/xml-c14n11"


@pytest.fixture(scope="module")
def signed(material: KeyMaterial, make_envelope: Callable[[int], bytes]) -> bytes:
    out = sign_simple(make_envelope(3_000), material)
    assert out is not None
    return out


def _once(document: bytes, old: bytes, new: bytes) -> bytes:
    assert document.count(old) >= 1, old
    return document.replace(old, new, 1)


def _content_char(signed: bytes) -> bytes:
    at = signed.index(b"<NOIDUNGFILE>") + len(b"<NOIDUNGFILE>") + 30
    flipped = b"A" if signed[at:at + 1] != b"A" else b"B"
    return signed[:at] + flipped + signed[at + 1:]


def _digest_value(signed: bytes) -> bytes:
    start = signed.index(b"<DigestValue>") + len(b"<DigestValue>")
    return signed[:start] + base64.b64encode(b"\x00" * 32) + signed[signed.index(b"</DigestValue>"):]


def _signature_value(signed: bytes) -> bytes:
    start = signed.index(b"<SignatureValue>") + len(b"<SignatureValue>")
    value = base64.b64decode(signed[start:signed.index(b"</SignatureValue>")])
    forged = base64.b64encode(bytes([value[0] ^ 1]) + value[1:])
    return signed[:start] + forged + signed[signed.index(b"</SignatureValue>"):]


TAMPERS: dict[str, Callable[[bytes], bytes]] = {
    "one base64 character of a table": _content_char,
    "facility code": lambda s: _once(s, b"<MACSKCB>79001<", b"<MACSKCB>79002<"),
    "element added before the slot": lambda s: _once(s, b"<CHUKYDONVI>", b"<X/><CHUKYDONVI>"),
    "whitespace inside the slot": lambda s: _once(s, b"<CHUKYDONVI>", b"<CHUKYDONVI> "),
    "element after the slot": lambda s: _once(s, b"</CHUKYDONVI>", b"</CHUKYDONVI><X/>"),
    "digest value": _digest_value,
    "signature value": _signature_value,
    "signature method": lambda s: _once(s, RSA_SHA256.encode(), b"http://www.w3.org/2000/09/xmldsig#rsa-sha1"),
    "digest method": lambda s: _once(s, SHA256_URI.encode(), b"http://www.w3.org/2000/09/xmldsig#sha1"),
    "canonicalization method": lambda s: _once(s, C14N_10.encode(), C14N_11.encode()),
    "enveloped transform dropped": lambda s: _once(s, f'<Transform Algorithm="{ENVELOPED}"/>'.encode(), b""),
    "reference uri": lambda s: _once(s, b'URI=""', b'URI="#x"'),
    "attribute on SignedInfo": lambda s: _once(s, b"<SignedInfo>", b'<SignedInfo Id="a">'),
    "text in Transforms": lambda s: _once(s, b"<Transforms>", b'<Transforms> xmlns=""'),
    "second reference": lambda s: _once(s, b"</Reference>", b'</Reference><Reference URI=""/>'),
    "signature moved out of the slot": lambda s: _once(
        _once(s, b"<CHUKYDONVI><Signature", b"<Signature"), b"</Signature></CHUKYDONVI>",
        b"</Signature><CHUKYDONVI/>"),
    "prefixed signature": lambda s: _once(_once(s, b'<Signature xmlns="', b'<ds:Signature xmlns:ds="'),
                                          b"</Signature>", b"</ds:Signature>"),
    "truncated": lambda s: s[: len(s) // 2],
    "doctype added": lambda s: _once(s, b"?>\n", b'?>\n<!DOCTYPE GIAMDINHHS [<!ENTITY e "x">]>\n'),
    "certificate removed": lambda s: (s[: s.index(b"<X509Certificate>") + len(b"<X509Certificate>")]
                                      + s[s.index(b"</X509Certificate>"):]),
}


@pytest.mark.parametrize("tamper", TAMPERS.values(), ids=TAMPERS.keys())
def test_every_tamper_case_fails(tamper: Callable[[bytes], bytes], signed: bytes,
                                 material: KeyMaterial) -> None:
    verify_own(signed, material.certificate)   # the untouched document passes
    with pytest.raises(SignatureInvalid):
        verify_own(tamper(signed), material.certificate)


def test_another_signer_is_refused(material: KeyMaterial, other_key: rsa.RSAPrivateKey, claim: bytes,
                                   now: datetime) -> None:
    other_cert = organisation_certificate(other_key, "79002", "Bệnh viện Khác", now - timedelta(days=1))
    by_other = sign_simple(claim, KeyMaterial(private_key=other_key, certificate=other_cert))
    assert by_other is not None
    verify_own(by_other, other_cert)
    with pytest.raises(SignatureInvalid, match="certificate"):
        verify_own(by_other, material.certificate)
    swapped = by_other.replace(_b64_cert(other_cert).encode(), _b64_cert(material.certificate).encode())
    with pytest.raises(SignatureInvalid, match="SignatureValue"):
        verify_own(swapped, material.certificate)


def _b64_cert(cert: x509.Certificate) -> str:
    return base64.b64encode(cert.public_bytes(Encoding.DER)).decode()


def test_signxml_output_of_our_shape_verifies_too(material: KeyMaterial, claim: bytes) -> None:
    verify_own(sign_xml(claim, material), material.certificate)


def test_a_key_that_does_not_match_the_certificate_never_leaves_the_signer(
        material: KeyMaterial, other_key: rsa.RSAPrivateKey, claim: bytes, now: datetime) -> None:
    # A token that signs with another key than its certificate's: the self-verification stops it.
    mismatched = KeyMaterial(private_key=other_key, certificate=material.certificate)
    signer = FacilitySigner(mismatched, clock=FixedClock(at=now))
    with pytest.raises(SigningError, match="self-verification"):
        signer.sign(claim)


def test_not_xml_is_a_signature_error(material: KeyMaterial) -> None:
    with pytest.raises(SignatureInvalid, match="well-formed"):
        verify_own(b"not xml", material.certificate)


class _BrokenKey(rsa.RSAPrivateKey):
    """A key object that fails the way a misbehaving HSM wrapper might (third-party interface double)."""

    def __init__(self, public: rsa.RSAPublicKey) -> None:
        self._public = public

    def sign(self, data: bytes, padding: object, algorithm: object) -> bytes:  # type: ignore[override]
        raise ValueError("digest too long for the key")

    def public_key(self) -> rsa.RSAPublicKey:
        return self._public

    @property
    def key_size(self) -> int:
        return self._public.key_size

    def decrypt(self, ciphertext: bytes, padding: object) -> bytes:  # type: ignore[override]
        raise NotImplementedError

    def private_numbers(self) -> rsa.RSAPrivateNumbers:
        raise NotImplementedError

    def private_bytes(self, *args: object) -> bytes:  # type: ignore[override]
        raise NotImplementedError

    def __copy__(self) -> _BrokenKey:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> _BrokenKey:
        return self


def test_a_key_error_is_a_signing_error_on_both_paths(material: KeyMaterial, claim: bytes) -> None:
    public = material.certificate.public_key()
    assert isinstance(public, rsa.RSAPublicKey)
    broken = KeyMaterial(private_key=_BrokenKey(public), certificate=material.certificate)
    with pytest.raises(SigningError, match="ValueError"):
        sign_simple(claim, broken)
    with pytest.raises(SigningError, match="ValueError"):
        sign_xml(claim, broken)
