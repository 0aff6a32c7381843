"""The simulator's HTTP contract over real loopback HTTP: token, strict form checks, records, admin."""

from __future__ import annotations

import base64
import hashlib
import re

import httpx
import pytest

from adapter.simulator import SimulatorServer, samples

CLAIM_PATH = "/api/qd130/guiHoSoXmlQD4750"


def md5u(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest().upper()


def login(api: httpx.Client, user: str = "79001_BV", password: str = "pw-79001") -> dict[str, str]:
    reply = api.post("/api/token/take", data={"username": user, "password": md5u(password)})
    assert reply.status_code == 200, reply.text
    key: dict[str, str] = reply.json()["APIKey"]
    return key


def send(api: httpx.Client, doc: bytes, *, path: str = CLAIM_PATH, key: dict[str, str] | None = None,
         headers: dict[str, str] | None = None, **form: str) -> dict[str, object]:
    key = key or login(api)
    hdrs = {"accessToken": key["access_token"], "tokenId": key["id_token"],
            "passwordHash": md5u("pw-79001")} | (headers or {})
    body = {"username": "79001_BV", "loaiHoSo": "130", "maTinh": "79", "maCSKCB": "79001",
            "fileHSBase64": base64.b64encode(doc).decode()} | form
    reply = api.post(path, data=body, headers=hdrs)
    data: dict[str, object] = reply.json()
    data["_http"] = reply.status_code
    return data


@pytest.fixture
def signed(key: samples.DemoKey) -> bytes:
    return samples.sign(samples.claim("79001", "LK-1"), key)


def test_token_reply_has_the_documented_shape(api: httpx.Client) -> None:
    reply = api.post("/api/token/take", data={"username": "79001_BV", "password": md5u("pw-79001")}).json()

    assert reply["maKetQua"] == "200"
    assert set(reply["APIKey"]) == {"access_token", "id_token", "token_type", "username", "expires_in"}
    assert reply["APIKey"]["username"] == "79001_BV"
    assert reply["APIKey"]["expires_in"] == "2026-06-01T02:00:00Z"


@pytest.mark.parametrize("form", [
    {"username": "79001_BV", "password": "pw-79001"},             # plain text, not the MD5
    {"username": "79001_BV", "password": md5u("pw-79001").lower()},
    {"username": "nobody", "password": md5u("pw-79001")},
    {},
])
def test_token_refused_with_401(api: httpx.Client, form: dict[str, str]) -> None:
    reply = api.post("/api/token/take", data=form)
    assert (reply.status_code, reply.json()["maKetQua"]) == (401, "401")


def test_accepted_claim_reply_and_record(api: httpx.Client, sim: SimulatorServer, signed: bytes) -> None:
    reply = send(api, signed)

    assert reply["maKetQua"] == "200" and reply["_http"] == 200
    assert re.fullmatch(r"\d{14}", str(reply["thoiGianTiepNhan"]))
    assert reply["thoiGianTiepNhan"] == "20260601080000"           # 01:00 UTC, sent in Vietnam time
    assert reply["maGiaoDich"] and reply["trungLap"] is False
    [record] = sim.state.accepted
    assert (record.ma_cskcb, record.kind, record.ma_lk) == ("79001", "claim", "LK-1")
    assert record.sha256 == hashlib.sha256(signed).hexdigest()
    assert record.transaction_id == reply["maGiaoDich"]


def test_identical_resend_is_a_duplicate_and_changed_content_a_replacement(
        api: httpx.Client, sim: SimulatorServer, key: samples.DemoKey, signed: bytes) -> None:
    first, again = send(api, signed), send(api, signed)
    changed = send(api, samples.sign(samples.claim("79001", "LK-1", total="70000"), key))

    assert [r["maKetQua"] for r in (first, again, changed)] == ["200", "200", "200"]
    assert again["trungLap"] is True and "trùng" in str(again["thongDiep"])
    assert changed["trungLap"] is False and "thay thế" in str(changed["thongDiep"])
    assert [(a.duplicate, a.replacement) for a in sim.state.accepted] == [(False, False), (True, False),
                                                                          (False, True)]
    report = sim.state.report()
    assert (report["accepted"], report["duplicated"], report["replaced"]) == (2, 1, 1)


@pytest.mark.parametrize(("change", "code"), [
    ({"headers": {"accessToken": "forged"}}, "401"),
    ({"headers": {"tokenId": "forged"}}, "401"),
    ({"username": "01001_BV"}, "401"),                           # token belongs to another user
    ({"headers": {"passwordHash": md5u("wrong")}}, "402"),
    ({"maCSKCB": "01001", "maTinh": "01"}, "403"),               # account of 79001 sending for 01001
    ({"maTinh": "01"}, "205"),
    ({"loaiHoSo": "0"}, "205"),
    ({"fileHSBase64": ""}, "205"),
    ({"fileHSBase64": "not base64!"}, "202"),
])
def test_form_and_header_checks(api: httpx.Client, sim: SimulatorServer, signed: bytes,
                                change: dict[str, object], code: str) -> None:
    headers = change.pop("headers", None)
    reply = send(api, signed, headers=headers, **{k: str(v) for k, v in change.items()})  # type: ignore[arg-type]

    assert reply["maKetQua"] == code and reply["maGiaoDich"] == ""
    assert sim.state.accepted == []
    assert sim.state.report()["rejected"] == 1


def test_json_body_is_refused_strictly(api: httpx.Client, signed: bytes) -> None:
    key = login(api)
    reply = api.post(CLAIM_PATH, json={"username": "79001_BV", "loaiHoSo": "130"},
                     headers={"accessToken": key["access_token"], "tokenId": key["id_token"],
                              "passwordHash": md5u("pw-79001")})
    assert reply.json()["maKetQua"] == "205"


def test_token_expires_with_the_clock(api: httpx.Client, sim: SimulatorServer, signed: bytes) -> None:
    key = login(api)
    sim.config.clock.advance(3601)  # type: ignore[attr-defined]
    assert send(api, signed, key=key)["maKetQua"] == "401"


def test_checkin_and_staff_endpoints(api: httpx.Client, key: samples.DemoKey) -> None:
    checkin = samples.sign(samples.checkin("79001", "LK-1"), key)
    staff = base64.b64encode(samples.sign(samples.staff("79001"), key)).decode()

    assert send(api, checkin, path="/api/qd130/checkInKcbQd3176", loaiHoSo="0")["maKetQua"] == "200"
    assert send(api, checkin, path="/api/qd130/checkInKcbQd3176")["maKetQua"] == "205"        # loaiHoSo 130
    reply = send(api, b"", path="/api/DanhMucGW/GuiDanhMuc02_NLKCB", loaiHs="71", fileHsBase64=staff)
    assert reply["maKetQua"] == "200"


def test_faults_admin_maintenance_and_server_errors(api: httpx.Client, sim: SimulatorServer,
                                                    signed: bytes) -> None:
    key = login(api)
    assert api.post("/admin/faults", json={"maintenance": True}).json()["maintenance"] is True
    assert send(api, signed, key=key)["_http"] == 503
    api.post("/admin/faults", json={"maintenance": False, "error_rate": 1.0})
    reply = send(api, signed, key=key)
    assert (reply["_http"], reply["maKetQua"]) == (500, "500")
    assert api.post("/admin/faults", json={"no_such_knob": 1}).status_code == 400

    report = api.get("/admin/report").json()
    assert report["faults"] == {"maintenance": 1, "server_error": 1} and sim.state.accepted == []
    api.post("/admin/reset")
    assert api.get("/admin/report").json()["faults_now"]["error_rate"] == 0.0


def test_maintenance_window_follows_the_clock(api: httpx.Client, sim: SimulatorServer, signed: bytes) -> None:
    key = login(api)                                   # 01:00 UTC = 08:00 in Vietnam
    api.post("/admin/faults", json={"maintenance_windows": ["08:30-09:00"]})
    assert send(api, signed, key=key)["maKetQua"] == "200"
    sim.config.clock.advance(45 * 60)  # type: ignore[attr-defined]
    assert send(api, signed, key=key)["maKetQua"] == "503"


def test_token_expiry_every_n_submissions(api: httpx.Client, signed: bytes) -> None:
    api.post("/admin/faults", json={"token_expiry_every": 2})
    key = login(api)
    codes = [send(api, signed, key=key)["maKetQua"] for _ in range(2)]
    assert codes == ["200", "401"]


def test_connection_reset_drops_without_a_reply(api: httpx.Client, sim: SimulatorServer,
                                                signed: bytes) -> None:
    key = login(api)
    api.post("/admin/faults", json={"reset_rate": 1.0})
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        send(api, signed, key=key)
    assert sim.state.accepted == [] and sim.state.report()["faults"] == {"reset": 1}


def test_reply_lost_records_the_acceptance_then_drops(api: httpx.Client, sim: SimulatorServer,
                                                      signed: bytes) -> None:
    key = login(api)
    api.post("/admin/faults", json={"reply_lost_rate": 1.0})
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        send(api, signed, key=key)
    [record] = sim.state.accepted
    assert record.reply_lost and record.ma_lk == "LK-1"


def test_records_endpoint_lists_ids_and_hashes_only(api: httpx.Client, signed: bytes) -> None:
    send(api, signed)
    [row] = api.get("/admin/records").json()
    assert set(row) == {"ma_cskcb", "kind", "ma_lk", "sha256", "maGiaoDich", "thoiGianTiepNhan", "duplicate",
                        "replacement", "reply_lost"}


def test_card_lookup_over_http(api: httpx.Client) -> None:
    key = login(api)
    auth = {"token": key["access_token"], "id_token": key["id_token"], "username": "79001_BV",
            "password": md5u("pw-79001")}
    query = {"maThe": "DN4797900123456", "hoTen": "Nguyễn Văn An", "ngaySinh": "05/03/1990",
             "hoTenCb": "Võ Thị Tiếp Đón", "cccdCb": "079085000001"}

    assert api.post("/api/egw/KQNhanLichSuKCB2024", params=auth, json=query).json()["maKetQua"] == "000"
    assert api.post("/api/egw/KQNhanLichSuKCB2024", params=auth, data=query).json()["maKetQua"] == "000"
    wrong = auth | {"password": md5u("nope")}
    assert api.post("/api/egw/KQNhanLichSuKCB2024", params=wrong, json=query).json()["maKetQua"] == "401"


@pytest.mark.parametrize("change", [{"error_rate": "lots"}, {"maintenance": "yes"}, {"timeout_s": -1},
                                    {"maintenance_windows": ["25:00-26:00"]}])
def test_fault_values_are_type_checked(api: httpx.Client, change: dict[str, object]) -> None:
    assert api.post("/admin/faults", json=change).status_code == 400
    assert api.get("/admin/report").json()["faults_now"]["error_rate"] == 0.0


def test_certificates_can_be_registered_at_run_time(api: httpx.Client, other_key: samples.DemoKey) -> None:
    doc = samples.sign(samples.claim("79001", "LK-2"), other_key)
    assert send(api, doc)["maKetQua"] == "125"

    done = api.post("/admin/certificates", json={"ma_cskcb": "79001", "pem": other_key.cert_pem.decode()})
    assert done.status_code == 200 and len(done.json()["sha256"]) == 64
    assert send(api, doc)["maKetQua"] == "200"
    assert api.post("/admin/certificates", json={"ma_cskcb": "79001", "pem": "junk"}).status_code == 400
    api.post("/admin/reset")
    assert send(api, doc)["maKetQua"] == "125"                 # reset forgets run-time registrations


def test_simulator_config_repr_hides_passwords(sim: SimulatorServer) -> None:
    assert "pw-79001" not in repr(sim.config)
