"""Helpers shared by the gateway integration tests."""

from __future__ import annotations

from collections.abc import Callable

from adapter.ports import DocumentKind, Submission
from adapter.transport.client import GatewayClient
from adapter.transport.config import FacilityAccount

ACCOUNTS = {"79001_BV": ("pw-79001", "79001"), "01001_BV": ("pw-01001", "01001")}
ClientFactory = Callable[..., GatewayClient]


def account(ma_cskcb: str = "79001", username: str | None = None,
            password: str | None = None) -> FacilityAccount:
    user = username or f"{ma_cskcb}_BV"
    return FacilityAccount(ma_cskcb=ma_cskcb, username=user, password=password or ACCOUNTS[user][0])


def submission(doc: bytes, *, kind: DocumentKind = DocumentKind.CLAIM, profile: str = "3176",
               ma_cskcb: str = "79001", ma_lk: str = "LK-1") -> Submission:
    return Submission(ma_cskcb=ma_cskcb, kind=kind, profile=profile, payload=doc, ma_lk=ma_lk)
