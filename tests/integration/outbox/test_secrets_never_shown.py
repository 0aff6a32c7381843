"""Distinctive secret values, then every output an operator or a log reader sees is searched for them.

Covered: the settings repr and dumps, ``config check --json``, ``doctor --json``, errors raised by
the gateway client against a real loopback HTTP server (and their causes), the logs at DEBUG, and
``queue show --json`` of items whose attempts recorded those errors.
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import traceback
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from adapter.cli.main import main
from adapter.crypto import new_key_text, write_private
from adapter.errors import AdapterError
from adapter.outbox.open import open_store
from adapter.outbox.retry import RetryPolicy
from adapter.outbox.values import NewVersion, sha256_hex
from adapter.outbox.worker import Worker
from adapter.ports import DocumentKind, FixedClock, Submission
from adapter.settings import Settings, load_settings, masked
from adapter.transport.cards import CardQuery
from adapter.transport.client import GatewayClient
from adapter.transport.config import FacilityAccount, GatewaySettings
from adapter.transport.endpoints import TOKEN_PATH

GW_PW = "GwPass-ZEBRA-7391"
SIGN_PW = "SignPass-QUOKKA-2208"
PIN = "PIN-88442211"
DB_PW = "DbPass-NARWHAL-31"
HIS_PW = "HisPass-OCELOT-47"
ACCESS = "TOKEN-access-WOMBAT-5512"
ID_TOKEN = "TOKEN-id-KIWI-9043"
MD5 = hashlib.md5(GW_PW.encode(), usedforsecurity=False).hexdigest()
SECRETS = (GW_PW, SIGN_PW, PIN, DB_PW, HIS_PW, ACCESS, ID_TOKEN, MD5.upper(), MD5.lower())


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


# ---- a loopback gateway that hands out a distinctive token, then fails as scripted ------------------
class _Handler(BaseHTTPRequestHandler):
    server: _Gateway

    def do_POST(self) -> None:              # http.server's name for the POST handler
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.startswith(TOKEN_PATH) and self.server.mode != "token_refused":
            self._json(200, {"maKetQua": "200", "APIKey": {"access_token": ACCESS, "id_token": ID_TOKEN,
                                                          "token_type": "Bearer", "expires_in": 3600}})
        elif self.server.mode == "drop":
            self.close_connection = True    # read the request, never answer: outcome unknown
        elif self.server.mode in ("401", "token_refused"):
            self._json(401, {"maKetQua": "401", "thongDiep": "token expired"})
        else:
            self._json(500, {"maKetQua": "500", "thongDiep": "internal error"})

    do_GET = do_POST

    def _json(self, status: int, body: dict[str, object]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Gateway(ThreadingHTTPServer):
    mode = "500"


@pytest.fixture
def gateway() -> Iterator[_Gateway]:
    server = _Gateway(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _client(server: _Gateway) -> GatewayClient:
    account = FacilityAccount(ma_cskcb="79001", username="u79001", password=GW_PW,  # type: ignore[arg-type]
                              sending_enabled=True)
    settings = GatewaySettings(base_url=f"http://127.0.0.1:{server.server_address[1]}", read_timeout_s=2.0,
                               breaker_failure_threshold=1000)
    return GatewayClient(settings, [account], base_url=settings.base_url or "")


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: BaseException | None = exc
    while seen is not None:
        yield seen
        seen = seen.__cause__ or seen.__context__


def _chain(exc: BaseException) -> str:
    """What a log with a traceback shows: every message of the chain, formatted as Python does."""
    parts = traceback.format_exception(exc)
    for cause in _causes(exc):
        parts += [str(cause), repr(cause)]
    return "\n".join(parts)


def _requests(exc: BaseException) -> str:
    """The httpx request objects the chained causes keep (shown by tracebacks with locals, Sentry)."""
    return "\n".join(repr(getattr(c, "request", None)) for c in _causes(exc))


SUBMISSION = Submission(ma_cskcb="79001", ma_lk="LK1", kind=DocumentKind.CLAIM, profile="3176",
                        payload=b"<GIAMDINHHS/>")


@pytest.mark.parametrize("mode", ["500", "401", "drop", "token_refused"])
def test_gateway_client_errors_and_logs_carry_no_secret(
    gateway: _Gateway, mode: str, caplog: pytest.LogCaptureFixture,
) -> None:
    gateway.mode = mode
    client = _client(gateway)
    caplog.set_level("DEBUG")
    texts: list[str] = []
    with pytest.raises(AdapterError) as err:
        client.submit(SUBMISSION)
    texts.append(_chain(err.value))
    with pytest.raises(AdapterError) as err2:
        client.lookup_card("79001", CardQuery(ma_the="GD4797900000001", ho_ten="A", ngay_sinh="01/01/1990",
                                             ho_ten_cb="B", cccd_cb="001090000001"))
    texts.append(_chain(err2.value))
    client.close()
    texts.append(caplog.text)
    texts.append(repr(client))
    assert leaks("\n".join(texts)) == []
    assert type(err.value).__name__ in "\n".join(texts)     # the error itself was seen and named
    assert leaks(_requests(err.value)) == []


def test_card_lookup_cause_keeps_no_secret_url(gateway: _Gateway) -> None:
    gateway.mode = "drop"
    client = _client(gateway)
    with pytest.raises(AdapterError) as err:
        client.lookup_card("79001", CardQuery(ma_the="GD4797900000001", ho_ten="A", ngay_sinh="01/01/1990",
                                             ho_ten_cb="B", cccd_cb="001090000001"))
    client.close()
    assert leaks(_requests(err.value)) == []


def test_connection_refused_carries_no_secret() -> None:
    import socket

    with socket.socket() as s:          # a port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    account = FacilityAccount(ma_cskcb="79001", username="u", password=GW_PW,  # type: ignore[arg-type]
                              sending_enabled=True)
    client = GatewayClient(GatewaySettings(), [account], base_url=f"http://127.0.0.1:{port}")
    with pytest.raises(AdapterError) as err:
        client.submit(SUBMISSION)
    assert leaks(_chain(err.value)) == []


# ---- the settings and the operator's commands ------------------------------------------------------
@pytest.fixture
def secret_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    key = tmp_path / "keys" / "payload.key"
    write_private(key, new_key_text().encode())
    pin_file = tmp_path / "keys" / "pin"
    write_private(pin_file, PIN.encode())
    SECRETS_WITH_KEY.append(key.read_text().strip())
    env = {
        "ADAPTER_WORKDIR": str(tmp_path / "var"),
        "ADAPTER_HIS__URL": f"postgresql+psycopg://his_reader:{HIS_PW}@127.0.0.1:1/his",
        "ADAPTER_FACILITIES": json.dumps([{"ma_cskcb": "79001", "username": "u79001", "password": GW_PW,
                                           "sending_enabled": True}]),
        "ADAPTER_SIGNING__KIND": "pkcs12",
        "ADAPTER_SIGNING__PKCS12_PATH": str(tmp_path / "missing.p12"),
        "ADAPTER_SIGNING__PASSWORD": SIGN_PW,
        "ADAPTER_SIGNING__PKCS11_PIN": PIN,
        "ADAPTER_OUTBOX__ENCRYPTION_KEY_FILES": json.dumps([str(key)]),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("ADAPTER_CONFIG", raising=False)

    def database(url: str | None) -> None:
        if url is None:
            monkeypatch.delenv("ADAPTER_DATABASE_URL", raising=False)
        else:
            monkeypatch.setenv("ADAPTER_DATABASE_URL", url)

    database(f"postgresql+psycopg://adapter:{DB_PW}@127.0.0.1:1/adapter")
    return database


SECRETS_WITH_KEY: list[str] = []


def _all_leaks(text: str) -> list[str]:
    return leaks(text) + [k for k in SECRETS_WITH_KEY if k in text]


def test_settings_repr_and_dumps_mask_every_secret(secret_env: Callable[[str], None]) -> None:
    settings = load_settings()
    assert settings.facilities[0].password is not None          # the secrets really were read
    assert settings.facilities[0].password_md5().get_secret_value() == MD5.upper()
    texts = [repr(settings), str(settings), settings.model_dump_json(), json.dumps(masked(settings)),
             repr(settings.facilities[0].password_md5())]
    assert _all_leaks("\n".join(texts)) == []


def test_config_check_and_doctor_json_mask_every_secret(
    secret_env: Callable[[str], None], capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("DEBUG")
    main(["config", "check", "--json"])
    checked = capsys.readouterr()
    assert json.loads(checked.out[:checked.out.rindex("}") + 1])["signing"]["password"] == "**********"
    assert main(["doctor", "--json"]) == 1          # the DB, the HIS and the certificate all fail here
    doctor = capsys.readouterr()
    rows = json.loads(doctor.out)
    assert {r["check"]: r["status"] for r in rows}["adapter database"] == "FAIL"
    everything = "\n".join([checked.out, checked.err, doctor.out, doctor.err, caplog.text])
    assert _all_leaks(everything) == []


def test_queue_show_json_of_failed_attempts_masks_every_secret(
    secret_env: Callable[[str | None], None], gateway: _Gateway, capsys: pytest.CaptureFixture[str],
) -> None:
    secret_env(None)                                  # a working SQLite outbox this time
    store = open_store(Settings())
    now = datetime.now(UTC)
    body = b"<GIAMDINHHS><MA_LK>LK1</MA_LK></GIAMDINHHS>"
    for ma_lk in ("LK1", "LK2", "LK3"):
        store.enqueue(NewVersion(ma_cskcb="79001", ma_lk=ma_lk, kind=DocumentKind.CLAIM, profile="3176",
                                 content_hash=sha256_hex(body + ma_lk.encode()), unsigned=body, signed=body),
                      now=now)
    client = _client(gateway)
    policy = RetryPolicy(max_attempts=3, base_delay=timedelta(seconds=1), max_delay=timedelta(seconds=2))
    for mode in ("500", "401", "drop"):
        gateway.mode = mode
        Worker(store, client, policy, clock=FixedClock(at=now), worker_id="w1", rng=random.Random(1)).drain(
            limit=1)
    client.close()
    outputs = []
    for item_id in (1, 2, 3):
        assert main(["queue", "show", str(item_id), "--json"]) == 0
        outputs.append(capsys.readouterr().out)
    attempts = [a for out in outputs for a in json.loads(out)["attempts"]]
    assert len(attempts) == 3 and all(a["error_class"] for a in attempts)
    assert _all_leaks("\n".join(outputs)) == []
    store.engine.dispose()
