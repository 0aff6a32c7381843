"""POST of health-book bundles to a FHIR endpoint (httpx). Translates httpx errors once, here.

Two modes: ``document`` POSTs the document Bundle to ``[base]/Bundle``; ``transaction`` POSTs
the same resources as a transaction (PUT by deterministic id) to ``[base]``, so that a retry
after a lost reply is idempotent. Retries themselves belong to the outbox, not to this module.

The HTTP client is passed in (the composition root creates it, with its timeouts and TLS
settings); this class never creates one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any, Literal

import httpx

from adapter.errors import (
    AuthenticationError,
    ConfigError,
    DataError,
    GatewayRejected,
    GatewayUnavailable,
    OutcomeUnknown,
    TransportError,
)
from adapter.ports import DocumentKind, GatewayReply, Submission

log = logging.getLogger(__name__)

FHIR_JSON = "application/fhir+json"
Mode = Literal["document", "transaction"]
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
_MAYBE_SENT = (httpx.ReadTimeout, httpx.WriteTimeout, httpx.ReadError, httpx.WriteError,
               httpx.RemoteProtocolError)


class FhirEndpoint:
    """One FHIR server base URL. Implements the ``Gateway`` port for ``DocumentKind.FHIR`` items."""

    def __init__(self, base_url: str, client: httpx.Client, *, mode: Mode = "document",
                 headers: Mapping[str, str] | None = None) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ConfigError("the FHIR endpoint must be an http(s) URL")
        if mode not in ("document", "transaction"):
            raise ConfigError(f"unknown FHIR submission mode {mode!r}")
        self._base = base_url.rstrip("/")
        self._client = client
        self._headers = {"Content-Type": FHIR_JSON, "Accept": FHIR_JSON, **(headers or {})}
        self.mode: Mode = mode

    def post_bundle(self, bundle: Mapping[str, Any]) -> GatewayReply:
        """Send one bundle (a document; converted to a transaction in transaction mode)."""
        from adapter.mappers.fhir import to_json_bytes, to_transaction

        body = to_transaction(dict(bundle)) if self.mode == "transaction" else dict(bundle)
        url = self._base if self.mode == "transaction" else f"{self._base}/Bundle"
        payload = to_json_bytes(body)
        return self._post(url, payload, str(bundle.get("id", "")), _conditional(bundle, self.mode))

    def submit(self, submission: Submission) -> GatewayReply:
        """The ``Gateway`` port: the payload is the document Bundle as UTF-8 JSON."""
        if submission.kind is not DocumentKind.FHIR:
            raise ConfigError(f"the FHIR endpoint cannot send {submission.kind.value} items")
        try:
            bundle = json.loads(submission.payload)
        except ValueError as exc:
            raise DataError("payload is not JSON", record=submission.ma_lk, rule="FHIR-PAYLOAD") from exc
        return self.post_bundle(bundle)

    def _post(self, url: str, payload: bytes, bundle_id: str, extra: dict[str, str]) -> GatewayReply:
        headers = {**self._headers, **extra}
        try:
            response = self._client.post(url, content=payload, headers=headers)
        except _NOT_SENT as exc:
            raise TransportError(f"FHIR endpoint unreachable ({type(exc).__name__})") from exc
        except _MAYBE_SENT as exc:
            raise OutcomeUnknown(f"FHIR reply lost after sending ({type(exc).__name__})") from exc
        except httpx.HTTPError as exc:
            raise TransportError(f"FHIR request failed ({type(exc).__name__})") from exc
        log.info("fhir bundle %s posted: HTTP %s", bundle_id, response.status_code)
        return _reply(response)


def _conditional(bundle: Mapping[str, Any], mode: Mode) -> dict[str, str]:
    """Conditional create on the document identifier: a server that supports it stores a resent
    document once (HTTP 200 instead of a second 201)."""
    ident = bundle.get("identifier") or {}
    if mode != "document" or not (ident.get("system") and ident.get("value")):
        return {}
    return {"If-None-Exist": f"identifier={ident['system']}|{ident['value']}"}


def _reply(response: httpx.Response) -> GatewayReply:
    status = response.status_code
    if 200 <= status < 300:
        return GatewayReply(code=str(status), transaction_id=_location(response), http_status=status)
    issue = _issue_code(response)
    if status == 401:
        raise AuthenticationError("FHIR endpoint refused the credentials (HTTP 401)")
    if status in (408, 429) or status >= 500:
        raise GatewayUnavailable(f"FHIR endpoint unavailable (HTTP {status})")
    raise GatewayRejected(f"FHIR endpoint rejected the bundle (HTTP {status}, issue {issue or '-'})",
                          code=issue or str(status))


def _location(response: httpx.Response) -> str:
    """Where the server stored the bundle (Location / Content-Location, else the id in the body)."""
    for name in ("Location", "Content-Location"):
        if response.headers.get(name):
            return response.headers[name]
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("id", "")) if isinstance(body, dict) else ""


def _issue_code(response: httpx.Response) -> str:
    """The first OperationOutcome issue code; never its diagnostics (they may quote patient data)."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if not isinstance(body, dict) or body.get("resourceType") != "OperationOutcome":
        return ""
    issues = body.get("issue") or [{}]
    return str(issues[0].get("code", ""))
