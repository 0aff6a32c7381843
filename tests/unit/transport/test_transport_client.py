"""GatewayClient against a scripted gateway (httpx.MockTransport): wire format, tokens, errors."""

from __future__ import annotations

import base64
import logging
import threading
import time
from pathlib import Path

import httpx
import pytest
from transport_doubles import (
    PASSWORD,
    PASSWORD_MD5,
    ClientFactory,
    MutableClock,
    ScriptedGateway,
    accepted,
    coded,
    ok_token,
)

from adapter.errors import (
    AuthenticationError,
    ConfigError,
    GatewayRejected,
    GatewayUnavailable,
    OutcomeUnknown,
    TransportError,
)
from adapter.ports import DocumentKind, Submission
from adapter.transport.cards import CardQuery, CardStatus
from adapter.transport.client import GatewayClient
from adapter.transport.config import FacilityAccount, GatewaySettings

SIGNED = b'<?xml version="1.0" encoding="utf-8"?>\n<GIAMDINHHS><CHUKYDONVI/></GIAMDINHHS>'


def claim(profile: str = "4750", kind: DocumentKind = DocumentKind.CLAIM) -> Submission:
    return Submission(ma_cskcb="79001", kind=kind, profile=profile, payload=SIGNED, ma_lk="LK-1")


def test_claim_is_posted_form_encoded_with_the_documented_fields(make_client: ClientFactory,
                                                                  gateway: ScriptedGateway) -> None:
    reply = make_client().submit(claim("3176"))

    assert reply.code == "200" and reply.transaction_id == "GD2"
    assert gateway.paths() == ["/api/token/take", "/api/qd130/guiHoSoXmlQD3176"]
    assert gateway.form(0) == {"username": "79001_BV", "password": PASSWORD_MD5}
    sent = gateway.requests[1]
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
    assert (sent.headers["accessToken"], sent.headers["tokenId"]) == ("access-1", "id-1")
    assert sent.headers["passwordHash"] == PASSWORD_MD5
    assert gateway.form(1) == {"username": "79001_BV", "loaiHoSo": "130", "maTinh": "79", "maCSKCB": "79001",
                               "fileHSBase64": base64.b64encode(SIGNED).decode()}


@pytest.mark.parametrize(("kind", "profile", "path", "fields"), [
    (DocumentKind.CHECKIN, "4750", "/api/qd130/checkInKcbQd4750", {"loaiHoSo": "0"}),
    (DocumentKind.CHECKIN, "3176", "/api/qd130/checkInKcbQd3176", {"loaiHoSo": "0"}),
    (DocumentKind.CLAIM, "4750", "/api/qd130/guiHoSoXmlQD4750", {"loaiHoSo": "130"}),
    (DocumentKind.STAFF, "3176", "/api/DanhMucGW/GuiDanhMuc02_NLKCB", {"loaiHs": "71"}),
])
def test_endpoint_and_type_follow_kind_and_profile(make_client: ClientFactory, gateway: ScriptedGateway,
                                                   kind: DocumentKind, profile: str, path: str,
                                                   fields: dict[str, str]) -> None:
    make_client().submit(claim(profile, kind))

    assert gateway.paths()[-1] == path
    assert fields.items() <= gateway.form(1).items()


def test_token_is_cached_and_refreshed_before_expiry(make_client: ClientFactory, gateway: ScriptedGateway,
                                                     clock: MutableClock) -> None:
    client = make_client(token_refresh_margin_s=60)
    client.submit(claim())
    clock.advance(58 * 60)                       # 01:58: the token (expires 02:00) is still fresh
    client.submit(claim())
    assert gateway.paths().count("/api/token/take") == 1
    clock.advance(90)                            # 01:59:30: within the 60 s margin, refresh first
    client.submit(claim())

    assert gateway.paths().count("/api/token/take") == 2
    assert gateway.requests[-1].headers["accessToken"] == "access-2"


def test_token_refused_reply_is_refreshed_once_then_sent_again(make_client: ClientFactory,
                                                                gateway: ScriptedGateway) -> None:
    gateway.script("/api/qd130/guiHoSoXmlQD4750", coded("401"))

    reply = make_client().submit(claim())

    assert reply.code == "200"
    assert gateway.paths() == ["/api/token/take", "/api/qd130/guiHoSoXmlQD4750",
                               "/api/token/take", "/api/qd130/guiHoSoXmlQD4750"]
    assert gateway.requests[-1].headers["accessToken"] == "access-2"


def test_second_authentication_failure_raises(make_client: ClientFactory, gateway: ScriptedGateway) -> None:
    gateway.script("/api/qd130/guiHoSoXmlQD4750", coded("401"), coded("401"))

    with pytest.raises(AuthenticationError):
        make_client().submit(claim())
    assert gateway.paths().count("/api/token/take") == 2


def test_login_refused_raises_authentication_error(make_client: ClientFactory,
                                                   gateway: ScriptedGateway) -> None:
    gateway.script("/api/token/take", coded("401", status=401), coded("401", status=401))

    with pytest.raises(AuthenticationError):
        make_client().submit(claim())
    assert "/api/qd130/guiHoSoXmlQD4750" not in gateway.paths()


@pytest.mark.parametrize(("reply", "error"), [
    (coded("500", status=500), GatewayUnavailable),
    (coded("503", status=503), GatewayUnavailable),
    (httpx.Response(502, text="Bad gateway"), GatewayUnavailable),
    (coded("124", message="Chữ ký số không hợp lệ"), GatewayRejected),
    (coded("403"), GatewayRejected),
    (httpx.Response(200, text="<html>proxy page</html>"), OutcomeUnknown),
    (httpx.ConnectError("refused"), TransportError),
    (httpx.ConnectTimeout("slow"), TransportError),
    (httpx.ReadTimeout("no reply"), OutcomeUnknown),
    (httpx.RemoteProtocolError("peer closed"), OutcomeUnknown),
    (httpx.WriteError("broken pipe"), TransportError),
])
def test_replies_and_failures_map_to_adapter_errors(make_client: ClientFactory, gateway: ScriptedGateway,
                                                    reply: httpx.Response | Exception,
                                                    error: type[Exception]) -> None:
    gateway.script("/api/qd130/guiHoSoXmlQD4750", reply)

    with pytest.raises(error) as caught:
        make_client().submit(claim())
    assert type(caught.value) is error


def test_rejection_carries_code_transaction_and_message(make_client: ClientFactory,
                                                        gateway: ScriptedGateway) -> None:
    gateway.script("/api/qd130/guiHoSoXmlQD4750", coded("123", message="Sai cấu trúc hồ sơ XML"))

    with pytest.raises(GatewayRejected) as caught:
        make_client().submit(claim())
    assert (caught.value.code, caught.value.transaction_id) == ("123", "GDX")
    assert "Sai cấu trúc" in str(caught.value)


def test_classification_override_from_settings(make_client: ClientFactory, gateway: ScriptedGateway) -> None:
    gateway.script("/api/qd130/guiHoSoXmlQD4750", coded("777"))

    with pytest.raises(GatewayUnavailable):
        make_client(reply_codes={"777": "unavailable"}).submit(claim())


def test_duplicate_flag_is_passed_through(make_client: ClientFactory, gateway: ScriptedGateway) -> None:
    gateway.script("/api/qd130/guiHoSoXmlQD4750", accepted("GD9", trungLap=True))

    assert make_client().submit(claim()).duplicate is True


def test_breaker_opens_and_then_sends_nothing_until_the_probe(make_client: ClientFactory,
                                                              gateway: ScriptedGateway,
                                                              clock: MutableClock) -> None:
    client = make_client(breaker_failure_threshold=2, breaker_open_s=30)
    gateway.script("/api/qd130/guiHoSoXmlQD4750", coded("503", 503), coded("503", 503))
    for _ in range(2):
        with pytest.raises(GatewayUnavailable):
            client.submit(claim())
    seen = len(gateway.requests)

    with pytest.raises(GatewayUnavailable, match="circuit open"):
        client.submit(claim())
    assert len(gateway.requests) == seen               # no network call while open

    clock.advance(31)
    assert client.submit(claim()).code == "200"        # the probe goes through and closes the circuit
    assert client.breaker.status == "closed"


def test_rejections_do_not_open_the_breaker(make_client: ClientFactory, gateway: ScriptedGateway) -> None:
    client = make_client(breaker_failure_threshold=1)
    gateway.script("/api/qd130/guiHoSoXmlQD4750", coded("123"))
    with pytest.raises(GatewayRejected):
        client.submit(claim())

    assert client.submit(claim()).code == "200"


def test_unknown_facility_is_a_configuration_error(make_client: ClientFactory) -> None:
    with pytest.raises(ConfigError):
        make_client().submit(Submission(ma_cskcb="01001", kind=DocumentKind.CLAIM, profile="4750",
                                        payload=SIGNED))


def test_secrets_never_appear_in_repr_logs_or_errors(make_client: ClientFactory, gateway: ScriptedGateway,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client = make_client()
    client.submit(claim())
    client.lookup_card("79001", CardQuery(ma_the="DN4797900123456", ho_ten="Nguyễn Văn An",
                                          ngay_sinh="05/03/1990", ho_ten_cb="Cán Bộ", cccd_cb="079085000001"))
    gateway.script("/api/qd130/guiHoSoXmlQD4750", coded("401"), coded("401"))
    with pytest.raises(AuthenticationError) as caught:
        client.submit(claim())

    texts = [caplog.text, repr(client), str(caught.value), repr(client._accounts["79001"].account)]
    for secret in (PASSWORD, PASSWORD_MD5, "access-1", "id-1", "DN4797900123456", "Nguyễn"):
        assert all(secret not in text for text in texts), secret
    assert "HTTP Request" in caplog.text                    # httpx did log, but redacted


def test_card_lookup_sends_credentials_in_the_query_and_parses_the_verdict(
        make_client: ClientFactory, gateway: ScriptedGateway) -> None:
    gateway.script("/api/egw/KQNhanLichSuKCB2024", httpx.Response(200, json={
        "maKetQua": "004", "maThe": "GD4797900111111", "gtTheTu": "01/01/2026", "gtTheDen": "31/12/2026",
        "maDKBD": "79001", "maTheMoi": "GD4797900222222"}))

    result = make_client().lookup_card("79001", CardQuery(
        ma_the="GD4797900111111", ho_ten="Lê Minh Châu", ngay_sinh="20/07/2001", ho_ten_cb="Cán Bộ",
        cccd_cb="079085000001"))

    assert result.code.status is CardStatus.VALID and result.usable
    assert (result.ma_the_moi, result.ma_dkbd, result.gt_the_den) == (
        "GD4797900222222", "79001", "31/12/2026")
    query = dict(gateway.requests[1].url.params)
    assert query == {"token": "access-1", "id_token": "id-1", "username": "79001_BV",
                     "password": PASSWORD_MD5}
    assert gateway.body_json(1) == {"maThe": "GD4797900111111", "hoTen": "Lê Minh Châu",
                                    "ngaySinh": "20/07/2001", "hoTenCb": "Cán Bộ", "cccdCb": "079085000001"}


def test_card_lookup_read_timeout_is_a_transport_error(make_client: ClientFactory,
                                                       gateway: ScriptedGateway) -> None:
    gateway.script("/api/egw/KQNhanLichSuKCB2024", httpx.ReadTimeout("slow"))

    with pytest.raises(TransportError):
        make_client().lookup_card("79001", CardQuery(ma_the="x", ho_ten="y", ngay_sinh="z", ho_ten_cb="a",
                                                     cccd_cb="b"))


def test_concurrency_is_bounded_per_facility(account: FacilityAccount) -> None:
    in_flight, peak, lock = 0, 0, threading.Lock()

    def slow(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        if request.url.path == "/api/token/take":
            return ok_token()
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.1)
        with lock:
            in_flight -= 1
        return accepted()

    with GatewayClient(GatewaySettings(max_concurrency=2), [account], base_url="https://gw.test",
                       transport=httpx.MockTransport(slow)) as client:
        threads = [threading.Thread(target=client.submit, args=(claim(),)) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    assert peak == 2


def test_password_file_is_read_and_masked(tmp_path: Path, gateway: ScriptedGateway) -> None:
    secret_file = tmp_path / "pw"
    secret_file.write_text(PASSWORD + "\n", encoding="utf-8")
    account = FacilityAccount(ma_cskcb="79001", username="79001_BV", password_file=secret_file)
    with GatewayClient(GatewaySettings(), [account], base_url="https://gw.test",
                       transport=httpx.MockTransport(gateway)) as client:
        client.submit(claim())

    assert gateway.form(0)["password"] == PASSWORD_MD5
    assert PASSWORD_MD5 not in repr(account.password_md5())


def test_real_gateway_needs_sending_enabled(make_client: ClientFactory, gateway: ScriptedGateway) -> None:
    with pytest.raises(ConfigError, match="not enabled"):
        make_client(environment="production").submit(claim())
    assert gateway.requests == []                            # refused before any network call


def test_real_gateway_with_sending_enabled(gateway: ScriptedGateway) -> None:
    enabled = FacilityAccount(ma_cskcb="79001", username="79001_BV", password=PASSWORD, sending_enabled=True)
    with GatewayClient(GatewaySettings(environment="test"), [enabled], base_url="https://gw.test",
                       transport=httpx.MockTransport(gateway)) as client:
        assert client.submit(claim()).code == "200"


def test_concurrent_token_refusals_cause_one_login(account: FacilityAccount, clock: MutableClock) -> None:
    logins = 0
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal logins
        if request.url.path == "/api/token/take":
            with lock:
                logins += 1
                return ok_token(logins)
        time.sleep(0.02)
        fresh = request.headers["accessToken"] != "access-1"
        return accepted() if fresh else coded("401")

    with GatewayClient(GatewaySettings(), [account], base_url="https://gw.test",
                       transport=httpx.MockTransport(handler), clock=clock) as client:
        client._token(client._accounts["79001"])            # everyone starts with token 1
        threads = [threading.Thread(target=client.submit, args=(claim(),)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    assert logins == 2


def test_a_facility_without_a_secret_fails_alone(gateway: ScriptedGateway, account: FacilityAccount,
                                                 clock: MutableClock) -> None:
    broken = FacilityAccount(ma_cskcb="01001", username="01001_BV", password_file=Path("/nonexistent/pw"))
    with GatewayClient(GatewaySettings(), [account, broken], base_url="https://gw.test",
                       transport=httpx.MockTransport(gateway), clock=clock) as client:
        with pytest.raises(ConfigError, match="01001"):
            client.submit(Submission(ma_cskcb="01001", kind=DocumentKind.CLAIM, profile="4750",
                                     payload=SIGNED))
        assert client.submit(claim()).code == "200"
