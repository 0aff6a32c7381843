"""Our signatures against an implementation that is not ours: the Debian xmlsec1 CLI."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import etree
from signing_helpers import Xmlsec1

from adapter.errors import SignatureInvalid
from adapter.signing.keys import KeyMaterial
from adapter.signing.xmldsig import DS, sign_xml, strip_signature, verify_xml

pytestmark = pytest.mark.xmlsec1


@pytest.mark.parametrize("size", [2_000, 30_000, 300_000])
def test_xmlsec1_verifies_our_envelope(size: int, make_envelope: Callable[[int], bytes],
                                      material: KeyMaterial, xmlsec1: Xmlsec1) -> None:
    signed = sign_xml(make_envelope(size), material)
    result = xmlsec1.verify(signed, material)
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stderr + result.stdout


def test_xmlsec1_verifies_a_signed_checkin(material: KeyMaterial, xmlsec1: Xmlsec1) -> None:
    xml0 = ("<CHI_TIEU_TRANG_THAI_KCB><DSACH_TRANG_THAI_KCB><TRANG_THAI_KCB><MA_LK>LK1</MA_LK>"
            "<HO_TEN>Trần Thị Bình &amp; con</HO_TEN></TRANG_THAI_KCB></DSACH_TRANG_THAI_KCB>"
            "<CHUKYDONVI/></CHI_TIEU_TRANG_THAI_KCB>").encode()
    assert xmlsec1.accepts(sign_xml(xml0, material), material)


def _flip_base64(signed: bytes) -> bytes:
    at = signed.index(b"<NOIDUNGFILE>") + 50
    return signed[:at] + (b"A" if signed[at:at + 1] != b"A" else b"B") + signed[at + 1:]


def _move_element(signed: bytes) -> bytes:
    return signed.replace(b"<NGAYLAP>20260601</NGAYLAP>\n    <SOLUONGHOSO>1</SOLUONGHOSO>",
                          b"<SOLUONGHOSO>1</SOLUONGHOSO>\n    <NGAYLAP>20260601</NGAYLAP>", 1)


def _chukydonvi_first(signed: bytes) -> bytes:
    root = etree.fromstring(signed)
    root.insert(0, root[-1])
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + bytes(etree.tostring(root))


def _other_certificate(other: KeyMaterial) -> Callable[[bytes], bytes]:
    def swap(signed: bytes) -> bytes:
        root = etree.fromstring(signed)
        node = root.find(f".//{{{DS}}}X509Certificate")
        theirs = etree.fromstring(sign_xml(strip_signature(signed), other))
        node.text = theirs.findtext(f".//{{{DS}}}X509Certificate")
        return b'<?xml version="1.0" encoding="utf-8"?>\n' + bytes(etree.tostring(root))
    return swap


@pytest.mark.parametrize("tamper", ["base64", "moved", "stripped", "wrong_certificate", "not_last"])
def test_tampering_fails_in_ours_and_in_xmlsec1(tamper: str, make_envelope: Callable[[int], bytes],
                                                material: KeyMaterial, other_material: KeyMaterial,
                                                xmlsec1: Xmlsec1) -> None:
    signed = sign_xml(make_envelope(5_000), material)
    change = {"base64": _flip_base64, "moved": _move_element, "stripped": strip_signature,
              "wrong_certificate": _other_certificate(other_material), "not_last": _chukydonvi_first}[tamper]
    bad = change(signed)
    assert bad != signed
    with pytest.raises(SignatureInvalid):
        verify_xml(bad)
    assert not xmlsec1.accepts(bad, material)
    assert xmlsec1.accepts(signed, material)


def test_comments_pis_and_line_ends_agree_with_xmlsec1(material: KeyMaterial, xmlsec1: Xmlsec1) -> None:
    doc = (b'<?xml version="1.0"?>\n<?pi before?>\n<!-- c0 -->\n<R a="1" b=\'2\'>\n <!-- inside -->\n'
           b" <?pi inside?>\n <A>t&#233;xt\r\n</A>\n <B/>\n <CHUKYDONVI/>\n</R>\n<!-- after -->\n")
    signed = sign_xml(doc, material)
    # Only the root element is written, so nothing outside it can differ between verifiers.
    assert signed.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<R a="1" b="2">\n <!-- inside -->')
    assert verify_xml(signed) == material.certificate
    assert xmlsec1.accepts(signed, material)
