"""The BHXH gateway client: ``adapter.ports.Gateway`` over one keep-alive ``httpx.Client``.

No retry loops here: the outbox is the one retry mechanism. The client refreshes a token
once on an authentication failure (that is part of sending, not a retry of the item) and
otherwise turns every outcome into a GatewayReply or one adapter error:

* connect failure, refused, TLS handshake, write failure -> TransportError (nothing taken)
* read timeout / connection lost after the request went out -> OutcomeUnknown
* 5xx, maintenance, circuit open -> GatewayUnavailable
* token refused twice -> AuthenticationError
* data error reply -> GatewayRejected (code, transaction id)

Secrets (password MD5, tokens) travel in headers and the card-lookup query string; they are
never put in logs or error messages, and the ``httpx`` request log is redacted.
"""

from __future__ import annotations

import logging
import ssl
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, TypeVar

import httpx
from pydantic import SecretStr

from adapter.errors import (
    AdapterError,
    AuthenticationError,
    ConfigError,
    GatewayUnavailable,
    OutcomeUnknown,
    TransportError,
)
from adapter.ports import Clock, GatewayReply, Submission, SystemClock
from adapter.transport import breaker as cb
from adapter.transport.cards import CardQuery, CardResult, CardStatus, parse_card_reply
from adapter.transport.config import FacilityAccount, GatewaySettings
from adapter.transport.endpoints import CARD_LOOKUP_PATH, TOKEN_PATH, endpoint_for, ma_tinh
from adapter.transport.form import CONTENT_TYPE, form_body
from adapter.transport.replies import ReplyTable, interpret, parse_body
from adapter.transport.tls import redact_httpx_log, tls_verify
from adapter.transport.tokens import Token, parse_token

log = logging.getLogger(__name__)
T = TypeVar("T")


class CircuitOpen(GatewayUnavailable):
    """Nothing was sent: the destination's circuit is open until ``reopens_at`` (then one probe).

    The outbox gives the item back without using an attempt (it reads ``reopens_at``; the
    outbox layer cannot import this class).
    """

    def __init__(self, message: str, *, reopens_at: datetime) -> None:
        super().__init__(message)
        self.reopens_at = reopens_at

_FORM = {"Content-Type": CONTENT_TYPE}


class _Account:
    """Runtime state of one facility account: credentials, token, in-flight bound."""

    def __init__(self, account: FacilityAccount, max_concurrency: int) -> None:
        self.account = account
        self.slots = threading.BoundedSemaphore(max_concurrency)
        self.lock = threading.Lock()
        self.token: Token | None = None
        self._md5: SecretStr | None = None

    @property
    def password_md5(self) -> SecretStr:
        """Read on first use (a facility with a missing secret fails alone, not the whole client)."""
        if self._md5 is None:
            self._md5 = self.account.password_md5()
        return self._md5

    def __repr__(self) -> str:
        return f"_Account({self.account.ma_cskcb})"


class GatewayClient:
    """Sends check-ins, claims and staff catalogues; looks up cards. Thread-safe."""

    def __init__(self, settings: GatewaySettings, accounts: Sequence[FacilityAccount], *, base_url: str,
                 transport: httpx.BaseTransport | None = None, clock: Clock | None = None,
                 verify: ssl.SSLContext | bool = True) -> None:
        self._settings = settings
        self._clock = clock or SystemClock()
        self._accounts = {a.ma_cskcb: _Account(a, settings.max_concurrency) for a in accounts}
        self._table = ReplyTable.with_overrides(settings.reply_codes, settings.unknown_code)
        self._policy = cb.BreakerPolicy(threshold=settings.breaker_failure_threshold,
                                        open_for=timedelta(seconds=settings.breaker_open_s))
        self._breaker = cb.Breaker()
        self._breaker_lock = threading.Lock()
        self._destination = base_url.rstrip("/")
        redact_httpx_log()
        self._http = httpx.Client(base_url=self._destination, transport=transport, verify=verify,
                                  timeout=self._timeout(), follow_redirects=False,
                                  limits=httpx.Limits(max_keepalive_connections=settings.max_concurrency
                                                      * max(len(accounts), 1)))

    @classmethod
    def from_settings(cls, settings: GatewaySettings, accounts: Sequence[FacilityAccount], *,
                      clock: Clock | None = None) -> GatewayClient:
        """Base URL from the environment, TLS verification from the settings (the usual way in)."""
        return cls(settings, accounts, base_url=settings.resolved_base_url(), clock=clock,
                   verify=tls_verify(settings))

    def _timeout(self) -> httpx.Timeout:
        s = self._settings
        return httpx.Timeout(connect=s.connect_timeout_s, read=s.read_timeout_s,
                             write=s.write_timeout_s, pool=s.pool_timeout_s)

    # -- the Gateway port ---------------------------------------------------------------

    def submit(self, submission: Submission) -> GatewayReply:
        """Send one signed document; the reply when accepted, else an adapter error."""
        account = self._account(submission.ma_cskcb)
        self._check_enabled(account)
        endpoint = endpoint_for(submission.kind, submission.profile)
        fields = (("username", account.account.username), (endpoint.type_field, endpoint.type_value),
                  ("maTinh", ma_tinh(submission.ma_cskcb)), ("maCSKCB", submission.ma_cskcb))
        body = form_body(fields, file_field=endpoint.file_field, payload=submission.payload)
        try:
            with self._guarded(account):
                reply = self._with_token(account, lambda t: self._post_file(endpoint.path, account, t, body))
        except AdapterError as exc:
            log.warning("gateway did not accept ma_cskcb=%s ma_lk=%s kind=%s error=%s code=%s",
                        submission.ma_cskcb, submission.ma_lk, submission.kind.value, type(exc).__name__,
                        getattr(exc, "code", ""))
            raise
        log.info("gateway accepted ma_cskcb=%s ma_lk=%s kind=%s code=%s transaction=%s duplicate=%s",
                 submission.ma_cskcb, submission.ma_lk, submission.kind.value, reply.code,
                 reply.transaction_id, reply.duplicate)
        return reply

    def lookup_card(self, ma_cskcb: str, query: CardQuery) -> CardResult:
        """Card and visit-history lookup. Any card verdict is a result; gateway failures raise."""
        account = self._account(ma_cskcb)
        with self._guarded(account):
            result = self._with_token(account, lambda t: self._post_lookup(account, t, query))
        log.info("card lookup ma_cskcb=%s code=%s", ma_cskcb, result.code.code)
        return result

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> GatewayClient:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"GatewayClient({self._destination}, accounts={sorted(self._accounts)})"

    @property
    def breaker(self) -> cb.Breaker:
        return self._breaker

    # -- sending ------------------------------------------------------------------------

    def _post_file(self, path: str, account: _Account, token: Token, body: bytes) -> GatewayReply:
        headers = {**_FORM, "accessToken": token.access_token, "tokenId": token.id_token,
                   "passwordHash": account.password_md5.get_secret_value()}
        response = self._send("POST", path, idempotent=False, content=body, headers=headers)
        return interpret(response.status_code, response.content, self._table)

    def _post_lookup(self, account: _Account, token: Token, query: CardQuery) -> CardResult:
        params = {"token": token.access_token, "id_token": token.id_token,
                  "username": account.account.username, "password": account.password_md5.get_secret_value()}
        response = self._send("POST", CARD_LOOKUP_PATH, idempotent=True, params=params, json=query.body())
        data = parse_body(response.content)
        if response.status_code == 401:
            raise AuthenticationError("card lookup: token refused (HTTP 401)")
        if response.status_code >= 400 or data is None:
            raise GatewayUnavailable(f"card lookup failed (HTTP {response.status_code})")
        result = parse_card_reply(data)
        if result.code.status is CardStatus.AUTHENTICATION:
            raise AuthenticationError("card lookup: token refused")
        if result.code.status is CardStatus.UNAVAILABLE:
            raise GatewayUnavailable(f"card lookup: gateway error code {result.code.code}")
        return result

    def _send(self, method: str, path: str, *, idempotent: bool, **kwargs: Any) -> httpx.Response:
        """One HTTP exchange; httpx errors translated here and only here.

        Raised outside the handler: an httpx error keeps its request, whose URL carries the
        token and password hash for the card lookup (query-string authentication). The
        exception type names what happened; the cause must not travel into crash reports.
        """
        try:
            return self._http.request(method, path, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            error: AdapterError = TransportError(f"cannot reach the gateway ({type(exc).__name__})")
        except (httpx.WriteError, httpx.WriteTimeout) as exc:
            error = TransportError(f"request not fully sent ({type(exc).__name__})")
        except (httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError) as exc:
            error = (TransportError(f"no reply from the gateway ({type(exc).__name__})") if idempotent
                     else OutcomeUnknown(f"sent, but no reply came back ({type(exc).__name__})"))
        except httpx.HTTPError as exc:
            error = TransportError(f"gateway exchange failed ({type(exc).__name__})")
        raise error     # outside the handler: neither __cause__ nor __context__ keeps the request

    # -- tokens -------------------------------------------------------------------------

    def _with_token(self, account: _Account, call: Callable[[Token], T]) -> T:
        """Run ``call(token)``; on an authentication failure refresh the token once and run it again."""
        token = self._token(account)
        try:
            return call(token)
        except AuthenticationError:
            log.info("token refused, refreshing once ma_cskcb=%s", account.account.ma_cskcb)
            self._drop_token(account, token)
            return call(self._token(account))

    def _token(self, account: _Account) -> Token:
        with account.lock:
            margin = timedelta(seconds=self._settings.token_refresh_margin_s)
            if account.token is None or not account.token.fresh(self._clock.now(), margin):
                account.token = self._take_token(account)
            return account.token

    def _drop_token(self, account: _Account, failed: Token) -> None:
        """Forget the refused token, unless another thread already replaced it (one login, not N)."""
        with account.lock:
            if account.token is failed:
                account.token = None

    def _take_token(self, account: _Account) -> Token:
        form = {"username": account.account.username, "password": account.password_md5.get_secret_value()}
        response = self._send("POST", TOKEN_PATH, idempotent=True, data=form, headers=_FORM)
        data = parse_body(response.content)
        if response.status_code >= 500 or response.status_code == 429:
            raise GatewayUnavailable(f"token service unavailable (HTTP {response.status_code})")
        if data is None:
            raise AuthenticationError(f"token reply is not JSON (HTTP {response.status_code})")
        lifetime = timedelta(seconds=self._settings.token_default_lifetime_s)
        token = parse_token(data, now=self._clock.now(), default_lifetime=lifetime)
        log.info("token taken ma_cskcb=%s expires_at=%s", account.account.ma_cskcb,
                 token.expires_at.isoformat())
        return token

    # -- guards -------------------------------------------------------------------------

    def _account(self, ma_cskcb: str) -> _Account:
        try:
            return self._accounts[ma_cskcb]
        except KeyError:
            raise ConfigError(f"no gateway account configured for facility {ma_cskcb}") from None

    def _check_enabled(self, account: _Account) -> None:
        """Nothing goes to a real gateway unless the facility's sending is switched on."""
        if self._settings.environment != "simulator" and not account.account.sending_enabled:
            raise ConfigError(f"sending to the {self._settings.environment} gateway is not enabled "
                              f"for facility {account.account.ma_cskcb} (sending_enabled=false)")

    @contextmanager
    def _guarded(self, account: _Account) -> Iterator[None]:
        """The in-flight bound of the facility, then the circuit breaker of the destination."""
        if not account.slots.acquire(timeout=self._settings.pool_timeout_s):
            raise TransportError(f"too many requests in flight for facility {account.account.ma_cskcb}")
        try:
            self._admit()
            try:
                yield
            except (GatewayUnavailable, TransportError, OutcomeUnknown):
                self._report(ok=False)
                raise
            except BaseException:
                self._report(ok=True)    # the gateway answered (or we failed locally): it is up
                raise
            self._report(ok=True)
        finally:
            account.slots.release()

    def _admit(self) -> None:
        with self._breaker_lock:
            allowed, self._breaker = cb.admit(self._breaker, self._clock.now(), self._policy)
            reopen = self._breaker.reopens_at(self._policy)
        if not allowed:
            log.warning("circuit open for %s until %s: not sending", self._destination,
                        reopen.isoformat() if reopen else "?")
            raise CircuitOpen(f"circuit open: gateway failing, paused until {reopen}",
                              reopens_at=reopen or self._clock.now() + self._policy.open_for)

    def _report(self, *, ok: bool) -> None:
        with self._breaker_lock:
            before = self._breaker.status
            self._breaker = cb.succeeded(self._breaker) if ok else cb.failed(
                self._breaker, self._clock.now(), self._policy)
            if before is not self._breaker.status:
                log.warning("circuit %s -> %s for %s", before.value, self._breaker.status.value,
                            self._destination)
