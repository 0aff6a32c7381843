"""The fast signing path gives signxml's exact bytes for the adapter's own documents, else steps aside."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from adapter.errors import SigningError, XmlInputError
from adapter.his import demo_data
from adapter.mappers.envelope import build_checkin, build_claim
from adapter.mappers.policy import TablePolicy
from adapter.ports import FixedClock
from adapter.registry.model import FacilityRecord, RegisteredPractitioner
from adapter.registry.staff_xml import build_staff_catalogue
from adapter.signing.demo import organisation_certificate
from adapter.signing.fastsign import canonical_document, derived_canonical, sign_simple, verify_own
from adapter.signing.keys import KeyMaterial
from adapter.signing.signer import FacilitySigner
from adapter.signing.xmldsig import parse_document, sign_xml

CREATED = date(2026, 6, 1)


def generated_documents(count: int, seed: int) -> Iterator[tuple[str, bytes]]:
    """Claims (both profiles, both XML8 policies) and check-ins (both kinds) of demo encounters."""
    facility = demo_data.facility("79001")
    for n, generated in enumerate(demo_data.generate(encounters=count, seed=seed)):
        encounter = generated.encounter
        profile = "3176" if n % 2 else "4750"
        policy = TablePolicy(xml8="always" if n % 3 == 0 else "sheet")
        yield encounter.ma_lk, build_claim(encounter, facility, profile, created_on=CREATED, policy=policy)
        yield encounter.ma_lk, build_checkin(encounter, profile, inpatient=n % 4 == 0)


def staff_catalogue(rows: int) -> bytes:
    facility = FacilityRecord(ma_cskcb="79001", name="Bệnh viện Đa khoa Thử nghiệm")
    staff = [RegisteredPractitioner(code=f"{n:06d}/HCM-GPHN", name=f"Bác sĩ Số {n} & <Cộng sự>",
                                    ma_cskcb="79001", cccd=f"0790900{n:05d}", gender="2",
                                    licence_no=f"{n:06d}/HCM-GPHN", licence_kind="GPHN",
                                    valid_from=date(2025, 1, 1)) for n in range(1, rows + 1)]
    return build_staff_catalogue(facility, staff, created_on=CREATED)


def test_generated_claims_and_checkins_are_byte_identical_to_signxml(material: KeyMaterial) -> None:
    compared = 0
    for ma_lk, document in generated_documents(40, seed=11):
        fast = sign_simple(document, material)
        assert fast is not None, ma_lk
        assert fast == sign_xml(document, material), ma_lk
        verify_own(fast, material.certificate)
        compared += 1
    assert compared == 80


def test_staff_catalogue_is_byte_identical_to_signxml(material: KeyMaterial) -> None:
    document = staff_catalogue(25)
    fast = sign_simple(document, material)
    assert fast is not None
    assert fast == sign_xml(document, material)
    verify_own(fast, material.certificate)


def test_a_certificate_chain_is_embedded_as_signxml_does(material: KeyMaterial, other_key: rsa.RSAPrivateKey,
                                                         claim: bytes, now: datetime) -> None:
    issuer = organisation_certificate(other_key, "00000", "CA thử nghiệm", now - timedelta(days=1))
    chained = KeyMaterial(private_key=material.private_key, certificate=material.certificate, chain=(issuer,))
    fast = sign_simple(claim, chained)
    assert fast is not None and fast.count(b"<X509Certificate>") == 2
    assert fast == sign_xml(claim, chained)
    verify_own(fast, material.certificate)


def test_facility_signer_output_is_unchanged_by_the_fast_path(material: KeyMaterial, now: datetime) -> None:
    signer = FacilitySigner(material, clock=FixedClock(at=now))
    for _, document in generated_documents(6, seed=5):
        assert signer.sign(document) == sign_xml(document, material)


# Documents the fast path signs but whose canonical form it cannot derive from the serialization
# (attributes, comments, CR, namespace declarations, quotes below the root): lxml's C14N is used.
PLAIN = b"<CHI_TIEU_TRANG_THAI_KCB><A>x</A><B/>%s<CHUKYDONVI/></CHI_TIEU_TRANG_THAI_KCB>"
LESS_PLAIN = {
    "attribute": PLAIN % b'<C b="2" a="1&gt;">y</C>',
    "comment inside": PLAIN % b"<!-- note --><C>y</C>",
    "processing instruction inside": PLAIN % b"<?pi data?><C>y</C>",
    "carriage return": PLAIN % b"<C>a&#13;b</C>",
    "tab in attribute": PLAIN % b'<C a="x&#9;y">y</C>',
    "namespace on a child": PLAIN % b'<C xmlns:z="urn:z" xmlns:a="urn:a">y</C>',
    "default namespace on a child": PLAIN % b'<C xmlns="urn:c"><D/></C>',
    "quote and question mark in text": PLAIN % b'<C>He said "why?" &amp; left!</C>',
    "cdata": PLAIN % b"<C><![CDATA[<b>&]]></C>",
    "whitespace in slot": b"<R>\n  <A>1</A>\n  <CHUKYDONVI>\n  </CHUKYDONVI>\n</R>\n",
    "root attributes unsorted": b'<R z="1" a="2" xmlns:q="urn:q" xmlns:b="urn:b"><A/><CHUKYDONVI/></R>',
    "non-ascii and entities": "<R><A>Nguyễn &#x1EC5; &lt;&gt;</A><CHUKYDONVI/></R>".encode(),
    "declaration single quotes": b"<?xml version='1.0' encoding='UTF-8'?>\n<R><A/><CHUKYDONVI /></R>",
    "latin-1": '<?xml version="1.0" encoding="ISO-8859-1"?><R><A>café</A><CHUKYDONVI/></R>'.encode("latin-1"),
    "utf-16": '<?xml version="1.0" encoding="UTF-16"?><R><A>Nguyễn</A><CHUKYDONVI/></R>'.encode("utf-16"),
    "byte order mark": b'\xef\xbb\xbf<?xml version="1.0" encoding="utf-8"?><R><A>x</A><CHUKYDONVI/></R>',
    "schema location on the root": (b'<R xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                                    b'xsi:noNamespaceSchemaLocation="r.xsd"><A/><CHUKYDONVI/></R>'),
    "xml:lang below the root": b'<R><A xml:lang="vi">x</A><CHUKYDONVI/></R>',
}


@pytest.mark.parametrize("document", LESS_PLAIN.values(), ids=LESS_PLAIN.keys())
def test_less_plain_documents_still_match_signxml(document: bytes, material: KeyMaterial) -> None:
    fast = sign_simple(document, material)
    assert fast is not None
    assert fast == sign_xml(document, material)
    verify_own(fast, material.certificate)


@pytest.mark.parametrize("document", [*LESS_PLAIN.values(), staff_catalogue(3)], ids=[*LESS_PLAIN, "02/DM"])
def testderived_canonical_form_equals_lxml_c14n(document: bytes) -> None:
    root = parse_document(document)
    root[-1].text = None
    body = etree.tostring(root, encoding="utf-8")
    assert canonical_document(root, body) == etree.tostring(root, method="c14n", with_comments=False)


# Shapes the fast path does not take: signxml signs them (or refuses them) exactly as before.
ODD = {
    "prefixed root": b'<p:R xmlns:p="urn:p"><p:A/><CHUKYDONVI/></p:R>',
    "comment before the root": b"<!-- exported by HIS --><R><A/><CHUKYDONVI/></R>",
    "processing instruction after the root": b"<R><A/><CHUKYDONVI/></R><?done?>",
    "namespace declared on the slot": b'<R><A/><CHUKYDONVI xmlns:x="urn:x"/></R>',
    "attribute on the slot": b'<R><A/><CHUKYDONVI kind="don-vi"/></R>',
    "text after the slot": b"<R><A/><CHUKYDONVI/>trailing</R>",
    "xml:lang on the root": b'<R xml:lang="vi"><A/><CHUKYDONVI/></R>',
    "xml:space on the slot": b'<R><A/><CHUKYDONVI xml:space="preserve"/></R>',
}


@pytest.mark.parametrize("document", ODD.values(), ids=ODD.keys())
def test_odd_shapes_fall_back_to_signxml(document: bytes, material: KeyMaterial, now: datetime) -> None:
    assert sign_simple(document, material) is None
    signed = FacilitySigner(material, clock=FixedClock(at=now)).sign(document)
    assert signed == sign_xml(document, material)


REFUSED = {
    "doctype": (b'<!DOCTYPE R [<!ENTITY e "x">]><R><A>&e;</A><CHUKYDONVI/></R>', XmlInputError),
    "malformed": (b"<R><A></R>", XmlInputError),
    "default namespace (the slot is in it)": (b'<R xmlns="urn:r"><A/><CHUKYDONVI/></R>', XmlInputError),
    "slot not last": (b"<R><CHUKYDONVI/><A/></R>", XmlInputError),
    "slot not empty": (b"<R><A/><CHUKYDONVI>signed?</CHUKYDONVI></R>", SigningError),
    "already signed": (b'<R><Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/><CHUKYDONVI/></R>',
                       SigningError),
}


@pytest.mark.parametrize(("document", "error"), REFUSED.values(), ids=REFUSED.keys())
def test_refused_documents_get_the_signxml_paths_error(document: bytes, error: type[Exception],
                                                       material: KeyMaterial, now: datetime) -> None:
    assert sign_simple(document, material) is None
    with pytest.raises(error):
        FacilitySigner(material, clock=FixedClock(at=now)).sign(document)


def _xml_char(c: str) -> bool:
    return c in "\t\n\r" or (c >= " " and c not in "\ufffe\uffff")


XML_TEXT = st.text(st.characters(blacklist_categories=("Cs",)).filter(_xml_char), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(XML_TEXT, min_size=1, max_size=4), empty=st.booleans())
def test_any_text_content_signs_like_signxml(texts: list[str], empty: bool, material: KeyMaterial) -> None:
    root = etree.Element("CHI_TIEU_TRANG_THAI_KCB")
    for n, text in enumerate(texts):
        etree.SubElement(root, f"T{n}").text = text or None
    if empty:
        etree.SubElement(root, "DU_PHONG")
    etree.SubElement(root, "CHUKYDONVI")
    document = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    fast = sign_simple(document, material)
    assert fast is not None
    assert fast == sign_xml(document, material)
    verify_own(fast, material.certificate)


def test_generated_documents_take_thederived_canonical_form() -> None:
    # The speed of the fast path rests on this: our own documents never need libxml2's C14N.
    for _, document in generated_documents(6, seed=2):
        root = parse_document(document)
        body = etree.tostring(root, encoding="utf-8")
        derived = derived_canonical(root, body)
        assert derived is not None
        assert derived == etree.tostring(root, method="c14n", with_comments=False)


def test_strip_then_resign_gives_the_same_bytes(material: KeyMaterial, claim: bytes) -> None:
    from adapter.signing.xmldsig import strip_signature

    fast = sign_simple(claim, material)
    assert fast is not None
    assert sign_simple(strip_signature(fast), material) == fast


def test_threads_sharing_one_signer_get_identical_bytes(material: KeyMaterial, now: datetime) -> None:
    from concurrent.futures import ThreadPoolExecutor

    signer = FacilitySigner(material, clock=FixedClock(at=now))
    documents = [document for _, document in generated_documents(4, seed=9)]
    expected = [sign_xml(document, material) for document in documents]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(signer.sign, documents * 5))
    assert results == expected * 5


def test_a_document_signxml_cannot_reparse_is_a_signing_error(material: KeyMaterial, now: datetime) -> None:
    # signxml re-parses libxml2's C14N output, which leaves '&' in a namespace URI unescaped.
    document = b'<R xmlns:x="urn:a&amp;b"><A/><CHUKYDONVI/></R>'
    assert sign_simple(document, material) is None   # the template does not escape URIs: signxml's turn
    with pytest.raises(SigningError, match="self-verification"):
        FacilitySigner(material, clock=FixedClock(at=now)).sign(document)
