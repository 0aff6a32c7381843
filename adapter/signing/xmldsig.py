"""The BHXH XML-DSig profile: sign into ``<CHUKYDONVI>``, verify, strip.

Profile (bhyt-xml-spec.md §7.2): enveloped signature, ``Reference URI=""``, transforms
enveloped-signature + inclusive C14N 1.0, RSA-SHA256, SHA-256 digest, the full signer
certificate in ``KeyInfo/X509Data``, an unprefixed ``<Signature xmlns="…xmldsig#">`` inside
``<CHUKYDONVI>``, which must be the last child of the root. The gateway was most likely
built against .NET ``SignedXml``; we mimic its shape (no ``ds:`` prefix, one-line base64).

signxml errors are translated here and nowhere else.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from cryptography import x509
from lxml import etree
from signxml.algorithms import CanonicalizationMethod, DigestAlgorithm, SignatureMethod
from signxml.exceptions import InvalidInput, SignXMLException
from signxml.signer import XMLSigner
from signxml.verifier import SignatureConfiguration, XMLVerifier

from adapter.errors import SignatureInvalid, SigningError, XmlInputError
from adapter.logs import quiet_third_party_loggers
from adapter.signing.keys import KeyMaterial, certificate_fingerprint

DS = "http://www.w3.org/2000/09/xmldsig#"
C14N_10 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
SLOT = "CHUKYDONVI"
DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
_SIG = f"{{{DS}}}Signature"
_PROFILE = SignatureConfiguration(
    location=f"./{SLOT}/",
    expect_references=1,
    signature_methods=frozenset({SignatureMethod.RSA_SHA256}),
    digest_algorithms=frozenset({DigestAlgorithm.SHA256}),
)


def sign_xml(document: bytes, key: KeyMaterial) -> bytes:
    """The document with the facility signature inside its empty trailing ``<CHUKYDONVI/>``."""
    quiet_third_party_loggers()     # signxml logs whole documents (patient data) at DEBUG
    root = parse_document(document)
    slot = _empty_slot(root)
    etree.SubElement(slot, _SIG, nsmap={None: DS}, Id="placeholder")
    signer = XMLSigner(c14n_algorithm=CanonicalizationMethod.CANONICAL_XML_1_0)
    signer.namespaces = {None: DS}  # type: ignore[dict-item]  # signxml's documented way to drop ds:
    try:
        signed = signer.sign(root, key=key.private_key, cert=[key.certificate, *key.chain])
    except (SignXMLException, ValueError, TypeError, etree.LxmlError) as exc:
        # LxmlError: signxml re-parses its own serialization and can choke on it (e.g. a
        # namespace URI holding '&').
        raise SigningError(f"signing failed: {type(exc).__name__}") from exc
    _one_line_certificates(signed)
    return serialize(signed)


def verify_xml(document: bytes, trusted: Sequence[x509.Certificate] | None = None,
               *, at: datetime | None = None) -> x509.Certificate:
    """The signer certificate of a valid BHXH-profile signature, else ``SignatureInvalid``.

    ``trusted``: when given, the signer must be one of these certificates (compared by
    fingerprint). ``at``: the time at which the certificate must be valid (default now).
    """
    quiet_third_party_loggers()
    try:
        root = parse_document(document)
    except XmlInputError as exc:
        raise SignatureInvalid(f"not a well-formed, safe XML document: {exc}") from exc
    signature = _the_signature(root)
    _check_profile(signature)
    cert = _embedded_certificate(signature)
    _check_trusted(cert, trusted)
    _verify_crypto(document, cert, at)
    return cert


def strip_signature(signed: bytes) -> bytes:
    """The document as it was before signing: the trailing ``<CHUKYDONVI/>`` emptied."""
    root = parse_document(signed)
    slot = _last_slot(root)
    for child in list(slot):
        slot.remove(child)
    slot.text = None
    return serialize(root)


def signer_fingerprint(signed: bytes) -> str | None:
    """SHA-256 fingerprint of the certificate embedded in the signature, or None if unsigned."""
    root = parse_document(signed)
    signature = _last_slot(root).find(_SIG)
    if signature is None:
        return None
    return certificate_fingerprint(_embedded_certificate(signature))


def resign_needed(signed: bytes, current_fingerprint: str) -> bool:
    """True when the document is unsigned or was signed with another certificate than the current one."""
    try:
        found = signer_fingerprint(signed)
    except (XmlInputError, SignatureInvalid):
        return True
    return found is None or found != current_fingerprint.lower()


def ensure_signature_slot(document: bytes) -> bytes:
    """The document unchanged if it ends with ``<CHUKYDONVI/>``, else with one appended to the root."""
    root = parse_document(document)
    if len(root) and root[-1].tag == SLOT:
        return document
    if root.find(f".//{SLOT}") is not None:
        raise XmlInputError(f"{SLOT} is present but is not the last child of the root element")
    previous = root[-1] if len(root) else None
    slot = etree.SubElement(root, SLOT)
    if previous is not None:  # keep the file's indentation: the slot takes the last child's place in it
        slot.tail, previous.tail = previous.tail, root.text
    return serialize(root)


def parse_document(document: bytes) -> etree._Element:
    """Parse untrusted XML: no DTD, no entity expansion, no network; ``XmlInputError`` otherwise."""
    # CDATA sections become escaped text (strip_cdata, lxml's default): C14N does the same, so
    # the digest is unchanged, and signxml's internal ASCII re-serialization corrupts non-ASCII
    # text inside a kept CDATA section (it emits character references there).
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, strip_cdata=True)
    try:
        tree = etree.fromstring(document, parser).getroottree()
    except etree.XMLSyntaxError as exc:
        raise XmlInputError(f"malformed XML (line {exc.lineno})") from exc
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise XmlInputError("a DOCTYPE/DTD is not accepted in documents to sign or verify")
    return tree.getroot()


def serialize(root: etree._Element) -> bytes:
    """UTF-8, no BOM, the conventional double-quoted declaration (lxml would write single quotes),
    a final newline; what lies between is lxml's faithful serialization of the parsed tree."""
    body: bytes = etree.tostring(root, encoding="utf-8", xml_declaration=False)
    return DECLARATION + body + b"\n"


def _last_slot(root: etree._Element) -> etree._Element:
    last = root[-1] if len(root) else None
    if last is None or last.tag != SLOT:
        raise XmlInputError(f"{SLOT} must be the last child of the root element")
    return last


def _empty_slot(root: etree._Element) -> etree._Element:
    slot = _last_slot(root)
    if len(slot) or (slot.text or "").strip():
        raise SigningError(f"{SLOT} is not empty: the document is already signed (strip it first)")
    if root.find(f".//{_SIG}") is not None:
        raise SigningError("the document already holds an XML signature")
    slot.text = None
    return slot


def _the_signature(root: etree._Element) -> etree._Element:
    try:
        slot = _last_slot(root)
    except XmlInputError as exc:
        raise SignatureInvalid(str(exc)) from exc
    signatures = root.findall(f".//{_SIG}")
    if not signatures:
        raise SignatureInvalid("the document is not signed (no Signature element)")
    if len(signatures) > 1 or signatures[0].getparent() is not slot or len(slot) != 1:
        raise SignatureInvalid(f"exactly one Signature is expected, alone inside {SLOT}")
    return signatures[0]


def _check_profile(signature: etree._Element) -> None:
    ns = {"ds": DS}
    c14n = signature.xpath("ds:SignedInfo/ds:CanonicalizationMethod/@Algorithm", namespaces=ns)
    refs = signature.xpath("ds:SignedInfo/ds:Reference", namespaces=ns)
    if c14n != [C14N_10] or len(refs) != 1 or refs[0].get("URI") != "":
        raise SignatureInvalid("signature is not in the BHXH profile (C14N 1.0, one Reference URI=\"\")")
    transforms = refs[0].xpath("ds:Transforms/ds:Transform/@Algorithm", namespaces=ns)
    if transforms != [ENVELOPED, C14N_10]:
        raise SignatureInvalid("signature transforms are not enveloped-signature + C14N 1.0")


def _embedded_certificate(signature: etree._Element) -> x509.Certificate:
    text = signature.findtext(f"{{{DS}}}KeyInfo/{{{DS}}}X509Data/{{{DS}}}X509Certificate")
    if not text:
        raise SignatureInvalid("the signature carries no X509Certificate")
    try:
        return x509.load_der_x509_certificate(base64.b64decode("".join(text.split()), validate=True))
    except (ValueError, binascii.Error) as exc:
        raise SignatureInvalid("the embedded X509Certificate cannot be read") from exc


def _check_trusted(cert: x509.Certificate, trusted: Sequence[x509.Certificate] | None) -> None:
    if trusted is None:
        return
    wanted = {certificate_fingerprint(c) for c in trusted}
    if certificate_fingerprint(cert) not in wanted:
        raise SignatureInvalid(
            f"signer certificate {certificate_fingerprint(cert)[:16]}… is not among the trusted certificates")


def _verify_crypto(document: bytes, cert: x509.Certificate, at: datetime | None) -> None:
    verifier = XMLVerifier()
    # lxml's inclusive C14N of a subtree adds a spurious xmlns="" (signxml issue 275); our
    # documents have no default namespace of their own, so excising it is exact here.
    verifier.excise_empty_xmlns_declarations = True
    config = _PROFILE if at is None else replace(_PROFILE, verification_time=at)
    try:
        verifier.verify(document, x509_cert=cert, expect_config=config,
                        parser=etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except (SignXMLException, InvalidInput, ValueError, etree.LxmlError) as exc:
        raise SignatureInvalid(f"signature does not verify: {exc}") from exc


def _one_line_certificates(signed: etree._Element) -> None:
    # KeyInfo is outside SignedInfo, so reflowing the base64 does not touch what is signed.
    # signxml builds the unprefixed elements without a namespace in memory (they inherit the
    # default namespace when serialized), hence both names.
    for node in signed.iter("X509Certificate", f"{{{DS}}}X509Certificate"):
        node.text = "".join((node.text or "").split())
