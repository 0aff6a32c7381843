"""The fast signing path for the documents the adapter writes itself, and its own verifier.

``sign_simple`` produces exactly the bytes of ``xmldsig.sign_xml`` (signxml), byte for byte,
for documents of the simple shape our mappers write: an unprefixed root without a default
namespace, nothing but the root (no comments or PIs around it), and an empty trailing
``<CHUKYDONVI/>``. It parses once, serializes once, hashes the canonical form, renders
SignedInfo from a template and signs once; signxml re-parses, re-serializes and walks the
tree several times. Any other shape returns ``None`` and the caller takes the signxml path.

``verify_own`` checks our own output cheaply and independently of the signing intermediates:
it re-parses the exact output bytes, checks the profile, recomputes the document digest with
lxml's C14N of the parsed tree without the Signature, canonicalizes the parsed SignedInfo,
and checks the RSA signature with the certificate's public key. ``xmldsig.verify_xml``
(signxml) stays the verifier for documents from elsewhere.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from adapter.errors import SignatureInvalid, SigningError, XmlInputError
from adapter.signing.keys import KeyMaterial
from adapter.signing.xmldsig import C14N_10, DECLARATION, DS, ENVELOPED, SLOT, parse_document

RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256_URI = "http://www.w3.org/2001/04/xmlenc#sha256"
_SIG = f"{{{DS}}}Signature"
_XML_NS = "{http://www.w3.org/XML/1998/namespace}"
_OPEN_SLOT = f"<{SLOT}>".encode()
_CLOSE_SLOT = f"</{SLOT}>".encode()
# Characters a namespace URI must not hold for the template's attribute rendering to equal
# C14N's (which escapes them); such a document simply takes the signxml path.
_URI_SPECIALS = frozenset('&<>"\t\n\r')

# SignedInfo as lxml serializes it (empty elements self-closed) and as C14N 1.0 writes it
# (empty elements as start/end pairs; the in-scope namespace declarations go on the apex).
_METHODS = ((f'<CanonicalizationMethod Algorithm="{C14N_10}"', "CanonicalizationMethod"),
            (f'<SignatureMethod Algorithm="{RSA_SHA256}"', "SignatureMethod"))
_TRANSFORMS = ((f'<Transform Algorithm="{ENVELOPED}"', "Transform"),
               (f'<Transform Algorithm="{C14N_10}"', "Transform"))
_DIGEST_METHOD = (f'<DigestMethod Algorithm="{SHA256_URI}"', "DigestMethod")


def _signed_info_body(digest: str, *, canonical: bool) -> str:
    def empty(pair: tuple[str, str]) -> str:
        start, name = pair
        return f"{start}></{name}>" if canonical else f"{start}/>"
    return ("".join(map(empty, _METHODS)) + '<Reference URI=""><Transforms>'
            + "".join(map(empty, _TRANSFORMS)) + "</Transforms>" + empty(_DIGEST_METHOD)
            + f"<DigestValue>{digest}</DigestValue></Reference></SignedInfo>")


# Rendered once: (before, after) the digest, as serialized and as canonicalized.
_SERIALIZED_INFO = tuple(_signed_info_body("\0", canonical=False).split("\0"))
_CANONICAL_INFO = tuple(_signed_info_body("\0", canonical=True).split("\0"))


def sign_simple(document: bytes, key: KeyMaterial) -> bytes | None:
    """``sign_xml(document, key)``'s exact bytes, or ``None`` when the document is not of the simple shape.

    ``None`` also covers malformed or unsafe input and an occupied slot: the signxml path then
    raises its usual error. Errors of the key itself (token absent, refused) propagate.
    """
    try:
        root = parse_document(document)
    except XmlInputError:
        return None
    namespaces = _simple_shape(root)
    if namespaces is None:
        return None
    body: bytes = etree.tostring(root, encoding="utf-8", xml_declaration=False)
    if not body.endswith(f"<{SLOT}/>".encode() + _tail_and_end(root)):
        return None
    digest = _b64(hashlib.sha256(canonical_document(root, body)).digest())
    before, after = _CANONICAL_INFO
    canonical_info = f'<SignedInfo xmlns="{DS}"{namespaces}>{before}{digest}{after}'
    try:
        value = key.private_key.sign(canonical_info.encode(), PKCS1v15(), SHA256())
    except (ValueError, TypeError) as exc:  # as on the signxml path; adapter errors pass through
        raise SigningError(f"signing failed: {type(exc).__name__}") from exc
    before, after = _SERIALIZED_INFO
    signature = (f'<Signature xmlns="{DS}"><SignedInfo>{before}{digest}{after}'
                 f"<SignatureValue>{_b64(value)}</SignatureValue>"
                 f"{_key_info((key.certificate, *key.chain))}</Signature>")
    return _splice(body, root, signature.encode())


def _simple_shape(root: etree._Element) -> str | None:
    """The canonical namespace declarations SignedInfo inherits, or None when the shape is not simple."""
    tag = root.tag
    if not isinstance(tag, str) or tag.startswith("{") or root.getprevious() is not None \
            or root.getnext() is not None or not len(root):
        return None
    slot = root[-1]
    if slot.tag != SLOT or len(slot) or (slot.text or "").strip() or (slot.tail or "").strip(" \t\n") \
            or next(root.iter(_SIG), None) is not None:
        return None
    # xml:* attributes of the root belong on SignedInfo's canonical form by C14N 1.0 (xmlsec1
    # puts them there, libxml2's subtree C14N and so signxml do not): leave them to signxml.
    if any(name.startswith(_XML_NS) for name in root.attrib):
        return None
    namespaces = root.nsmap
    if None in namespaces or slot.nsmap != namespaces \
            or any(_URI_SPECIALS.intersection(uri) for uri in namespaces.values()):
        return None
    slot.text = None  # whitespace inside the empty slot goes, as on the signxml path
    # C14N 1.0 orders namespace nodes by prefix (the default one, DS here, first).
    return "".join(f' xmlns:{prefix}="{namespaces[prefix]}"' for prefix in sorted(map(str, namespaces)))


def _tail_and_end(root: etree._Element) -> bytes:
    # _simple_shape allowed only spaces, tabs and newlines after the slot: lxml writes them as is.
    return (root[-1].tail or "").encode() + f"</{root.tag}>".encode()


def _splice(body: bytes, root: etree._Element, signature: bytes) -> bytes:
    after = _tail_and_end(root)
    head = body[: len(body) - len(after) - len(f"<{SLOT}/>")]
    return b"".join((DECLARATION, head, _OPEN_SLOT, signature, _CLOSE_SLOT, after, b"\n"))


@functools.lru_cache(maxsize=16)
def _key_info(certificates: tuple[x509.Certificate, ...]) -> str:
    elements = "".join(f"<X509Certificate>{_der_b64(c)}</X509Certificate>" for c in certificates)
    return f"<KeyInfo><X509Data>{elements}</X509Data></KeyInfo>"


@functools.lru_cache(maxsize=16)
def _der_b64(certificate: x509.Certificate) -> str:
    return _b64(certificate.public_bytes(Encoding.DER))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def canonical_document(root: etree._Element, body: bytes | None = None) -> bytes:
    """The inclusive C14N 1.0 (no comments) of ``root``; ``body`` is its lxml serialization, if at hand.

    When ``body`` shows that lxml's serialization differs from C14N only in the root's start
    tag and in self-closed empty elements, the canonical form is derived from it (a fraction
    of the cost of libxml2's C14N); otherwise lxml's C14N is used.
    """
    if body is not None:
        derived = derived_canonical(root, body)
        if derived is not None:
            return derived
    canonical: bytes = etree.tostring(root, method="c14n", with_comments=False)
    return canonical


def derived_canonical(root: etree._Element, body: bytes) -> bytes | None:
    """C14N 1.0 of ``root`` derived from its lxml serialization ``body``; None where that is not exact."""
    # With no comments, PIs, attributes or namespace declarations below the root, lxml's
    # serialization and C14N 1.0 escape text alike ('&', '<', '>'), except a CR, which lxml
    # writes '&#13;' and C14N '&#xD;'; they differ only in the root's start tag (C14N sorts
    # namespace declarations and attributes) and in empty elements ('<A/>' vs '<A></A>').
    serialized_start, canonical_start = _start_tags(root.tag, tuple(root.attrib.items()),
                                                    tuple(root.nsmap.items()))
    if not body.startswith(serialized_start):
        return None
    rest = body[len(serialized_start):]
    if b"&" in rest and b"&#" in rest:  # the one-byte search is a memchr; the second rarely runs
        return None
    empty = _empty_elements(root, rest)
    if empty is None:
        return None
    return canonical_start + (_expand_last(rest, root) if empty == 1 else _expand_empty(rest))


@functools.lru_cache(maxsize=64)
def _start_tags(tag: str, attributes: tuple[tuple[str, str], ...],
                namespaces: tuple[tuple[str | None, str], ...]) -> tuple[bytes, bytes]:
    """The root's start tag as lxml serializes it and as C14N writes it (sorted declarations)."""
    shell = etree.Element(tag, attrib=dict(attributes), nsmap=dict(namespaces))
    serialized = etree.tostring(shell, encoding="utf-8")[:-2] + b">"
    canonical: bytes = etree.tostring(shell, method="c14n", with_comments=False)
    return serialized, canonical[: -len(f"</{tag}>")]


def _empty_elements(root: etree._Element, rest: bytes) -> int | None:
    """How many elements below the root serialize self-closed; None if any is not plain."""
    # lxml escapes '<' and '>' but not '"', '!' or '?' in text: where none of them occurs
    # (a memchr each), no element below the root has an attribute, a namespace declaration,
    # or is a comment or PI, and the walk only counts empty elements.
    if b'"' in rest or b"!" in rest or b"?" in rest:
        namespaces = root.nsmap
        for element in root.iterdescendants():
            if not isinstance(element.tag, str) or element.attrib or element.nsmap != namespaces:
                return None
    return sum(1 for element in root.iterdescendants() if element.text is None and not len(element))


def _expand_last(rest: bytes, root: etree._Element) -> bytes:
    # The only empty element is the trailing slot: no need to scan the (large) body for '/>'.
    after = _tail_and_end(root)
    head = rest[: len(rest) - len(after) - len(f"<{SLOT}/>")]
    return b"".join((head, _OPEN_SLOT, _CLOSE_SLOT, after))


def _expand_empty(rest: bytes) -> bytes:
    pieces = rest.split(b"/>")
    out = []
    for piece in pieces[:-1]:
        name = piece[piece.rfind(b"<") + 1:]
        out.append(piece + b"></" + name + b">")
    out.append(pieces[-1])
    return b"".join(out)


def verify_own(signed: bytes, certificate: x509.Certificate) -> None:
    """``SignatureInvalid`` unless ``signed`` carries a valid BHXH-profile signature by ``certificate``.

    For the output of ``sign_simple``: the Signature must be alone in the trailing slot and
    the document must use no default namespace (which makes excising lxml's spurious
    ``xmlns=""`` from the SignedInfo subtree exact).
    """
    try:
        root = parse_document(signed)
    except XmlInputError as exc:
        raise SignatureInvalid(f"not a well-formed, safe XML document: {exc}") from exc
    signature = _own_signature(root)
    signed_info, digest_value, signature_value = _profile_parts(signature)
    _check_certificate(signature, certificate)
    canonical_info = etree.tostring(signed_info, method="c14n", with_comments=False).replace(b' xmlns=""',
                                                                                             b"")
    public = certificate.public_key()
    if not isinstance(public, rsa.RSAPublicKey):
        raise SignatureInvalid("the certificate does not hold an RSA key")
    try:
        public.verify(signature_value, canonical_info, PKCS1v15(), SHA256())
    except InvalidSignature as exc:
        raise SignatureInvalid("SignatureValue does not match SignedInfo") from exc
    _remove_enveloped(signature)
    document = etree.tostring(root, method="c14n", with_comments=False)
    if not hmac.compare_digest(hashlib.sha256(document).digest(), digest_value):
        raise SignatureInvalid("the document digest does not match DigestValue")


def _own_signature(root: etree._Element) -> etree._Element:
    if not isinstance(root.tag, str) or root.tag.startswith("{") or None in root.nsmap:
        raise SignatureInvalid("not a document of the adapter's own shape")
    slot = root[-1] if len(root) else None
    if slot is None or slot.tag != SLOT or len(slot) != 1 or slot[0].tag != _SIG:
        raise SignatureInvalid(f"exactly one Signature is expected, alone inside the trailing {SLOT}")
    if sum(1 for _ in root.iter(_SIG)) != 1:
        raise SignatureInvalid("more than one Signature element")
    return slot[0]


def _ds(local: str) -> str:
    return f"{{{DS}}}{local}"


def _children(element: etree._Element, *locals_: str) -> list[etree._Element]:
    children = list(element)
    if [child.tag for child in children] != [_ds(name) for name in locals_]:
        raise SignatureInvalid(f"{etree.QName(element).localname} does not have the profile's children")
    return children


def _algorithm(element: etree._Element, expected: str) -> None:
    if element.get("Algorithm") != expected or len(element) or (element.text or "").strip():
        raise SignatureInvalid(f"{etree.QName(element).localname} is not {expected}")


def _profile_parts(signature: etree._Element) -> tuple[etree._Element, bytes, bytes]:
    signed_info, signature_value, _ = _children(signature, "SignedInfo", "SignatureValue", "KeyInfo")
    c14n, method, reference = _children(signed_info, "CanonicalizationMethod", "SignatureMethod",
                                        "Reference")
    _algorithm(c14n, C14N_10)
    _algorithm(method, RSA_SHA256)
    if reference.attrib != {"URI": ""}:
        raise SignatureInvalid('the Reference must be URI="" (the whole document)')
    transforms, digest_method, digest_value = _children(reference, "Transforms", "DigestMethod",
                                                        "DigestValue")
    enveloped, canonical = _children(transforms, "Transform", "Transform")
    _algorithm(enveloped, ENVELOPED)
    _algorithm(canonical, C14N_10)
    _algorithm(digest_method, SHA256_URI)
    if signed_info.attrib or any((e.text or "") for e in (signed_info, reference, transforms)):
        raise SignatureInvalid("SignedInfo carries attributes or text outside the profile")
    return signed_info, _base64(digest_value, 32), _base64(signature_value, None)


def _base64(element: etree._Element, size: int | None) -> bytes:
    text = element.text or ""
    try:
        data = base64.b64decode(text, validate=True)
    except (ValueError, binascii.Error) as exc:
        raise SignatureInvalid(f"{etree.QName(element).localname} is not base64") from exc
    if len(element) or (size is not None and len(data) != size):
        raise SignatureInvalid(f"{etree.QName(element).localname} has the wrong size")
    return data


def _check_certificate(signature: etree._Element, certificate: x509.Certificate) -> None:
    embedded = signature.findtext(f"{_ds('KeyInfo')}/{_ds('X509Data')}/{_ds('X509Certificate')}")
    if embedded is None or not hmac.compare_digest(embedded.encode(), _der_b64(certificate).encode()):
        raise SignatureInvalid("the embedded certificate is not the signer's certificate")


def _remove_enveloped(signature: etree._Element) -> None:
    # The enveloped-signature transform removes the Signature element and nothing else; its
    # tail (none in our output) stays, as the transform requires.
    parent = signature.getparent()
    assert parent is not None  # _own_signature found it inside the slot
    tail = signature.tail
    parent.remove(signature)
    if tail:
        parent.text = (parent.text or "") + tail
