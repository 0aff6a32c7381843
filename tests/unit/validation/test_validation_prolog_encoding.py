"""Declarations are sought in the prolog only; CDATA is data; the encoding is read before any byte scan."""

from __future__ import annotations

import pytest
import validation_samples as s

from adapter.errors import XmlInputError
from adapter.validation.engine import validate_document
from adapter.validation.parse import control_character, declares_dtd, encoding, parse_xml

DECL = b'<?xml version="1.0" encoding="utf-8"?>'
LITERAL_MARKUP = b"<![CDATA[<!ENTITY x SYSTEM 'file:///etc/passwd'> <!DOCTYPE html> &#0; &x;]]>"


def _located(data: bytes) -> set[tuple[str, str, str]]:
    return {(i.rule, i.table, i.field) for i in validate_document(data).issues if i.blocking}


def test_declarations_and_references_written_inside_cdata_are_text() -> None:
    data = DECL + b"<TONG_HOP><GHI_CHU>" + LITERAL_MARKUP + b"</GHI_CHU></TONG_HOP>"
    assert not declares_dtd(data) and control_character(data) is None
    text = parse_xml(data).findtext("GHI_CHU")
    assert text == "<!ENTITY x SYSTEM 'file:///etc/passwd'> <!DOCTYPE html> &#0; &x;"


def test_a_raw_control_byte_inside_cdata_is_still_illegal() -> None:
    assert control_character(b"<TONG_HOP><GHI_CHU><![CDATA[a\x01b]]></GHI_CHU></TONG_HOP>") == "GHI_CHU"


def test_a_control_reference_after_cdata_and_comments_is_found_at_its_element() -> None:
    data = (b"<?pi &#3;?><T><A><![CDATA[&#0;]]></A><!-- &#1; --><B>x</B><C>&#x1f;</C>"
            b"<D><![CDATA[&#2;]]></D></T>")
    assert control_character(data) == "C"


@pytest.mark.parametrize("prolog", [
    b"<!--" + b" " * 100_000 + b"-->",
    b'<?xml-stylesheet href="x"?>\n<!-- a comment -->\n',
    b"\n\t ",
], ids=["after-100k-comment", "after-pi-and-comment", "after-whitespace"])
def test_a_doctype_anywhere_in_the_prolog_is_refused(prolog: bytes) -> None:
    data = DECL + prolog + b'<!DOCTYPE T [<!ENTITY a "b">]><T>&a;</T>'
    assert declares_dtd(data)
    with pytest.raises(XmlInputError, match="DTD"):
        parse_xml(data)


def test_ascii_bytes_that_only_declare_utf16_are_scanned_as_they_are() -> None:
    data = b'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE T [<!ENTITY a "b">]><T>&a;</T>'
    assert encoding(data) == "utf-16" and declares_dtd(data)
    assert _located(data) == {("FILE_NOT_UTF8", "FILE", ""), ("XML_UNSAFE", "FILE", "")}


def test_a_comment_before_the_root_may_mention_a_doctype() -> None:
    data = DECL + b"<!-- <!DOCTYPE x> &#0; --><T>ok</T>"
    assert not declares_dtd(data) and parse_xml(data).text == "ok"


def test_a_doctype_in_utf16_or_utf32_is_found_before_parsing() -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?><!-- x --><!DOCTYPE T [<!ENTITY a "b">]><T>&a;</T>'
    for codec in ("utf-16", "utf-16-be", "utf-16-le", "utf-32", "utf-32-be"):
        assert declares_dtd(text.encode(codec)), codec


@pytest.mark.parametrize(("data", "expected"), [
    (b"<T/>", "utf-8"),
    (b"\xef\xbb\xbf" + DECL + b"<T/>", "utf-8"),
    (b"<?xml version='1.0' encoding='UTF8'?><T/>", "utf-8"),
    (b'<?xml version="1.0"?><T/>', "utf-8"),
    (b'<?xml version="1.0" encoding="ISO-8859-1"?><T/>', "iso8859-1"),
    (b'<?xml version="1.0" encoding="windows-1258"?><T/>', "cp1258"),
    (b'<?xml version="1.0" encoding="x-no-such-thing"?><T/>', "x-no-such-thing"),
    ("<T/>".encode("utf-16"), "utf-16-le"),
    ("<T/>".encode("utf-16-be"), "utf-16-be"),
    ('<?xml version="1.0"?><T/>'.encode("utf-16-le"), "utf-16-le"),
    ("<T/>".encode("utf-32"), "utf-32-le"),
    ("<T/>".encode("utf-32-be"), "utf-32-be"),
])
def test_encoding_comes_from_the_byte_order_mark_then_the_declaration(data: bytes, expected: str) -> None:
    assert encoding(data) == expected


def test_a_clean_utf16_table_parses_safely_but_cannot_be_sent() -> None:
    data = s.table_xml(1, s.outpatient()[1]).decode().replace("utf-8", "utf-16", 1).encode("utf-16")
    assert parse_xml(data).tag == "TONG_HOP"             # safety does not depend on the encoding ...
    assert _located(data) == {("FILE_NOT_UTF8", "FILE", "")}   # ... the gateway's encoding does


def test_a_utf16_document_with_a_dtd_is_both_not_utf8_and_unsafe() -> None:
    data = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE T SYSTEM "http://127.0.0.1:9/x"><T/>'.encode("utf-16")
    assert _located(data) == {("FILE_NOT_UTF8", "FILE", ""), ("XML_UNSAFE", "FILE", "")}


def test_an_embedded_table_reports_the_most_serious_refusal() -> None:
    xml1 = s.table_xml(1, s.outpatient()[1])
    wide = xml1.decode().replace("utf-8", "utf-16", 1)
    hostile = wide.replace("<TONG_HOP>", '<!DOCTYPE TONG_HOP [<!ENTITY a "b">]><TONG_HOP>', 1)
    assert ("FILE_NOT_UTF8", "ENVELOPE", "XML1") in _located(s.envelope_xml({}, files=[("XML1",
                                                                                        wide.encode("utf-16"))]))
    located = _located(s.envelope_xml({}, files=[("XML1", hostile.encode("utf-16"))]))
    assert ("XML_UNSAFE", "ENVELOPE", "XML1") in located
    assert ("FILE_NOT_UTF8", "ENVELOPE", "XML1") not in located
