"""The bad-XML-file corpus: deterministic defective documents built from one clean demo claim.

Each :class:`FileCase` is one file a HIS (or an attacker) could drop: an envelope
(GIAMDINHHS) or a single table, with one defect, and the issue validation must report
(``rule`` at ``where`` = ``TABLE.field`` prefix of the issue). ``write(folder)`` writes
them as ``<name>.xml`` for ``bhyt-adapter validate``.
"""

from __future__ import annotations

import base64
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from adapter.his import demo_data
from adapter.mappers.envelope import claim_files, envelope
from adapter.mappers.policy import TablePolicy

DEAD_URL = "http://127.0.0.1:9"  # discard port: nothing may ever be fetched anyway


@dataclass(frozen=True, kw_only=True, slots=True)
class FileCase:
    name: str
    category: str
    what: str
    data: bytes
    rule: str | None  # None: the file is clean (no blocking issue)
    where: str = ""
    bug: str = ""


@cache
def base_tables() -> dict[int, bytes]:
    """The table documents of one clean outpatient demo claim (3176)."""
    generated = demo_data.generate(encounters=7, seed=1, ma_cskcb="79001")
    enc = generated[6].encounter  # outpatient, insured, XML1-4, the smallest claim
    return claim_files(enc, demo_data.facility("79001"), "3176", TablePolicy())


def claim(tables: dict[int, bytes] | None = None) -> bytes:
    return envelope("79001", date(2025, 3, 4), tables if tables is not None else base_tables())


def ma_lk() -> str:
    m = re.search(rb"<MA_LK>([^<]+)</MA_LK>", base_tables()[1])
    assert m is not None
    return m.group(1).decode()


def set_el(doc: bytes, name: str, value: bytes, count: int = 1) -> bytes:
    """``doc`` with the content of the first ``count`` ``<name>`` elements replaced by ``value``."""
    pattern = re.compile(rb"<%s>.*?</%s>|<%s/>" % ((name.encode(),) * 3), re.DOTALL)
    new, done = pattern.subn(b"<%s>%s</%s>" % (name.encode(), value, name.encode()), doc, count=count)
    assert done, name
    return new


def setter(name: str, value: bytes) -> Callable[[bytes], bytes]:
    """A mutation that sets the first ``<name>`` element's content to ``value``."""

    def mutate(doc: bytes) -> bytes:
        return set_el(doc, name, value)

    return mutate


def xml1(mutate: Callable[[bytes], bytes] = lambda d: d) -> bytes:
    return mutate(base_tables()[1])


def with_table(number: int, mutate: Callable[[bytes], bytes]) -> bytes:
    tables = dict(base_tables())
    tables[number] = mutate(tables[number])
    return claim(tables)


def _case(
    name: str, category: str, what: str, data: bytes, rule: str | None, where: str = "", bug: str = ""
) -> FileCase:
    return FileCase(name=name, category=category, what=what, data=data, rule=rule, where=where, bug=bug)


_DECL = b'<?xml version="1.0" encoding="utf-8"?>'


def _body(doc: bytes) -> bytes:
    return doc.split(b"?>", 1)[1] if doc.startswith(b"<?xml") else doc


def _doctype(subset: bytes, root: bytes = b"TONG_HOP") -> Callable[[bytes], bytes]:
    return lambda doc: _DECL + b"<!DOCTYPE " + root + b" " + subset + b">" + _body(doc)


LAUGHS = (
    b"["
    + b"".join(b'<!ENTITY l%d "%s">' % (i, (b"&l%d;" % (i - 1)) * 10 if i else b"lol") for i in range(10))
    + b"]"
)


def _unsafe() -> Iterator[FileCase]:
    variants = (
        ("billion_laughs", "ten nested entities (10^9 expansion)", LAUGHS, b"l9"),
        (
            "quadratic_blowup",
            "one 50 kB entity referenced 2,000 times",
            b'[<!ENTITY a "' + b"A" * 50_000 + b'">]',
            b"a",
        ),
        (
            "xxe_file",
            "external entity file:///etc/passwd",
            b'[<!ENTITY x SYSTEM "file:///etc/passwd">]',
            b"x",
        ),
        (
            "xxe_http",
            "external entity over HTTP",
            b'[<!ENTITY x SYSTEM "' + DEAD_URL.encode() + b'/x">]',
            b"x",
        ),
        (
            "parameter_entity",
            "parameter entity pulling an external DTD",
            b'[<!ENTITY % p SYSTEM "' + DEAD_URL.encode() + b'/p.dtd"> %p;]',
            None,
        ),
        ("external_dtd", "external DTD (SYSTEM)", b'SYSTEM "' + DEAD_URL.encode() + b'/t.dtd"', None),
        ("public_dtd", "external DTD (PUBLIC)", b'PUBLIC "-//X//Y" "' + DEAD_URL.encode() + b'/t.dtd"', None),
        ("bare_doctype", "a DOCTYPE with nothing in it", b"", None),
    )
    for label, what, subset, ref in variants:
        mutate = _doctype(subset)
        data = mutate(xml1(setter("HO_TEN", b"&" + ref + b";")) if ref else xml1())
        if label == "quadratic_blowup":
            data = mutate(xml1(setter("HO_TEN", b"&a;" * 2000)))
        yield _case(f"xml1_{label}", "DTD / entities", f"XML1 with {what}", data, "XML_UNSAFE", "FILE")
        yield _case(
            f"envelope_xml2_{label}",
            "DTD / entities",
            f"XML2 inside the envelope with {what}",
            with_table(2, _doctype(subset, b"CHITIEU_CHITIET_THUOC")),
            "XML_UNSAFE",
            "ENVELOPE.XML2",
        )
    yield _case(
        "envelope_outer_doctype",
        "DTD / entities",
        "DOCTYPE on the GIAMDINHHS envelope itself",
        _doctype(b'[<!ENTITY x SYSTEM "file:///etc/passwd">]', b"GIAMDINHHS")(claim()),
        "XML_UNSAFE",
        "FILE",
    )
    yield _case(
        "xml1_doctype_after_70k_comment",
        "DTD / entities",
        "DOCTYPE after a 70 kB comment (beyond any prefix scan)",
        _DECL + b"<!--" + b" " * 70_000 + b"-->" + _doctype(LAUGHS)(xml1()).split(b"?>", 1)[1],
        "XML_UNSAFE",
        "FILE",
    )
    for enc in ("utf-16", "utf-16-be", "utf-32"):
        text = (
            f'<?xml version="1.0" encoding="{enc.upper()}"?><!DOCTYPE TONG_HOP [<!ENTITY x SYSTEM '
            '"file:///etc/passwd">]><TONG_HOP><MA_LK>&x;</MA_LK></TONG_HOP>'
        )
        yield _case(
            f"xml1_{enc.replace('-', '_')}_xxe",
            "DTD / entities",
            f"{enc.upper()} document declaring an external entity",
            text.encode(enc),
            "XML_UNSAFE",                    # and FILE_NOT_UTF8: both are reported
            "FILE",
        )


def _redeclared(enc: str) -> bytes:
    """The clean XML1 written in ``enc`` with a declaration that says so."""
    text = xml1().decode("utf-8").replace('encoding="utf-8"', f'encoding="{enc.upper()}"', 1)
    return text.encode(enc, errors="replace")


def _encodings() -> Iterator[FileCase]:
    # The gateway takes UTF-8 only (QĐ 130, TT 48): a clean claim in any other encoding is refused,
    # with a rule saying so, not a control-character or syntax error.
    for enc in ("utf-16", "utf-16-le", "utf-32", "windows-1258", "iso-8859-1"):
        yield _case(
            f"xml1_clean_in_{enc.replace('-', '_')}",
            "encoding",
            f"the clean XML1 encoded and declared as {enc.upper()}",
            _redeclared(enc),
            "FILE_NOT_UTF8",
            "FILE",
        )
    yield _case(
        "envelope_xml1_in_utf_16",
        "encoding",
        "the clean claim with its XML1 in UTF-16",
        claim({**base_tables(), 1: _redeclared("utf-16")}),
        "FILE_NOT_UTF8",
        "ENVELOPE.XML1",
    )
    yield _case(
        "xml1_declared_utf8_no_dash",
        "encoding",
        "declared encoding='UTF8' (an alias of UTF-8)",
        xml1(lambda d: d.replace(b'encoding="utf-8"', b'encoding="UTF8"', 1)),
        None,
    )
    yield _case(
        "xml1_prolog_comment_names_doctype",
        "encoding",
        "a comment before the root that reads '<!DOCTYPE x>'",
        _DECL + b"<!-- <!DOCTYPE x> &#0; -->" + _body(xml1()),
        None,
    )


def _malformed() -> Iterator[FileCase]:
    half = xml1()[: len(xml1()) // 2]
    broken = (
        ("empty", "an empty file", b""),
        ("blank", "only whitespace", b"  \n\t\n"),
        ("json", "JSON instead of XML", b'{"MA_LK": "1"}'),
        ("text", "plain text", "Hồ sơ bệnh án".encode()),
        ("truncated", "the first half of an XML1", half),
        ("two_roots", "two root elements", xml1() + _body(xml1())),
        (
            "mismatched_tag",
            "<HO_TEN> closed by </TEN>",
            xml1(lambda d: d.replace(b"</HO_TEN>", b"</TEN>", 1)),
        ),
        ("raw_cdata_end", "a raw ']]>' in element text", xml1(lambda d: set_el(d, "MA_BN", b"BN]]>1"))),
        ("raw_ampersand", "a raw '&' in element text", xml1(lambda d: set_el(d, "MA_BN", b"A & B"))),
        ("raw_less_than", "a raw '<' in element text", xml1(lambda d: set_el(d, "MA_BN", b"A < B"))),
        ("undefined_entity", "&nbsp; without any DTD", xml1(lambda d: set_el(d, "MA_BN", b"A&nbsp;B"))),
        (
            "invalid_utf8",
            "bytes that are not UTF-8 in text",
            xml1(lambda d: set_el(d, "MA_BN", b"BN\xff\xfe")),
        ),
        (
            "latin1_bytes",
            "Latin-1 bytes under a UTF-8 declaration",
            xml1(lambda d: set_el(d, "MA_BN", "Nguyễn".encode()[:-1] + b"\xe9")),
        ),
        (
            "deep_nesting",
            "10,000 nested elements",
            _DECL + b"<TONG_HOP>" + b"<A>" * 10_000 + b"</A>" * 10_000 + b"</TONG_HOP>",
        ),
        ("huge_text_node", "one 11 MB text node", xml1(lambda d: set_el(d, "MA_BN", b"9" * 11_000_000))),
        (
            "unquoted_attribute",
            "an unquoted attribute",
            xml1(lambda d: d.replace(b"<MA_BN>", b"<MA_BN x=1>", 1)),
        ),
    )
    for label, what, data in broken:
        yield _case(f"malformed_{label}", "malformed", what, data, "XML_MALFORMED", "FILE")
    yield _case(
        "unknown_root",
        "malformed",
        "a well-formed file of another kind",
        _DECL + b"<HOADON/>",
        "DOCUMENT_UNKNOWN",
        "FILE",
    )
    yield _case(
        "envelope_xml3_truncated",
        "malformed",
        "XML3 inside the envelope cut in half",
        with_table(3, lambda d: d[: len(d) // 2]),
        "XML_MALFORMED",
        "ENVELOPE.XML3",
    )


def _envelope() -> Iterator[FileCase]:
    env = claim()
    b64 = re.compile(rb"(<LOAIHOSO>XML2</LOAIHOSO><NOIDUNGFILE>)[^<]+")
    yield _case(
        "envelope_bad_base64",
        "envelope",
        "XML2 content is not base64",
        b64.sub(rb"\1***not base64***", env),
        "ENVELOPE_BASE64",
        "ENVELOPE.XML2",
    )
    yield _case(
        "envelope_base64_of_text",
        "envelope",
        "XML2 content is base64 of plain text",
        b64.sub(rb"\1" + base64.b64encode("không phải XML".encode()), env),
        "XML_MALFORMED",
        "ENVELOPE.XML2",
    )
    yield _case(
        "envelope_xml12",
        "envelope",
        "LOAIHOSO XML12 (never sent)",
        env.replace(b"<LOAIHOSO>XML4</LOAIHOSO>", b"<LOAIHOSO>XML12</LOAIHOSO>"),
        "ENVELOPE_STRUCTURE",
        "ENVELOPE",
    )
    yield _case(
        "envelope_declared_other_table",
        "envelope",
        "XML3 content declared as XML2",
        claim({**base_tables(), 2: base_tables()[3]}),
        "ENVELOPE_TABLE_MISMATCH",
        "ENVELOPE.XML2",
    )
    yield _case(
        "envelope_two_hoso",
        "envelope",
        "two HOSO in one file",
        env.replace(b"</HOSO></DANHSACHHOSO>", b"</HOSO><HOSO></HOSO></DANHSACHHOSO>"),
        "ENVELOPE_STRUCTURE",
        "ENVELOPE",
    )
    yield _case(
        "envelope_count_mismatch",
        "envelope",
        "SOLUONGHOSO = 2 for one HOSO",
        set_el(env, "SOLUONGHOSO", b"2"),
        "ENVELOPE_STRUCTURE",
        "ENVELOPE",
    )
    yield _case(
        "envelope_no_facility",
        "envelope",
        "MACSKCB empty",
        set_el(env, "MACSKCB", b""),
        "ENVELOPE_STRUCTURE",
        "ENVELOPE",
    )
    yield _case(
        "envelope_other_facility",
        "envelope",
        "MACSKCB differs from XML1 MA_CSKCB",
        set_el(env, "MACSKCB", b"01001"),
        "ENVELOPE_FACILITY_MISMATCH",
        "ENVELOPE.MACSKCB",
    )
    yield _case(
        "envelope_without_xml1",
        "envelope",
        "no XML1 in the envelope",
        claim({n: d for n, d in base_tables().items() if n != 1}),
        "TABLE_MISSING",
        "XML1",
    )


def _controls() -> Iterator[FileCase]:
    for label, raw in (
        ("nul", b"\x00"),
        ("bel", b"\x07"),
        ("esc", b"\x1b"),
        ("ref_1", b"&#1;"),
        ("ref_x1f", b"&#x1F;"),
        ("ref_0", b"&#0;"),
    ):
        yield _case(
            f"xml1_ho_ten_control_{label}",
            "control character",
            f"HO_TEN holding {raw!r}",
            xml1(setter("MA_BN", b"BN" + raw + b"1")),
            "TEXT_CONTROL_CHAR",
            "FILE.MA_BN",
        )
    yield _case(
        "envelope_xml2_control",
        "control character",
        "a BEL inside the XML2 of an envelope",
        with_table(2, lambda d: set_el(d, "MA_THUOC", b"40\x07208")),
        "TEXT_CONTROL_CHAR",
        "ENVELOPE.XML2",
    )


def _text() -> Iterator[FileCase]:
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Ánh").encode()
    yield _case(
        "xml1_nfd_name",
        "NFD text",
        "HO_TEN in NFD (a warning: the gateway compares NFC)",
        xml1(lambda d: set_el(d, "HO_TEN", b"<![CDATA[" + nfd + b"]]>")),
        "TEXT_NOT_NFC",
        "XML1.HO_TEN",
    )
    yield _case(
        "xml1_name_split_cdata",
        "awkward text (clean)",
        "']]>' split across CDATA sections",
        xml1(lambda d: set_el(d, "GHI_CHU", b"<![CDATA[a ]]]]><![CDATA[> b]]>")),
        None,
    )
    yield _case(
        "xml1_escaped_markup",
        "awkward text (clean)",
        "escaped '<!ENTITY' text (&lt;!ENTITY)",
        xml1(lambda d: set_el(d, "GHI_CHU", b"&lt;!ENTITY x SYSTEM &quot;file:///etc/passwd&quot;&gt;")),
        None,
    )
    yield _case(
        "xml1_entity_text_in_cdata",
        "awkward text (clean)",
        "'<!ENTITY' as data inside CDATA",
        xml1(lambda d: set_el(d, "GHI_CHU", b"<![CDATA[<!ENTITY x SYSTEM 'y'>]]>")),
        None,
    )
    yield _case(
        "xml1_char_ref_text_in_cdata",
        "awkward text (clean)",
        "'&#0;' as data inside CDATA",
        xml1(lambda d: set_el(d, "GHI_CHU", b"<![CDATA[&#0;]]>")),
        None,
    )
    yield _case(
        "xml1_bom",
        "awkward text (clean)",
        "a UTF-8 byte-order mark before the declaration",
        b"\xef\xbb\xbf" + xml1(),
        None,
    )
    yield _case("clean_envelope", "clean", "the untouched demo claim", claim(), None)
    yield _case("clean_xml1", "clean", "the untouched XML1 alone", xml1(), None)


def _semantic() -> Iterator[FileCase]:
    edits = (
        (
            "ngay_ra_before_vao",
            "NGAY_RA before NGAY_VAO",
            "NGAY_RA",
            b"202503010700",
            "DATE_ORDER",
            "XML1.NGAY_RA",
        ),
        (
            "ngay_ra_feb30",
            "NGAY_RA 30 February",
            "NGAY_RA",
            b"202502301000",
            "FIELD_DATE_INVALID",
            "XML1.NGAY_RA",
        ),
        (
            "ngay_vao_iso",
            "NGAY_VAO in ISO format",
            "NGAY_VAO",
            b"2025-03-03T07:00",
            "FIELD_DATE_FORMAT",
            "XML1.NGAY_VAO",
        ),
        ("ma_loai_kcb_99", "MA_LOAI_KCB 99", "MA_LOAI_KCB", b"99", "CODE_NOT_IN_LIST", "XML1.MA_LOAI_KCB"),
        ("gioi_tinh_5", "GIOI_TINH 5", "GIOI_TINH", b"5", "CODE_NOT_IN_LIST", "XML1.GIOI_TINH"),
        ("ho_ten_300", "HO_TEN of 300 characters", "HO_TEN", b"A" * 300, "FIELD_TOO_LONG", "XML1.HO_TEN"),
        ("ma_the_bad", "MA_THE_BHYT XX1", "MA_THE_BHYT", b"XX1", "CARD_FORMAT", "XML1.MA_THE_BHYT"),
        ("ma_lk_empty", "MA_LK empty", "MA_LK", b"", "FIELD_REQUIRED", "XML1.MA_LK"),
        (
            "t_tongchi_off",
            "T_TONGCHI_BV not the sum of the lines",
            "T_TONGCHI_BV",
            b"1.00",
            "MONEY_TOTAL",
            "XML1.T_TONGCHI_BV",
        ),
        ("can_nang_text", "CAN_NANG not a number", "CAN_NANG", b"abc", "FIELD_NOT_NUMBER", "XML1.CAN_NANG"),
    )
    for label, what, name, value, rule, where in edits:
        yield _case(
            f"envelope_xml1_{label}",
            "semantic",
            what,
            with_table(1, setter(name, value)),
            rule,
            where,
        )
    for label, what, name, value, rule, where in (
        ("so_luong_negative", "XML2 SO_LUONG -10", "SO_LUONG", b"-10", "MONEY_LINE_TOTAL", "XML2"),
        (
            "so_luong_text",
            "XML2 SO_LUONG 'mười'",
            "SO_LUONG",
            "mười".encode(),
            "FIELD_NOT_NUMBER",
            "XML2.SO_LUONG",
        ),
        (
            "don_gia_decimals",
            "XML2 DON_GIA with 5 decimals",
            "DON_GIA",
            b"1.23456",
            "FIELD_DECIMALS",
            "XML2.DON_GIA",
        ),
        ("other_ma_lk", "XML2 row of another episode", "MA_LK", b"OTHER_EPISODE", "CROSS_MA_LK", "XML2"),
    ):
        yield _case(
            f"envelope_xml2_{label}",
            "semantic",
            what,
            with_table(2, setter(name, value)),
            rule,
            where,
        )


def _volume() -> Iterator[FileCase]:
    def many(doc: bytes) -> bytes:
        item = re.search(rb"<CHI_TIET_THUOC>.*?</CHI_TIET_THUOC>", doc, re.DOTALL)
        assert item is not None
        return doc.replace(item.group(0), item.group(0) * 5000, 1)

    yield _case(
        "envelope_xml2_5000_copies",
        "enormous line count",
        "XML2 holding 5,000 copies of its first line (totals no longer match)",
        with_table(2, many),
        "MONEY_TOTAL",
        "XML1",
    )


def _huge_numbers() -> Iterator[FileCase]:
    # Once a crash: ~30 digits overflowed the 28-digit Decimal context of the money rules.
    for label, value, rule in (
        ("31_digits", b"1" + b"0" * 30, "FIELD_TOO_LONG"),
        ("exponent", b"1E+30", "FIELD_NOT_NUMBER"),
    ):
        yield FileCase(
            name=f"envelope_xml2_so_luong_{label}",
            category="semantic",
            what=f"XML2 SO_LUONG = {value.decode()[:12]}... (beyond any amount)",
            data=with_table(2, setter("SO_LUONG", value)),
            rule=rule,
            where="XML2.SO_LUONG",
        )


def cases() -> tuple[FileCase, ...]:
    return (
        *_unsafe(),
        *_encodings(),
        *_malformed(),
        *_envelope(),
        *_controls(),
        *_text(),
        *_semantic(),
        *_volume(),
        *_huge_numbers(),
    )


def write(folder: Path) -> list[Path]:
    """Every case as ``<name>.xml``."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for case in cases():
        path = folder / f"{case.name}.xml"
        path.write_bytes(case.data)
        out.append(path)
    return out
