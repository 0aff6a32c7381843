"""The simulated BHXH gateway as a Starlette app: the documented contract of §6, strictly checked.

Paths are written out here from the spec on purpose (not imported from the client), so the
contract tests catch a client that drifts from the documented names.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from adapter.errors import ConfigError, DataError
from adapter.simulator import cards, codes
from adapter.simulator.checks import Kind, decode_file, inspect_file, refuse
from adapter.simulator.state import VN_TIME, Received, SimulatorState

log = logging.getLogger(__name__)

FILE_ENDPOINTS: Mapping[str, tuple[Kind, str, str, str]] = {   # path -> kind, type field/value, file field
    "/api/qd130/checkInKcbQd130": (Kind.CHECKIN, "loaiHoSo", "0", "fileHSBase64"),
    "/api/qd130/checkInKcbQd4750": (Kind.CHECKIN, "loaiHoSo", "0", "fileHSBase64"),
    "/api/qd130/checkInKcbQd3176": (Kind.CHECKIN, "loaiHoSo", "0", "fileHSBase64"),
    "/api/qd130/guiHoSoXmlQD130": (Kind.CLAIM, "loaiHoSo", "130", "fileHSBase64"),
    "/api/qd130/guiHoSoXmlQD4750": (Kind.CLAIM, "loaiHoSo", "130", "fileHSBase64"),
    "/api/qd130/guiHoSoXmlQD3176": (Kind.CLAIM, "loaiHoSo", "130", "fileHSBase64"),
    "/api/DanhMucGW/GuiDanhMuc02_NLKCB": (Kind.STAFF, "loaiHs", "71", "fileHsBase64"),   # UNVERIFIED
}
Handler = Callable[[Request], Awaitable[Response]]


class DropConnection(BaseException):
    """Close the socket without a reply. BaseException so Starlette's 500 handlers let it pass."""


class SimulatorApp(Starlette):
    """Starlette that turns DropConnection into a silent close (uvicorn closes the transport
    when an ASGI app returns a value instead of None)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> Any:
        try:
            await super().__call__(scope, receive, send)
        except DropConnection:
            return True
        return None


def create_app(state: SimulatorState) -> Starlette:
    """The gateway routes plus the admin endpoints, bound to ``state``."""
    api = _Api(state)
    routes = [Route("/api/token/take", api.token, methods=["POST"]),
              Route("/api/egw/KQNhanLichSuKCB2024", api.lookup, methods=["POST"])]
    routes += [Route(path, api.file_handler(path), methods=["POST"]) for path in FILE_ENDPOINTS]
    routes += [Route("/admin/faults", api.set_faults, methods=["POST"]),
               Route("/admin/report", api.report, methods=["GET"]),
               Route("/admin/records", api.records, methods=["GET"]),
               Route("/admin/reset", api.reset, methods=["POST"]),
               Route("/admin/certificates", api.register_certificate, methods=["POST"])]
    return SimulatorApp(routes=routes)


def md5_upper(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest().upper()


def _reply(code: str, *, note: str = "", extra: Mapping[str, Any] | None = None,
           status: int | None = None) -> JSONResponse:
    body = {"maKetQua": code, "maGiaoDich": "", "thoiGianTiepNhan": "",
            "thongDiep": note or codes.MESSAGES.get(code, "")} | dict(extra or {})
    return JSONResponse(body, status_code=status or codes.HTTP_STATUS.get(code, 200))


class _Api:
    def __init__(self, state: SimulatorState) -> None:
        self.state = state

    # -- faults common to every API request --------------------------------------------

    async def _faults(self, endpoint: str, request: Request) -> Response | None:
        state, faults = self.state, self.state.faults
        # Read the whole request first: closing a socket with unread data makes the kernel send
        # RST, and the client would see a reset or a write error at random instead of a drop.
        await request.body()
        delay = state.latency()
        if delay:
            await asyncio.sleep(delay)
        if state.in_maintenance():
            return self._injected(endpoint, codes.MAINTENANCE, "maintenance")
        if state.chance(faults.error_rate):
            return self._injected(endpoint, codes.SERVER_ERROR, "server_error")
        if state.chance(faults.reset_rate):
            self._note(endpoint, "", "reset")
            raise DropConnection
        if state.chance(faults.timeout_rate):
            self._note(endpoint, "", "timeout")
            await asyncio.sleep(faults.timeout_s)
            raise DropConnection
        return None

    def _injected(self, endpoint: str, code: str, fault: str) -> Response:
        self._note(endpoint, code, fault)
        return _reply(code)

    def _note(self, endpoint: str, code: str, fault: str = "", ma_cskcb: str = "") -> None:
        self.state.record(Received(at=self.state.config.clock.now(), endpoint=endpoint,
                                   ma_cskcb=ma_cskcb, code=code, fault=fault))
        if code not in ("200", ""):
            log.info("simulator refused endpoint=%s ma_cskcb=%s code=%s", endpoint, ma_cskcb, code)

    # -- token ----------------------------------------------------------------------------

    async def token(self, request: Request) -> Response:
        fault = await self._faults("token", request)
        if fault is not None:
            return fault
        form = await _form(request)
        username, password = (form or {}).get("username", ""), (form or {}).get("password", "")
        account = self.state.config.accounts.get(username)
        if account is None or not secrets.compare_digest(md5_upper(account[0]), password):
            self._note("token", codes.AUTHENTICATION)
            return _reply(codes.AUTHENTICATION, status=401)
        access, issued = self.state.issue_token(username)
        self._note("token", codes.ACCEPTED, ma_cskcb=account[1])
        key = {"access_token": access, "id_token": issued.id_token, "token_type": "Bearer",
               "username": username, "expires_in": issued.expires_at.isoformat().replace("+00:00", "Z")}
        return JSONResponse({"maKetQua": codes.ACCEPTED, "APIKey": key})

    # -- files ------------------------------------------------------------------------------

    def file_handler(self, path: str) -> Handler:
        kind, type_field, type_value, file_field = FILE_ENDPOINTS[path]

        async def handle(request: Request) -> Response:
            return await self._file(request, kind, (type_field, type_value), file_field)
        return handle

    async def _file(self, request: Request, kind: Kind, loai: tuple[str, str], file_field: str) -> Response:
        fault = await self._faults(kind.value, request)
        if fault is not None:
            return fault
        every, count = self.state.faults.token_expiry_every, self.state.count_submission()
        if every > 0 and count % every == 0:
            self.state.expire_tokens()
            self._note("token", "", "token_expired")     # not a request of its own: keep "received" exact
        form = await _form(request)
        ma_cskcb = (form or {}).get("maCSKCB", "")
        try:
            raw = self._authorised_file(request, form, loai, file_field)
            certs = self.state.certificates(ma_cskcb)
            document = inspect_file(raw, kind=kind, ma_cskcb=ma_cskcb, certificates=certs)
        except DataError as exc:
            self._note(kind.value, exc.rule, ma_cskcb=ma_cskcb)
            return _reply(exc.rule, note=str(exc).rsplit(" (rule", 1)[0])   # DataError appends "(rule …)"
        return self._accept(document.kind, ma_cskcb, document.ma_lk, document.sha256)

    def _authorised_file(self, request: Request, form: dict[str, str] | None,
                         loai: tuple[str, str], file_field: str) -> bytes:
        if form is None:
            raise refuse(codes.BAD_PARAMETER, "Content-Type phải là application/x-www-form-urlencoded")
        ma_cskcb = self._authorised(request.headers, form)
        if form.get("maTinh") != ma_cskcb[:2]:
            raise refuse(codes.BAD_PARAMETER, "maTinh phải là 2 ký tự đầu của maCSKCB")
        if form.get(loai[0]) != loai[1]:
            raise refuse(codes.BAD_PARAMETER, f"{loai[0]} phải là {loai[1]}")
        if not form.get(file_field):
            raise refuse(codes.BAD_PARAMETER, f"thiếu {file_field}")
        return decode_file(form[file_field])

    def _authorised(self, headers: Mapping[str, str], form: Mapping[str, str]) -> str:
        """Token, account and facility; the facility code on success."""
        issued = self.state.token(headers.get("accessToken", ""), headers.get("tokenId", ""))
        if issued is None or form.get("username") != issued.username:
            raise refuse(codes.AUTHENTICATION)
        password, ma_cskcb = self.state.config.accounts[issued.username]
        if not secrets.compare_digest(headers.get("passwordHash", ""), md5_upper(password)):
            raise refuse(codes.BAD_PASSWORD_HASH)
        if form.get("maCSKCB") != ma_cskcb:
            raise refuse(codes.FORBIDDEN)
        return ma_cskcb

    def _accept(self, kind: Kind, ma_cskcb: str, ma_lk: str, sha256: str) -> Response:
        lost = self.state.chance(self.state.faults.reply_lost_rate)
        acc = self.state.accept(ma_cskcb=ma_cskcb, kind=kind.value, ma_lk=ma_lk, sha256=sha256,
                                reply_lost=lost)
        self._note(kind.value, codes.ACCEPTED, "reply_lost" if lost else "", ma_cskcb)
        log.info("simulator accepted kind=%s ma_cskcb=%s ma_lk=%s transaction=%s duplicate=%s",
                 kind.value, ma_cskcb, ma_lk, acc.transaction_id, acc.duplicate)
        if lost:
            raise DropConnection
        note = codes.DUPLICATE_NOTE if acc.duplicate else codes.REPLACEMENT_NOTE if acc.replacement else ""
        return _reply(codes.ACCEPTED, note=note, extra={
            "maGiaoDich": acc.transaction_id, "thoiGianTiepNhan": acc.received_at, "trungLap": acc.duplicate})

    # -- card lookup ----------------------------------------------------------------------

    async def lookup(self, request: Request) -> Response:
        fault = await self._faults("lookup", request)
        if fault is not None:
            return fault
        q = request.query_params
        issued = self.state.token(q.get("token", ""), q.get("id_token", ""))
        account = self.state.config.accounts.get(q.get("username", ""))
        if issued is None or account is None or issued.username != q.get("username") \
                or not secrets.compare_digest(md5_upper(account[0]), q.get("password", "")):
            self._note("lookup", codes.AUTHENTICATION)
            return JSONResponse({"maKetQua": "401", "ghiChu": "Lỗi xác thực tài khoản"})
        query = await _lookup_body(request)
        code = cards.verdict(query, self.state.config.cards, self.state.config.officers)
        self._note("lookup", code, ma_cskcb=account[1])
        record = self.state.config.cards.get(query.get("maThe", "").strip().upper())
        return JSONResponse(cards.reply(code, record))

    # -- admin ------------------------------------------------------------------------------

    async def set_faults(self, request: Request) -> Response:
        try:
            changes = json.loads(await request.body() or b"{}")
            self.state.set_faults(self.state.faults.updated(changes))
        except (ValueError, TypeError, ConfigError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        log.info("simulator faults changed: %s", sorted(changes))
        return JSONResponse(self.state.faults.as_dict())

    async def register_certificate(self, request: Request) -> Response:
        """``{"ma_cskcb": "79001", "pem": "-----BEGIN CERTIFICATE-----..."}`` (demo convenience)."""
        try:
            data = json.loads(await request.body())
            fingerprint = self.state.register_certificate(str(data["ma_cskcb"]), str(data["pem"]).encode())
        except (ValueError, KeyError, TypeError, ConfigError) as exc:
            return JSONResponse({"error": f"bad certificate registration: {type(exc).__name__}"},
                                status_code=400)
        log.info("simulator registered certificate %s for ma_cskcb=%s", fingerprint, data["ma_cskcb"])
        return JSONResponse({"ma_cskcb": data["ma_cskcb"], "sha256": fingerprint})

    async def report(self, request: Request) -> Response:
        return JSONResponse(self.state.report())

    async def records(self, request: Request) -> Response:
        rows = [{"ma_cskcb": a.ma_cskcb, "kind": a.kind, "ma_lk": a.ma_lk, "sha256": a.sha256,
                 "maGiaoDich": a.transaction_id, "thoiGianTiepNhan": a.received_at,
                 "duplicate": a.duplicate, "replacement": a.replacement, "reply_lost": a.reply_lost}
                for a in self.state.accepted]
        return JSONResponse(rows)

    async def reset(self, request: Request) -> Response:
        self.state.reset()
        now = self.state.config.clock.now().astimezone(VN_TIME)
        return JSONResponse({"reset": True, "at": now.isoformat()})


async def _form(request: Request) -> dict[str, str] | None:
    """The url-encoded form, or None when the request is not one (strict content type)."""
    ctype = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if ctype != "application/x-www-form-urlencoded":
        return None
    body = (await request.body()).decode("utf-8", errors="replace")
    try:
        return dict(parse_qsl(body, keep_blank_values=True, max_num_fields=50))
    except ValueError:          # too many fields: not a gateway form
        return None


async def _lookup_body(request: Request) -> dict[str, str]:
    """JSON per [APITT], or a form as [QLBV] sends it: both are seen in use."""
    form = await _form(request)
    if form is not None:
        return form
    try:
        data = json.loads(await request.body() or b"{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
