"""Facility key on a PKCS#11 token or HSM (VNPT-CA, Viettel-CA, BKAV tokens; SoftHSM2 in tests).

signxml only calls ``key.sign(data, padding, algorithm)`` and ``key.public_key()``, so
``TokenRSAPrivateKey`` subclasses cryptography's ``RSAPrivateKey`` and forwards ``sign`` to the
token. The output is byte-identical to software signing (PKCS#1 v1.5 is deterministic).

A PKCS#11 session must not be used by two threads at once: every token call holds the
connection's lock (see ``TokenConnection`` for why there is one session per token).
python-pkcs11 errors are translated here, once (``token_error``): a token that is absent,
unplugged, locked or failing right now is ``SignerUnavailable`` (retryable: the outbox tries
again later instead of parking the item); anything else, a wrong PIN included, is permanent.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass
from pkcs11.exceptions import (
    DeviceError,
    DeviceMemory,
    DeviceRemoved,
    MechanismInvalid,
    NoSuchToken,
    PinLocked,
    PKCS11Error,
    SessionClosed,
    SessionCount,
    SessionHandleInvalid,
    SlotIDInvalid,
    TokenNotPresent,
    TokenNotRecognised,
    UserNotLoggedIn,
)

from adapter.errors import CertificateError, ConfigError, SignerUnavailable, SigningError
from adapter.signing.keys import KeyMaterial

log = logging.getLogger(__name__)

# DER prefix of DigestInfo{sha256, digest} (RFC 8017 §9.2 note 1), for tokens without SHA256_RSA_PKCS.
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")

_SESSION_LOST = (SessionHandleInvalid, SessionClosed, UserNotLoggedIn, DeviceRemoved, TokenNotPresent)
# The token is not there or not usable right now; an operator re-plugging or unlocking it fixes it.
_UNAVAILABLE = (*_SESSION_LOST, NoSuchToken, SlotIDInvalid, TokenNotRecognised, PinLocked, DeviceError,
                DeviceMemory, SessionCount)
T = TypeVar("T")


def token_error(exc: PKCS11Error, doing: str) -> SigningError | SignerUnavailable:
    """The adapter error for a python-pkcs11 error (its name only: messages may echo inputs)."""
    message = f"{doing}: {type(exc).__name__}"
    if isinstance(exc, _UNAVAILABLE):
        return SignerUnavailable(message)
    return SigningError(message)


class TokenConnection:
    """One logged-in session per token per process, used under a lock.

    PKCS#11 login state belongs to the application, not to a session: a second login fails
    and closing any logged-in session logs all of them out. So every key on one token
    shares this connection instead of opening its own session.
    """

    def __init__(self, token: pkcs11.Token, pin: str,
                 locate: Callable[[], pkcs11.Token] | None = None) -> None:
        self._token = token
        self._pin = pin
        self._locate = locate      # finds the token again by its label (None: keep the first one)
        self._lock = threading.Lock()
        self._session: pkcs11.Session | None = None

    def has_pin(self, pin: str) -> bool:
        return hmac.compare_digest(self._pin.encode(), pin.encode())

    def run(self, action: Callable[[pkcs11.Session], T]) -> T:
        """``action`` on the session, alone; reopens once if the session was lost (token re-plugged)."""
        with self._lock:
            try:
                return action(self._open())
            except _UNAVAILABLE:
                log.warning("PKCS#11 session lost; reopening it once")
                self._close_locked()
                return action(self._reopen())

    def _reopen(self) -> pkcs11.Session:
        try:
            return self._open()
        except _UNAVAILABLE:
            if self._locate is None:
                raise
            # A token plugged back in may sit in another slot: find it again by its label
            # (SignerUnavailable from there while it is still out).
            self._token = self._locate()
            return self._open()

    def close(self) -> None:
        with self._lock:
            self._close_locked()

    def _open(self) -> pkcs11.Session:
        if self._session is None:
            self._session = self._token.open(user_pin=self._pin)
        return self._session

    def _close_locked(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            try:
                session.close()
            except PKCS11Error:
                log.debug("closing a broken PKCS#11 session failed; dropped anyway")


_connections: dict[tuple[str, str], TokenConnection] = {}
_connections_lock = threading.Lock()


def connect(module: Path, token_label: str, pin: str) -> TokenConnection:
    """The process-wide connection to a token (created on first use)."""
    with _connections_lock:
        known = _connections.get((str(module), token_label))
        if known is not None:
            if not known.has_pin(pin):
                raise ConfigError(f"token {token_label!r} is already open in this process with another PIN")
            return known
        connection = TokenConnection(_token(module, token_label), pin,
                                     locate=lambda: _token(module, token_label))
        _connections[(str(module), token_label)] = connection
        return connection


def release_tokens() -> None:
    """Log out of and close every token session (service shutdown; tests)."""
    with _connections_lock:
        connections = list(_connections.values())
        _connections.clear()
    for connection in connections:
        connection.close()


class TokenRSAPrivateKey(rsa.RSAPrivateKey):
    """An RSA key that never leaves the token; only PKCS#1 v1.5 with SHA-256 is offered."""

    def __init__(self, *, connection: TokenConnection, key_label: str | None, key_id: bytes | None,
                 public_key: rsa.RSAPublicKey, force_raw_rsa: bool = False) -> None:
        self._connection = connection
        self._label = key_label
        self._id = key_id
        self._public = public_key
        self._raw = force_raw_rsa          # True: RSA_PKCS over a DigestInfo (token lacks SHA256_RSA_PKCS)
        self._cached: tuple[pkcs11.Session, Any] | None = None

    @property
    def uses_raw_rsa(self) -> bool:
        return self._raw

    def sign(self, data: bytes, padding: Any, algorithm: Any) -> bytes:
        if not isinstance(padding, PKCS1v15) or not isinstance(algorithm, hashes.SHA256):
            raise SigningError("the token key signs only RSA PKCS#1 v1.5 with SHA-256 (BHXH profile)")
        try:
            return self._connection.run(lambda session: self._sign_on(session, data))
        except PKCS11Error as exc:
            raise token_error(exc, "token did not sign") from exc

    def _sign_on(self, session: pkcs11.Session, data: bytes) -> bytes:
        key = self._key_on(session)
        if not self._raw:
            try:
                return bytes(key.sign(data, mechanism=Mechanism.SHA256_RSA_PKCS))
            except MechanismInvalid:
                log.info("token lacks SHA256_RSA_PKCS; using RSA_PKCS over a SHA-256 DigestInfo")
                self._raw = True
        digest_info = SHA256_DIGEST_INFO + hashlib.sha256(data).digest()
        return bytes(key.sign(digest_info, mechanism=Mechanism.RSA_PKCS))

    def _key_on(self, session: pkcs11.Session) -> Any:
        # A handle is valid only in its session; finding it once per session saves a token
        # round trip per signature (slow on USB tokens). Called under the connection's lock.
        if self._cached is None or self._cached[0] is not session:
            self._cached = (session, _find_private_key(session, self._label, self._id))
        return self._cached[1]

    def public_key(self) -> rsa.RSAPublicKey:
        return self._public

    @property
    def key_size(self) -> int:
        return self._public.key_size

    def decrypt(self, ciphertext: bytes, padding: Any) -> bytes:
        _not_exportable("decrypt")

    def private_numbers(self) -> rsa.RSAPrivateNumbers:
        _not_exportable("private_numbers")

    def private_bytes(self, encoding: serialization.Encoding, format: serialization.PrivateFormat,
                      encryption_algorithm: serialization.KeySerializationEncryption) -> bytes:
        _not_exportable("private_bytes")

    def __copy__(self) -> TokenRSAPrivateKey:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> TokenRSAPrivateKey:
        return self


def open_pkcs11(module: Path, token_label: str, *, key_label: str | None = None,
                key_id: str | None = None, pin: str, force_raw_rsa: bool = False) -> KeyMaterial:
    """Key material whose private key lives on the token; the certificate object has the same label/id."""
    if not (key_label or key_id):
        raise ConfigError("a PKCS#11 key needs a label or an id")
    id_bytes = bytes.fromhex(key_id) if key_id else None
    connection = connect(module, token_label, pin)
    try:
        cert = connection.run(lambda session: _certificate_of_key(session, key_label, id_bytes))
    except PKCS11Error as exc:
        raise token_error(exc, f"cannot use token {token_label!r}") from exc
    public = cert.public_key()
    assert isinstance(public, rsa.RSAPublicKey)  # _certificate_of_key ensured an RSA certificate
    key = TokenRSAPrivateKey(connection=connection, key_label=key_label, key_id=id_bytes,
                             public_key=public, force_raw_rsa=force_raw_rsa)
    return KeyMaterial(private_key=key, certificate=cert, chain=())


def _token(module: Path, token_label: str) -> pkcs11.Token:
    # A module that cannot be loaded is usually the vendor driver of a token that is not
    # plugged in (or is being reinstalled), a missing label a token that is not plugged in:
    # both may come back, so both are retryable; the message names them for the operator.
    try:
        library = pkcs11.lib(str(module))
    except (RuntimeError, OSError) as exc:  # python-pkcs11 raises a RuntimeError subclass here
        raise SignerUnavailable(f"PKCS#11 module {module} cannot be loaded: {type(exc).__name__}") from exc
    try:
        return library.get_token(token_label=token_label)
    except NoSuchToken as exc:
        raise SignerUnavailable(f"PKCS#11 token {token_label!r} not found via {module} (not plugged in?)") \
            from exc
    except PKCS11Error as exc:
        raise token_error(exc, f"PKCS#11 token {token_label!r} via {module}") from exc


def _certificate_of_key(session: pkcs11.Session, label: str | None, key_id: bytes | None) -> x509.Certificate:
    cert = _certificate(session, label, key_id)
    _check_pair(session, cert, label, key_id)
    return cert


def _find_private_key(session: pkcs11.Session, label: str | None, key_id: bytes | None) -> Any:
    return session.get_key(object_class=ObjectClass.PRIVATE_KEY, key_type=KeyType.RSA,
                           label=label, id=key_id)


def _certificate(session: pkcs11.Session, label: str | None, key_id: bytes | None) -> x509.Certificate:
    attrs: dict[Attribute, Any] = {Attribute.CLASS: ObjectClass.CERTIFICATE}
    if label:
        attrs[Attribute.LABEL] = label
    if key_id:
        attrs[Attribute.ID] = key_id
    found = list(session.get_objects(attrs))
    if len(found) != 1:
        raise CertificateError(
            f"expected one certificate object on the token for the key, found {len(found)}")
    return x509.load_der_x509_certificate(bytes(found[0][Attribute.VALUE]))


def _check_pair(session: pkcs11.Session, cert: x509.Certificate, label: str | None,
                key_id: bytes | None) -> None:
    public = cert.public_key()
    if not isinstance(public, rsa.RSAPublicKey):
        raise CertificateError("the token certificate does not hold an RSA key")
    key = _find_private_key(session, label, key_id)
    try:
        modulus = int.from_bytes(bytes(key[Attribute.MODULUS]), "big")
    except PKCS11Error:
        return  # some tokens hide the modulus; the signer's self-verification still catches a mismatch
    if modulus != public.public_numbers().n:
        raise CertificateError("the token's private key does not match its certificate")


def _not_exportable(what: str) -> NoReturn:
    raise SigningError(f"{what} is not available: the key never leaves the token")
