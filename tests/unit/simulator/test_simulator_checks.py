"""What the simulated gateway refuses in a file, with real signatures (signxml) and real XML."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from lxml import etree
from signxml.algorithms import SignatureConstructionMethod
from signxml.signer import XMLSigner

from adapter.errors import DataError
from adapter.simulator import samples
from adapter.simulator.checks import Kind, inspect_file, parse_safe

XXE = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
          b']><l>&b;&b;&b;</l>')


def code_of(raw: bytes, certs: list[bytes], kind: Kind = Kind.CLAIM, ma_cskcb: str = "79001") -> str:
    with pytest.raises(DataError) as caught:
        inspect_file(raw, kind=kind, ma_cskcb=ma_cskcb, certificates=certs)
    return caught.value.rule


def test_signed_documents_of_every_kind_pass(key: samples.DemoKey) -> None:
    for kind, doc in ((Kind.CLAIM, samples.claim("79001", "LK-1")),
                      (Kind.CHECKIN, samples.checkin("79001", "LK-1")), (Kind.STAFF, samples.staff("79001"))):
        found = inspect_file(samples.sign(doc, key), kind=kind, ma_cskcb="79001", certificates=[key.cert_pem])
        assert found.kind is kind and found.ma_lk == ("" if kind is Kind.STAFF else "LK-1")
        assert len(found.sha256) == 64


def _table(name: str, body: bytes) -> bytes:
    return (f"<FILEHOSO><LOAIHOSO>{name}</LOAIHOSO><NOIDUNGFILE>{base64.b64encode(body).decode()}"
            "</NOIDUNGFILE></FILEHOSO>").encode()


Mutation = Callable[[bytes], bytes]
STRUCTURE: list[tuple[str, Mutation]] = [
    ("wrong facility in envelope", lambda d: d.replace(b"<MACSKCB>79001", b"<MACSKCB>79002")),
    ("two files announced", lambda d: d.replace(b"<SOLUONGHOSO>1", b"<SOLUONGHOSO>2")),
    ("two HOSO", lambda d: d.replace(b"</HOSO>", b"</HOSO><HOSO/>")),
    ("XML12 is never sent", lambda d: d.replace(b"<HOSO>", b"<HOSO>" + _table("XML12", b"<a/>"))),
    ("unknown table", lambda d: d.replace(b"<HOSO>", b"<HOSO>" + _table("XML16", b"<a/>"))),
    ("table twice", lambda d: d.replace(b"<HOSO>", b"<HOSO>" + _table("XML2", b"<a/>"))),
    ("no XML1", lambda d: d.replace(b"<LOAIHOSO>XML1<", b"<LOAIHOSO>XML3<")),
    ("XML1 without MA_LK", lambda d: d.replace(
        d[d.index(b"<NOIDUNGFILE>") + 13:d.index(b"</NOIDUNGFILE>")], base64.b64encode(b"<TONG_HOP/>"))),
    ("wrong root", lambda d: d.replace(b"GIAMDINHHS", b"HOSO_KCB")),
]


@pytest.mark.parametrize(("why", "mutate"), STRUCTURE, ids=[w for w, _ in STRUCTURE])
def test_envelope_structure_errors_are_refused_with_123(key: samples.DemoKey, why: str,
                                                       mutate: Mutation) -> None:
    signed = samples.sign(mutate(samples.claim("79001", "LK-1")), key)
    assert code_of(signed, [key.cert_pem]) == "123", why


@pytest.mark.parametrize("inner", [XXE, LAUGHS, b"<TONG_HOP><MA_LK>x</TONG_HOP>"])
def test_unsafe_or_broken_inner_tables_are_refused_with_204(key: samples.DemoKey, inner: bytes) -> None:
    doc = samples.claim("79001", "LK-1")
    start, end = doc.index(b"<NOIDUNGFILE>") + 13, doc.index(b"</NOIDUNGFILE>")
    signed = samples.sign(doc[:start] + base64.b64encode(inner) + doc[end:], key)
    assert code_of(signed, [key.cert_pem]) == "204"


def test_inner_table_that_is_not_base64_is_refused_with_202(key: samples.DemoKey) -> None:
    doc = samples.claim("79001", "LK-1")
    start = doc.index(b"<NOIDUNGFILE>") + 13
    assert code_of(samples.sign(doc[:start] + b"%%%" + doc[start:], key), [key.cert_pem]) == "202"


@pytest.mark.parametrize("raw", [XXE, LAUGHS, b"<a><b></a>", b"\xff\xfe"])
def test_outer_file_must_be_safe_and_well_formed(raw: bytes) -> None:
    with pytest.raises(DataError) as caught:
        parse_safe(raw)
    assert caught.value.rule == "204"


def test_unsigned_file_is_refused_with_124(key: samples.DemoKey) -> None:
    assert code_of(samples.claim("79001", "LK-1"), [key.cert_pem]) == "124"


def test_content_changed_after_signing_is_refused_with_124(key: samples.DemoKey) -> None:
    signed = samples.sign(samples.claim("79001", "LK-1"), key)
    assert code_of(signed.replace(b"<NGAYLAP>20260101", b"<NGAYLAP>20260102"), [key.cert_pem]) == "124"


def test_chukydonvi_must_stay_the_last_child(key: samples.DemoKey) -> None:
    signed = samples.sign(samples.claim("79001", "LK-1"), key)
    moved = signed.replace(b"</GIAMDINHHS>", b"<GHI_CHU/></GIAMDINHHS>")
    assert code_of(moved, [key.cert_pem]) == "124"


def test_signature_by_an_unregistered_certificate_is_refused_with_125(key: samples.DemoKey,
                                                                     other_key: samples.DemoKey) -> None:
    signed = samples.sign(samples.claim("79001", "LK-1"), other_key)
    assert code_of(signed, [key.cert_pem]) == "125"
    assert code_of(signed, []) == "125"


def test_other_signature_profiles_are_refused(key: samples.DemoKey) -> None:
    root = etree.fromstring(samples.claim("79001", "LK-1"))
    signer = XMLSigner(method=SignatureConstructionMethod.enveloped, signature_algorithm="rsa-sha256",
                       digest_algorithm="sha256")              # signxml default C14N 1.1
    signed = signer.sign(root, key=key.key_pem, cert=key.cert_pem.decode())
    root_out = etree.fromstring(etree.tostring(signed))
    sig = root_out[-1]
    root_out.remove(sig)
    root_out.find("CHUKYDONVI").append(sig)
    assert code_of(etree.tostring(root_out), [key.cert_pem]) == "124"


def test_checkin_and_staff_facility_must_match(key: samples.DemoKey) -> None:
    checkin = samples.sign(samples.checkin("79002", "LK-1"), key)
    staff = samples.sign(samples.staff("79002"), key)
    assert code_of(checkin, [key.cert_pem], Kind.CHECKIN) == "123"
    assert code_of(staff, [key.cert_pem], Kind.STAFF) == "123"
    assert code_of(samples.sign(samples.claim("79001", "LK-1"), key), [key.cert_pem], Kind.CHECKIN) == "123"
