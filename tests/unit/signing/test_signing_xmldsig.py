"""The BHXH XML-DSig profile: shape of the output, verification, tamper detection, strip/resign."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from adapter.errors import SignatureInvalid, SigningError, XmlInputError
from adapter.signing.demo import organisation_certificate
from adapter.signing.keys import KeyMaterial
from adapter.signing.xmldsig import (
    DS,
    ensure_signature_slot,
    resign_needed,
    sign_xml,
    signer_fingerprint,
    strip_signature,
    verify_xml,
)

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # the unit conftest's clock

ALGS = {
    "CanonicalizationMethod": "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
    "SignatureMethod": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    "DigestMethod": "http://www.w3.org/2001/04/xmlenc#sha256",
}


def test_signed_document_has_the_bhxh_profile_shape(claim: bytes, material: KeyMaterial) -> None:
    signed = sign_xml(claim, material)
    assert signed.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<GIAMDINHHS')
    assert b"<CHUKYDONVI><Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><SignedInfo>" in signed
    assert b"ds:" not in signed and not signed.startswith(b"\xef\xbb\xbf")
    root = etree.fromstring(signed)
    assert root[-1].tag == "CHUKYDONVI"
    sig = root[-1][0]
    for local, alg in ALGS.items():
        assert sig.find(f".//{{{DS}}}{local}").get("Algorithm") == alg
    ref = sig.find(f".//{{{DS}}}Reference")
    assert ref.get("URI") == ""
    assert [t.get("Algorithm") for t in ref.iter(f"{{{DS}}}Transform")] == [
        "http://www.w3.org/2000/09/xmldsig#enveloped-signature", ALGS["CanonicalizationMethod"]]
    cert_text = sig.findtext(f".//{{{DS}}}X509Certificate")
    assert cert_text and "\n" not in cert_text


def test_content_outside_the_signature_is_kept_byte_for_byte(claim: bytes, material: KeyMaterial) -> None:
    signed = sign_xml(claim, material)
    head, _, tail = claim.partition(b"<CHUKYDONVI/>")
    assert signed.startswith(head + b"<CHUKYDONVI><Signature")
    assert signed.endswith(b"</Signature></CHUKYDONVI>" + tail)


def test_verify_returns_the_signer_certificate(claim: bytes, material: KeyMaterial) -> None:
    signed = sign_xml(claim, material)
    assert verify_xml(signed, at=NOW) == material.certificate
    assert verify_xml(signed, [material.certificate], at=NOW) == material.certificate


def test_checkin_document_without_declaration_is_signed(material: KeyMaterial) -> None:
    xml0 = (b"<CHI_TIEU_TRANG_THAI_KCB><DSACH_TRANG_THAI_KCB><TRANG_THAI_KCB><MA_LK>LK1</MA_LK>"
            b"</TRANG_THAI_KCB></DSACH_TRANG_THAI_KCB><CHUKYDONVI /></CHI_TIEU_TRANG_THAI_KCB>")
    signed = sign_xml(xml0, material)
    assert signed.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<CHI_TIEU_TRANG_THAI_KCB>')
    assert verify_xml(signed, at=NOW) == material.certificate


def _tampered(signed: bytes, old: bytes, new: bytes) -> bytes:
    assert old in signed
    return signed.replace(old, new, 1)


def test_one_changed_base64_character_is_detected(claim: bytes, material: KeyMaterial) -> None:
    signed = sign_xml(claim, material)
    start = signed.index(b"<NOIDUNGFILE>") + len(b"<NOIDUNGFILE>") + 40
    flipped = b"A" if signed[start:start + 1] != b"A" else b"B"
    with pytest.raises(SignatureInvalid, match="does not verify"):
        verify_xml(signed[:start] + flipped + signed[start + 1:], at=NOW)


def test_a_moved_element_is_detected(claim: bytes, material: KeyMaterial) -> None:
    signed = sign_xml(claim, material)
    moved = _tampered(signed, b"<NGAYLAP>20260601</NGAYLAP>\n    <SOLUONGHOSO>1</SOLUONGHOSO>",
                      b"<SOLUONGHOSO>1</SOLUONGHOSO>\n    <NGAYLAP>20260601</NGAYLAP>")
    with pytest.raises(SignatureInvalid, match="does not verify"):
        verify_xml(moved, at=NOW)


def test_a_stripped_signature_is_detected(claim: bytes, material: KeyMaterial) -> None:
    with pytest.raises(SignatureInvalid, match="not signed"):
        verify_xml(strip_signature(sign_xml(claim, material)), at=NOW)


def test_a_certificate_swapped_in_keyinfo_is_detected(claim: bytes, material: KeyMaterial,
                                                      other_key: rsa.RSAPrivateKey) -> None:
    signed = sign_xml(claim, material)
    other = organisation_certificate(other_key, "79001", "BV khác", NOW - timedelta(days=1))
    theirs = sign_xml(claim, KeyMaterial(private_key=other_key, certificate=other))
    mine_cert = etree.fromstring(signed).findtext(f".//{{{DS}}}X509Certificate").encode()
    their_cert = etree.fromstring(theirs).findtext(f".//{{{DS}}}X509Certificate").encode()
    with pytest.raises(SignatureInvalid, match="does not verify"):
        verify_xml(_tampered(signed, mine_cert, their_cert), at=NOW)


def test_a_signer_outside_the_trusted_list_is_refused(claim: bytes, material: KeyMaterial,
                                                     other_key: rsa.RSAPrivateKey) -> None:
    other = organisation_certificate(other_key, "79002", "BV khác", NOW - timedelta(days=1))
    signed = sign_xml(claim, KeyMaterial(private_key=other_key, certificate=other))
    with pytest.raises(SignatureInvalid, match="not among the trusted"):
        verify_xml(signed, [material.certificate], at=NOW)


def test_chukydonvi_not_last_is_refused(claim: bytes, material: KeyMaterial) -> None:
    signed = sign_xml(claim, material)
    not_last = _tampered(signed, b"</CHUKYDONVI>\n", b"</CHUKYDONVI>\n<GHI_CHU/>")
    with pytest.raises(SignatureInvalid, match="last child"):
        verify_xml(not_last, at=NOW)


def test_a_second_signature_elsewhere_is_refused(claim: bytes, material: KeyMaterial) -> None:
    signed = sign_xml(claim, material)
    sig = signed[signed.index(b"<Signature"):signed.index(b"</Signature>") + len(b"</Signature>")]
    twice = _tampered(signed, b"<THONGTINDONVI>", b"<THONGTINDONVI>" + sig)
    with pytest.raises(SignatureInvalid, match="exactly one Signature"):
        verify_xml(twice, at=NOW)


def test_signing_refuses_a_document_without_trailing_chukydonvi(material: KeyMaterial) -> None:
    with pytest.raises(XmlInputError, match="last child"):
        sign_xml(b"<GIAMDINHHS><CHUKYDONVI/><THONGTINDONVI/></GIAMDINHHS>", material)


def test_signing_twice_is_refused(claim: bytes, material: KeyMaterial) -> None:
    with pytest.raises(SigningError, match="already signed"):
        sign_xml(sign_xml(claim, material), material)


@pytest.mark.parametrize("doc", [
    b'<!DOCTYPE r [<!ENTITY x "boom">]><GIAMDINHHS>&x;<CHUKYDONVI/></GIAMDINHHS>',
    b'<!DOCTYPE r SYSTEM "http://example.invalid/x.dtd"><GIAMDINHHS><CHUKYDONVI/></GIAMDINHHS>',
])
def test_dtds_and_entities_are_refused(doc: bytes, material: KeyMaterial) -> None:
    with pytest.raises(XmlInputError, match="DTD"):
        sign_xml(doc, material)
    with pytest.raises(SignatureInvalid, match="DTD"):
        verify_xml(doc)


def test_malformed_xml_is_an_input_error(material: KeyMaterial) -> None:
    with pytest.raises(XmlInputError, match="malformed"):
        sign_xml(b"<GIAMDINHHS><CHUKYDONVI/>", material)


def test_strip_signature_restores_the_unsigned_document(claim: bytes, material: KeyMaterial) -> None:
    stripped = strip_signature(sign_xml(claim, material))
    assert stripped == claim
    assert sign_xml(stripped, material) == sign_xml(claim, material)


def test_resign_needed_follows_the_certificate(claim: bytes, material: KeyMaterial) -> None:
    signed = sign_xml(claim, material)
    assert signer_fingerprint(signed) == material.fingerprint
    assert resign_needed(signed, material.fingerprint) is False
    assert resign_needed(signed, material.fingerprint.upper()) is False
    assert resign_needed(signed, "00" * 32) is True
    assert resign_needed(claim, material.fingerprint) is True
    assert resign_needed(b"not xml", material.fingerprint) is True


def test_signing_is_deterministic_for_the_same_key(make_envelope: Callable[[int], bytes],
                                                   material: KeyMaterial) -> None:
    doc = make_envelope(30_000)
    assert sign_xml(doc, material) == sign_xml(doc, material)


def test_ensure_signature_slot_appends_an_empty_chukydonvi_in_the_indentation() -> None:
    doc = b"<GIAMDINHHS>\n  <THONGTINDONVI/>\n</GIAMDINHHS>\n"
    assert ensure_signature_slot(doc) == (
        b'<?xml version="1.0" encoding="utf-8"?>\n'
        b"<GIAMDINHHS>\n  <THONGTINDONVI/>\n  <CHUKYDONVI/>\n</GIAMDINHHS>\n")


def test_ensure_signature_slot_keeps_a_ready_document_and_refuses_a_misplaced_slot(claim: bytes) -> None:
    assert ensure_signature_slot(claim) is claim
    with pytest.raises(XmlInputError, match="not the last child"):
        ensure_signature_slot(b"<R><CHUKYDONVI/><A/></R>")


def test_a_bom_and_single_quoted_declaration_become_the_conventional_form(claim: bytes,
                                                                          material: KeyMaterial) -> None:
    odd = b"\xef\xbb\xbf" + claim.replace(b'<?xml version="1.0" encoding="utf-8"?>',
                                          b"<?xml version='1.0' encoding='UTF-8'?>")
    signed = sign_xml(odd, material)
    assert signed.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<GIAMDINHHS')
    assert signed == sign_xml(claim, material)


def test_cdata_becomes_escaped_utf8_text_with_the_same_content(material: KeyMaterial) -> None:
    body = "<TEN><![CDATA[Bệnh viện Chợ Rẫy <A&B>]]></TEN><GHI_CHU>Khoa Nội &amp; Ngoại</GHI_CHU>"
    signed = sign_xml(f"<DM>{body}<CHUKYDONVI/></DM>".encode(), material)
    escaped = "<TEN>Bệnh viện Chợ Rẫy &lt;A&amp;B&gt;</TEN><GHI_CHU>Khoa Nội &amp; Ngoại</GHI_CHU>"
    assert escaped.encode() in signed
    assert etree.fromstring(signed).findtext("TEN") == "Bệnh viện Chợ Rẫy <A&B>"
    assert verify_xml(signed, at=NOW) == material.certificate
    assert verify_xml(signed, at=NOW) == material.certificate


def test_verification_time_is_checked_against_the_certificate_validity(claim: bytes,
                                                                       material: KeyMaterial) -> None:
    signed = sign_xml(claim, material)
    with pytest.raises(SignatureInvalid, match="does not verify"):
        verify_xml(signed, at=NOW + timedelta(days=3 * 365))
    with pytest.raises(SignatureInvalid, match="does not verify"):
        verify_xml(signed, at=NOW - timedelta(days=30))
