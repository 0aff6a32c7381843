"""Hostile variants of a legitimate XML document: XXE, entity expansion, DTDs, XInclude, fetch hints.

``attacks(canary, url)`` returns functions that turn a clean document (with an XML
declaration and a ``slot`` element holding text) into its hostile twin. An attack either
declares a DTD (``declares_dtd``: must be refused) or only tries to make a parser fetch
something (XInclude, schemaLocation, stylesheet PI): it may be accepted, but nothing may
be fetched or read, and the canary must never appear anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

Transform = Callable[[bytes, str], bytes]  # (clean document, slot element) -> hostile document


@dataclass(frozen=True, kw_only=True, slots=True)
class Attack:
    name: str
    declares_dtd: bool
    transform: Transform

    def __call__(self, document: bytes, slot: str) -> bytes:
        return self.transform(document, slot)


def _root(document: bytes) -> bytes:
    m = re.search(rb"<([A-Za-z_][\w.-]*)", document.split(b"?>", 1)[-1])
    assert m is not None
    return m.group(1)


def _body(document: bytes) -> bytes:
    return document.split(b"?>", 1)[1] if document.startswith(b"<?xml") else document


def _with_ref(document: bytes, slot: str, ref: bytes) -> bytes:
    close = f"</{slot}>".encode()
    assert close in document, slot
    return document.replace(close, ref + close, 1)


def _dtd(subset: bytes, ref: bytes | None) -> Transform:
    def make(document: bytes, slot: str) -> bytes:
        body = _body(_with_ref(document, slot, ref) if ref else document)
        return (
            b'<?xml version="1.0" encoding="utf-8"?><!DOCTYPE '
            + _root(document)
            + b" "
            + subset
            + b">"
            + body
        )

    return make


def _xinclude(target: str) -> Transform:
    def make(document: bytes, slot: str) -> bytes:
        inc = (
            f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{target}" parse="text"/>'
        ).encode()
        return _with_ref(document, slot, inc)

    return make


def _schema_location(url: str) -> Transform:
    def make(document: bytes, slot: str) -> bytes:
        root = _root(document)
        attrs = (
            b' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="'
            + url.encode()
            + b'/schema.xsd"'
        )
        if b"xmlns:xsi=" in document:
            attrs = b' xsi:noNamespaceSchemaLocation="' + url.encode() + b'/schema.xsd"'
        return document.replace(b"<" + root, b"<" + root + attrs, 1)

    return make


def _stylesheet(url: str) -> Transform:
    def make(document: bytes, slot: str) -> bytes:
        pi = b'<?xml-stylesheet type="text/xsl" href="' + url.encode() + b'/style.xsl"?>'
        return b'<?xml version="1.0" encoding="utf-8"?>' + pi + _body(document)

    return make


def _utf16(inner: Transform) -> Transform:
    def make(document: bytes, slot: str) -> bytes:
        text = inner(document, slot).decode("utf-8").replace('encoding="utf-8"', 'encoding="UTF-16"', 1)
        return text.encode("utf-16")

    return make


LAUGHS = (
    b"["
    + b"".join(b'<!ENTITY l%d "%s">' % (i, (b"&l%d;" % (i - 1)) * 10 if i else b"lol") for i in range(10))
    + b"]"
)


def attacks(canary: Path, url: str) -> tuple[Attack, ...]:
    file_url = canary.resolve().as_uri().encode()
    web = url.encode()
    return (
        Attack(
            name="xxe_file",
            declares_dtd=True,
            transform=_dtd(b'[<!ENTITY x SYSTEM "' + file_url + b'">]', b"&x;"),
        ),
        Attack(
            name="xxe_http",
            declares_dtd=True,
            transform=_dtd(b'[<!ENTITY x SYSTEM "' + web + b'/xxe">]', b"&x;"),
        ),
        Attack(
            name="parameter_entity",
            declares_dtd=True,
            transform=_dtd(b'[<!ENTITY % p SYSTEM "' + web + b'/param.dtd"> %p;]', b"&leak;"),
        ),
        Attack(
            name="external_dtd",
            declares_dtd=True,
            transform=_dtd(b'SYSTEM "' + web + b'/external.dtd"', b"&leak;"),
        ),
        Attack(name="billion_laughs", declares_dtd=True, transform=_dtd(LAUGHS, b"&l9;")),
        Attack(
            name="quadratic_blowup",
            declares_dtd=True,
            transform=_dtd(b'[<!ENTITY a "' + b"A" * 50_000 + b'">]', b"&a;" * 2000),
        ),
        Attack(name="internal_subset_only", declares_dtd=True, transform=_dtd(b"[<!ELEMENT x ANY>]", None)),
        Attack(
            name="utf16_xxe_file",
            declares_dtd=True,
            transform=_utf16(_dtd(b'[<!ENTITY x SYSTEM "' + file_url + b'">]', b"&x;")),
        ),
        Attack(name="xinclude_file", declares_dtd=False, transform=_xinclude(canary.resolve().as_uri())),
        Attack(name="xinclude_http", declares_dtd=False, transform=_xinclude(url + "/xinclude")),
        Attack(name="schema_location", declares_dtd=False, transform=_schema_location(url)),
        Attack(name="stylesheet_pi", declares_dtd=False, transform=_stylesheet(url)),
    )
