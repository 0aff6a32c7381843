"""The pure parts of the client: classification table, token parsing, breaker, endpoints, card codes."""

from __future__ import annotations

import json
import logging
import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from adapter.errors import (
    AuthenticationError,
    ConfigError,
    GatewayRejected,
    GatewayUnavailable,
    OutcomeUnknown,
)
from adapter.ports import DocumentKind
from adapter.transport import breaker as cb
from adapter.transport.cards import CARD_CODES, CardStatus, card_code, parse_card_reply
from adapter.transport.config import FacilityAccount, GatewaySettings
from adapter.transport.endpoints import endpoint_for, ma_tinh
from adapter.transport.replies import Outcome, ReplyTable, classify, interpret
from adapter.transport.tls import RedactQuery, tls_verify
from adapter.transport.tokens import parse_expiry, parse_token

NOW = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)
TABLE = ReplyTable()


def body(code: str, **extra: object) -> bytes:
    return json.dumps({"maKetQua": code, "maGiaoDich": "GD1", "thoiGianTiepNhan": "20260601080000",
                       "thongDiep": "x", **extra}).encode()


@pytest.mark.parametrize(("status", "payload", "outcome"), [
    (200, body("200"), Outcome.ACCEPTED),
    (200, body("401"), Outcome.AUTHENTICATION),
    (200, body("402"), Outcome.AUTHENTICATION),
    (200, body("403"), Outcome.REJECTED),
    (200, body("500"), Outcome.UNAVAILABLE),
    (200, body("503"), Outcome.UNAVAILABLE),
    (200, body("124"), Outcome.REJECTED),
    (200, body("999"), Outcome.REJECTED),            # unknown code: to an operator, not a retry loop
    (500, b"oops", Outcome.UNAVAILABLE),
    (503, body("200"), Outcome.UNAVAILABLE),         # "200" inside a failed HTTP reply is no acceptance
    (429, b"", Outcome.UNAVAILABLE),
    (401, b"", Outcome.AUTHENTICATION),
    (404, b"not found", Outcome.REJECTED),
])
def test_classification_table(status: int, payload: bytes, outcome: Outcome) -> None:
    assert classify(status, payload, TABLE)[0] is outcome


@pytest.mark.parametrize("payload", [b"<html/>", b"[]", b'{"thongDiep": "no code"}', b"",
                                     b'{"maKetQua": null}', b'{"maKetQua": ""}'])
def test_a_2xx_without_the_documented_reply_is_an_unknown_outcome(payload: bytes) -> None:
    with pytest.raises(OutcomeUnknown):
        classify(200, payload, TABLE)


def test_interpret_returns_the_reply_or_raises_by_type() -> None:
    reply = interpret(200, body("200", trungLap=True), TABLE)
    assert (reply.code, reply.transaction_id, reply.received_at, reply.duplicate) == (
        "200", "GD1", "20260601080000", True)
    with pytest.raises(AuthenticationError):
        interpret(200, body("401"), TABLE)
    with pytest.raises(GatewayUnavailable):
        interpret(502, b"", TABLE)
    with pytest.raises(GatewayRejected) as caught:
        interpret(200, body("205"), TABLE)
    assert caught.value.code == "205" and caught.value.transaction_id == "GD1"


def test_table_overrides_and_unknown_default() -> None:
    table = ReplyTable.with_overrides({"124": "unavailable"}, unknown_code="unavailable")
    assert table.by_code("124") is Outcome.UNAVAILABLE
    assert table.by_code("888") is Outcome.UNAVAILABLE
    assert table.by_code("200") is Outcome.ACCEPTED
    with pytest.raises(ValueError):
        ReplyTable.with_overrides({"1": "maybe"})


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-06-01T02:00:00Z", datetime(2026, 6, 1, 2, 0, tzinfo=UTC)),
    ("2026-06-01T02:00:00", datetime(2026, 6, 1, 2, 0, tzinfo=UTC)),          # naive = UTC
    ("2026-06-01T09:00:00+07:00", datetime(2026, 6, 1, 2, 0, tzinfo=UTC)),
    (3600, NOW + timedelta(hours=1)),
    ("1800", NOW + timedelta(minutes=30)),
    (1780275600, datetime.fromtimestamp(1780275600, UTC)),
    (None, None), ("", None), ("not a date", None),
])
def test_expiry_forms(value: object, expected: datetime | None) -> None:
    assert parse_expiry(value, now=NOW) == expected


def test_parse_token_defaults_lifetime_and_refuses_non_200() -> None:
    token = parse_token({"maKetQua": "200", "APIKey": {"access_token": "SECRET-A", "id_token": "SECRET-I"}},
                        now=NOW, default_lifetime=timedelta(minutes=60))
    assert token.expires_at == NOW + timedelta(minutes=60)
    assert token.fresh(NOW, timedelta(seconds=60)) and not token.fresh(NOW + timedelta(minutes=59, seconds=1),
                                                                       timedelta(seconds=60))
    assert "SECRET" not in repr(token)
    stale = parse_token({"maKetQua": "200", "APIKey": {"access_token": "a", "id_token": "i",
                                                       "expires_in": "2020-01-01T00:00:00Z"}},
                        now=NOW, default_lifetime=timedelta(minutes=60))
    assert stale.expires_at == NOW + timedelta(minutes=60)
    with pytest.raises(AuthenticationError):
        parse_token({"maKetQua": "401"}, now=NOW, default_lifetime=timedelta(minutes=1))
    with pytest.raises(AuthenticationError):
        parse_token({"maKetQua": "200", "APIKey": {"id_token": "i"}}, now=NOW, default_lifetime=timedelta(1))


def test_breaker_state_machine() -> None:
    policy = cb.BreakerPolicy(threshold=2, open_for=timedelta(seconds=30))
    state = cb.failed(cb.Breaker(), NOW, policy)
    assert state.status is cb.BreakerStatus.CLOSED and cb.admit(state, NOW, policy)[0]
    state = cb.failed(state, NOW, policy)
    assert state.status is cb.BreakerStatus.OPEN
    assert cb.admit(state, NOW + timedelta(seconds=29), policy) == (False, state)
    allowed, probing = cb.admit(state, NOW + timedelta(seconds=30), policy)
    assert allowed and probing.status is cb.BreakerStatus.HALF_OPEN
    assert not cb.admit(probing, NOW + timedelta(seconds=31), policy)[0]      # one probe at a time
    reopened = cb.failed(probing, NOW + timedelta(seconds=31), policy)
    assert reopened.status is cb.BreakerStatus.OPEN
    assert reopened.reopens_at(policy) == NOW + timedelta(seconds=61)
    assert cb.succeeded(probing) == cb.Breaker()


def test_endpoints_and_province() -> None:
    assert endpoint_for(DocumentKind.CHECKIN, "3176").path == "/api/qd130/checkInKcbQd3176"
    assert endpoint_for(DocumentKind.CLAIM, "130").path == "/api/qd130/guiHoSoXmlQD130"
    staff = endpoint_for(DocumentKind.STAFF, "4750")
    assert (staff.type_field, staff.type_value, staff.file_field) == ("loaiHs", "71", "fileHsBase64")
    assert ma_tinh("01001") == "01"
    for bad in ("7900", "AB001", ""):
        with pytest.raises(ConfigError):
            ma_tinh(bad)
    with pytest.raises(ConfigError):
        endpoint_for(DocumentKind.CLAIM, "9999")
    with pytest.raises(ConfigError):
        endpoint_for(DocumentKind.FHIR, "3176")


def test_settings_resolve_environment_urls() -> None:
    assert GatewaySettings(environment="test").resolved_base_url() == "https://daotaoegw.baohiemxahoi.gov.vn"
    assert GatewaySettings(environment="production").resolved_base_url() == "https://egw.baohiemxahoi.gov.vn"
    assert GatewaySettings(base_url="http://127.0.0.1:9/").resolved_base_url() == "http://127.0.0.1:9"
    with pytest.raises(ConfigError):
        GatewaySettings().resolved_base_url()


def test_account_md5_is_uppercase_hex_and_needs_a_secret() -> None:
    account = FacilityAccount(ma_cskcb="79001", username="79001_BV", password="abc")
    assert account.password_md5().get_secret_value() == "900150983CD24FB0D6963F7D28E17F72"
    assert "abc" not in repr(account) and "abc" not in account.model_dump_json()
    with pytest.raises(ConfigError):
        FacilityAccount(ma_cskcb="79001", username="u").password_md5()


def test_card_codes_cover_the_documented_list() -> None:
    documented = {"000", "001", "002", "003", "004", "010", "050", "051", "052", "053", "054", "055", "060",
                  "061", "070", "100", "101", "110", "120", "121", "122", "123", "124", "130", "205", "401",
                  "500"}
    assert set(CARD_CODES) == documented
    assert card_code("003").status is CardStatus.VALID
    assert card_code("001").status is CardStatus.CHECK_IDENTITY
    assert card_code("055").status is CardStatus.OFFICER
    assert card_code("999").meaning == "Unknown result code"
    result = parse_card_reply({"maKetQua": "010", "maThe": "HT2797900765432", "gtTheDen": "31/12/2025"})
    assert not result.usable and result.gt_the_den == "31/12/2025"
    assert "HT2797900765432" not in repr(result)


def test_tls_verification_settings(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert isinstance(tls_verify(GatewaySettings()), ssl.SSLContext)
    with caplog.at_level(logging.WARNING):
        assert tls_verify(GatewaySettings(verify_tls=False)) is False
    assert "TLS verification of the gateway is OFF" in caplog.text
    (tmp_path / "bad.pem").write_text("not a certificate")
    with pytest.raises(ConfigError):
        tls_verify(GatewaySettings(ca_bundle=tmp_path / "bad.pem"))


def test_httpx_request_log_loses_its_query_string() -> None:
    record = logging.LogRecord("httpx", logging.INFO, __file__, 1, 'HTTP Request: %s %s "%s %d %s"',
                               ("POST", httpx.URL("https://gw/api/egw/x?token=T&password=P"), "HTTP/1.1", 200,
                                "OK"), None)
    RedactQuery().filter(record)
    assert record.getMessage() == 'HTTP Request: POST https://gw/api/egw/x "HTTP/1.1 200 OK"'
