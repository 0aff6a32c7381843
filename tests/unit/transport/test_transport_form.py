"""The hand-built form body is byte-identical to httpx's own urlencoding, for any payload."""

from __future__ import annotations

import base64
from urllib.parse import quote_plus

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st
from transport_doubles import ClientFactory, ScriptedGateway

from adapter.ports import DocumentKind, Submission
from adapter.transport.form import form_body, quoted_base64

TEXT = st.text(st.characters(codec="utf-8"), max_size=20)


def httpx_body(pairs: list[tuple[str, str]]) -> bytes:
    return httpx.Request("POST", "https://gw.test/", data=dict(pairs)).read()


@settings(max_examples=200, deadline=None)
@given(payload=st.binary(max_size=3000),
       fields=st.lists(st.tuples(TEXT, TEXT), max_size=5, unique_by=lambda kv: kv[0]),
       file_field=st.sampled_from(["fileHSBase64", "FILE HS", "tệp&=+"]))
def test_body_equals_httpx_urlencoding(payload: bytes, fields: list[tuple[str, str]],
                                       file_field: str) -> None:
    pairs = [kv for kv in fields if kv[0] != file_field]
    expected = httpx_body([*pairs, (file_field, base64.b64encode(payload).decode("ascii"))])
    assert form_body(pairs, file_field=file_field, payload=payload) == expected


def test_every_base64_symbol_is_quoted_like_quote_plus() -> None:
    payload = bytes(range(256)) * 3 + b"\xfb\xff"      # yields +, / and = padding
    b64 = base64.b64encode(payload).decode()
    assert {"+", "/", "="} <= set(b64)
    assert quoted_base64(payload).decode() == quote_plus(b64)


def test_client_sends_the_form_the_gateway_parses(make_client: ClientFactory,
                                                  gateway: ScriptedGateway) -> None:
    payload = bytes(range(256)) * 50
    client = make_client()
    client.submit(Submission(ma_cskcb="79001", kind=DocumentKind.CLAIM, profile="3176", payload=payload,
                             ma_lk="LK1"))
    request = gateway.requests[-1]
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert int(request.headers["content-length"]) == len(request.content)
    form = gateway.form(len(gateway.requests) - 1)
    assert base64.b64decode(form["fileHSBase64"]) == payload
    assert (form["username"], form["maCSKCB"], form["maTinh"]) == ("79001_BV", "79001", "79")
