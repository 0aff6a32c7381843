"""Doubles for the gateway client unit tests: a scripted gateway behind httpx.MockTransport."""

from __future__ import annotations

import hashlib
import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

import httpx

from adapter.transport.client import GatewayClient

PASSWORD = "s3cret-Passw0rd"
PASSWORD_MD5 = hashlib.md5(PASSWORD.encode()).hexdigest().upper()
T0 = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)

Reply = httpx.Response | Exception


class MutableClock:
    def __init__(self, at: datetime = T0) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


def ok_token(n: int = 1, expires_in: object = "2026-06-01T02:00:00Z") -> httpx.Response:
    return httpx.Response(200, json={"maKetQua": "200", "APIKey": {
        "access_token": f"access-{n}", "id_token": f"id-{n}", "token_type": "Bearer",
        "username": "79001_BV", "expires_in": expires_in}})


def accepted(transaction: str = "GD1", **extra: object) -> httpx.Response:
    return httpx.Response(200, json={"maKetQua": "200", "maGiaoDich": transaction,
                                     "thoiGianTiepNhan": "20260601080000", "thongDiep": "ok", **extra})


def coded(code: str, status: int = 200, message: str = "") -> httpx.Response:
    return httpx.Response(status, json={"maKetQua": code, "maGiaoDich": "GDX", "thongDiep": message})


@dataclass
class ScriptedGateway:
    """Answers each path from its own queue; records every request it saw."""

    scripts: dict[str, deque[Reply]] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)
    tokens_issued: int = 0

    def script(self, path: str, *replies: Reply) -> None:
        self.scripts.setdefault(path, deque()).extend(replies)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        queue = self.scripts.get(request.url.path)
        if queue:
            reply = queue.popleft()
            if isinstance(reply, Exception):
                raise reply
            return reply
        if request.url.path == "/api/token/take":
            self.tokens_issued += 1
            return ok_token(self.tokens_issued)
        return accepted(f"GD{len(self.requests)}")

    def form(self, index: int) -> dict[str, str]:
        return dict(parse_qsl(self.requests[index].content.decode()))

    def body_json(self, index: int) -> dict[str, object]:
        data: dict[str, object] = json.loads(self.requests[index].content)
        return data

    def paths(self) -> list[str]:
        return [r.url.path for r in self.requests]


ClientFactory = Callable[..., GatewayClient]
